package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The text form: canonical printing, exact round trips, and parse errors with their place. */
class IrTextTest {
  @Test
  void everyTestFileRoundTrips() throws IOException {
    for (Path file : IrFileTest.files()) {
      Module parsed = IrParser.parse(Files.readString(file));
      parsed.verify();
      String canonical = IrPrinter.print(parsed);
      Module again = IrParser.parse(canonical);
      again.verify();
      assertEquals(canonical, IrPrinter.print(again), file.toString());
    }
  }

  @Test
  void printingRenumbersInLayoutOrder() {
    Module m = IrParser.parse("""
        import c @sqrt(f64) -> f64   ; a C function
        memory $heap 0x10000
        function @f(i64) -> i64 @7 {
        block5(v10: i64):
          v3 = iconst -0x10 @1
          jump block2(v3)
        block2(v20: i64):
          v21 = load.u16 $heap [v20 + v10*2 - 4]
          store.i8 v21, $heap [v20+8]
          return v21
        }
        """);
    assertEquals("""
        memory $heap 65536
        import c @sqrt(f64) -> f64

        function @f(i64) -> i64 @7 {
        block0(v0: i64):
            v1 = iconst -16 @1
            jump block1(v1)
        block1(v2: i64):
            v3 = load.u16 $heap [v2 + v0*2 - 4]
            store.i8 v3, $heap [v2 + 8]
            return v3
        }
        """, IrPrinter.print(m));
  }

  @Test
  void floatConstantsKeepTheirBits() {
    Random random = new Random(12);
    Module m = new Module();
    FunctionBuilder b = m.define("f", Signature.of(List.of(), null));
    long[] special = {0, Long.MIN_VALUE, 0x7ff0000000000000L, 0xfff0000000000000L,
        0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff0000000000001L, 1, 0x000fffffffffffffL,
        Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(Double.MAX_VALUE)};
    for (long bits : special) {
      b.fconst(Double.longBitsToDouble(bits));
    }
    for (int i = 0; i < 1000; i++) {
      b.fconst(Double.longBitsToDouble(random.nextLong()));
    }
    b.ret();
    Function f = b.finish();
    Function back = IrParser.parse(IrPrinter.print(m)).functions().get(0);
    List<Instruction> expected = f.entry().instructions();
    List<Instruction> actual = back.entry().instructions();
    for (int i = 0; i < expected.size() - 1; i++) {
      assertEquals(Long.toHexString(expected.get(i).immediate()),
          Long.toHexString(actual.get(i).immediate()), expected.get(i).toString());
    }
  }

  private static String error(String text) {
    IrSyntaxException e = assertThrows(IrSyntaxException.class, () -> IrParser.parse(text));
    return e.getMessage();
  }

  @Test
  void parseErrorsSayWhereAndWhat() {
    assertEquals("3:15: expected a value (vN), found '5'", error("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd 5, v0
            return v1
        }
        """));
    assertEquals("3:10: unknown instruction 'iaddd'", error("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iaddd v0, v0
        }
        """));
    assertEquals("4:12: v9 is not defined in @f", error("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd v0, v0
            return v9
        }
        """));
    assertEquals("3:5: v0 is defined twice", error("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v0 = iconst 1
            return v0
        }
        """));
    assertEquals("3:10: no function @g is declared", error("""
        function @f() {
        block0:
            call @g()
            return
        }
        """));
    assertEquals("3:5: iconst produces a value: write 'vN = iconst ...'", error("""
        function @f() {
        block0:
            iconst 1
            return
        }
        """));
    assertEquals("3:17: integer 9223372036854775808 does not fit in 64 bits", error("""
        function @f() {
        block0:
            v0 = iconst 9223372036854775808
            return
        }
        """));
    assertEquals("1:1: expected 'memory', 'import' or 'function', found 'block0'",
        error("block0:\n"));
    assertEquals("2:8: memory $m is already declared", error("memory $m 8\nmemory $m 8\n"));
    assertEquals("3:10: no block7 in @f", error("""
        function @f() {
        block0:
            jump block7
        }
        """));
    assertEquals("2:9: expected the end of the line, found 'return'", error("""
        function @f() {
        block0: return
        }
        """));
    assertEquals("1:1: function without its closing '}'", error("function @f() {\nblock0:\n"));
  }
}
