package dev.kiln.asm;

import static dev.kiln.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.asm.text.AsmParser;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.CodeCache;
import dev.kiln.runtime.InstalledCode;
import dev.kiln.runtime.Signature;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The examples of the package overviews ({@code package-info.java} of dev.kiln.asm,
 * dev.kiln.asm.text and dev.kiln.runtime), run as written, with the results their comments state.
 */
class PackageExamplesTest {
  @Test
  void theAssemblerExampleSumsOneToN() {
    CallingConvention cc = CallingConvention.host();
    Reg n = Reg.of(cc.integerArguments().get(0), 64);
    Assembler a = new Assembler();
    Label done = a.label("done");
    a.xor(EAX, EAX);
    a.test(n, n);
    a.jcc(Cond.LE, done);
    Label loop = a.here("loop");
    a.add(RAX, n);
    a.dec(n);
    a.jcc(Cond.NE, loop);
    a.bind(done);
    a.ret();
    byte[] code = a.finish();
    if (cc == CallingConvention.SYSTEM_V) {
      assertEquals("31c04885ff7e084801f848ffcf75f8c3", HexFormat.of().formatHex(code));
    }
    try (CodeCache cache = new CodeCache()) {
      InstalledCode sum = cache.install(code, Signature.longs(1));
      assertEquals(5_000_050_000L, sum.invoke1(100_000));
    }
  }

  @Test
  void theRuntimeExampleIncrementsA64BitValue() {
    assumeTrue(CallingConvention.host() == CallingConvention.SYSTEM_V, "System V is callable");
    byte[] code = {0x48, (byte) 0x8d, 0x47, 0x01, (byte) 0xc3};
    try (CodeCache cache = new CodeCache()) {
      InstalledCode increment =
          cache.install(
              new CodeCache.Function(code, Signature.longs(1), CallingConvention.SYSTEM_V));
      assertEquals(4_294_967_297L, increment.invoke1(1L << 32));
    }
  }

  @Test
  void theRuntimeExamplesWindowsTwinIncrementsA64BitValueEverywhere() {
    byte[] code = HexFormat.ofDelimiter(" ").parseHex("48 8d 41 01 c3");
    try (CodeCache cache = new CodeCache()) {
      InstalledCode increment =
          cache.install(
              new CodeCache.Function(code, Signature.longs(1), CallingConvention.WINDOWS_X64));
      assertEquals(4_294_967_297L, increment.invoke1(1L << 32));
    }
  }

  @Test
  void theTextExampleAssemblesTheIncrement() {
    AsmParser.Result r = AsmParser.assemble("""
        lea rax, [rdi+1]
        ret
        """);
    assertTrue(r.errors().isEmpty(), r.errors().toString());
    assertArrayEquals(HexFormat.ofDelimiter(" ").parseHex("48 8d 47 01 c3"), r.code());
  }
}
