package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import org.junit.jupiter.api.Test;

class ListingTest {
  @Test
  void printsFib() {
    Module m = IrParser.parse("""
        function @fib(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 2
            v2 = icmp slt v0, v1
            brif v2, block1, block2
        block1:
            return v0
        block2:
            v3 = iconst 1
            v4 = isub v0, v3
            v5 = call @fib(v4)
            v6 = isub v4, v3
            v7 = call @fib(v6)
            v8 = iadd v5, v7
            return v8
        }
        """);
    try (CompiledModule c = Backend.compile(m, new CompileOptions().listing(true))) {
      System.out.println(c.listing());
      assertEquals(832040L, c.call("fib", 30L));
    }
  }
}
