package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.runtime.CSymbols;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.CodeCache;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.InstalledCode;
import dev.kiln.runtime.Signature;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** C functions called by compiled code in the host convention, bound by address or by name. */
class CFunctionTest {
  private static final String LIBC = CallingConvention.host() == CallingConvention.WINDOWS_X64
      ? "msvcrt.dll" : null;

  private static final Module MODULE = IrParser.parse("""
      import c @add(i64, i64) -> i64
      import c @labs(i64) -> i64
      import c @ldexp(f64, i64) -> f64
      function @f(i64, f64) -> f64 {
      block0(v0: i64, v1: f64):
          v2 = iconst 1000
          v3 = call @add(v0, v2)
          v4 = call @labs(v3)
          v5 = call @ldexp(v1, v4)
          v6 = fcvt_from_sint v3
          v7 = fadd v5, v6
          return v7
      }
      """);

  static List<CallingConvention> conventions() {
    return List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64);
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void argumentsOfBothClassesGoWhereTheHostConventionWantsThem(CallingConvention c) {
    InstanceOptions options = new InstanceOptions()
        .bindC("add", HostFunction.ADD.address())
        .bindC("labs", CSymbols.lookup(LIBC, "labs"))
        .bindC("ldexp", CSymbols.lookup(LIBC, "ldexp"));
    try (CompiledModule m = Backend.compile(MODULE, new CompileOptions().convention(c), options)) {
      // add(-1003, 1000) = -3, labs(-3) = 3, ldexp(1.5, 3) = 12, plus -3 kept across the calls
      assertEquals(9.0, m.call("f", -1003L, 1.5));
    }
  }

  @Test
  void anUnboundOrMissingCFunctionIsAClearError() {
    assertEquals("C function @add is not bound (InstanceOptions.bindC)",
        assertThrows(IllegalArgumentException.class,
            () -> Backend.compile(MODULE, new CompileOptions())).getMessage());
    assertEquals("C function kiln_no_such_function not found in the process",
        assertThrows(IllegalArgumentException.class,
            () -> CSymbols.lookup(null, "kiln_no_such_function")).getMessage());
  }

  /**
   * A System V function of 8 integer and 9 float arguments, 3 of them on the stack, written with
   * the assembler: it returns {@code sum((i + 1) * a_i) + sum(f_j * 2^j)}.
   */
  private static byte[] mixedArguments() {
    Assembler a = new Assembler();
    a.mov(Reg.RAX, Reg.RDI);
    Reg[] ints = {Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9};
    for (int i = 0; i < ints.length; i++) {
      a.imul(Reg.R10, ints[i], i + 2);
      a.add(Reg.RAX, Reg.R10);
    }
    for (int i = 0; i < 2; i++) { // a_6 and a_7 above the return address
      a.imul(Reg.R10, Mem.qword(Reg.RSP, 8 + 8 * i), 7 + i);
      a.add(Reg.RAX, Reg.R10);
    }
    Xmm acc = Xmm.of(15);
    a.movsd(acc, Mem.qword(Reg.RSP, 24)); // f_8, the third stack argument
    for (int j = 7; j >= 0; j--) {
      a.mulsd(acc, a.constant(2.0));
      a.addsd(acc, Xmm.of(j));
    }
    a.cvtsi2sd(Xmm.of(1), Reg.RAX);
    a.movapd(Xmm.of(0), acc);
    a.addsd(Xmm.of(0), Xmm.of(1));
    a.ret();
    return a.finish();
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void argumentsBeyondTheRegistersGoOnTheStack(CallingConvention c) {
    assumeTrue(CallingConvention.host() == CallingConvention.SYSTEM_V, "a System V C function");
    StringBuilder ir = new StringBuilder("import c @mix(i64, i64, i64, i64, i64, i64, i64, i64,"
        + " f64, f64, f64, f64, f64, f64, f64, f64, f64) -> f64\n"
        + "function @f() -> f64 {\nblock0:\n");
    for (int i = 0; i < 8; i++) {
      ir.append("    v").append(i).append(" = iconst ").append(i + 1).append('\n');
    }
    for (int j = 0; j < 9; j++) {
      ir.append("    v").append(8 + j).append(" = fconst ").append(j + 0.5).append('\n');
    }
    ir.append("    v17 = call @mix(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13,"
        + " v14, v15, v16)\n    return v17\n}\n");
    double expected = 204; // sum of (i + 1)^2 for i < 8
    for (int j = 0; j < 9; j++) {
      expected += (j + 0.5) * Math.pow(2, j);
    }
    try (CodeCache cache = new CodeCache()) {
      InstalledCode mix = cache.install(mixedArguments(), Signature.longs(0));
      try (CompiledModule m = Backend.compile(IrParser.parse(ir.toString()),
          new CompileOptions().convention(c),
          new InstanceOptions().bindC("mix", mix.address()))) {
        assertEquals(expected, m.call("f"));
      }
    }
  }
}
