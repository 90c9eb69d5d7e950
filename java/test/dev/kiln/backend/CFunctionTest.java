package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.runtime.CSymbols;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.HostFunction;
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
    Module many = IrParser.parse("""
        import c @g(i64, i64, i64, i64, i64, i64, i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @g(v0, v0, v0, v0, v0, v0, v0)
            return v1
        }
        """);
    assertEquals("@f calls the C function @g with 7 arguments: the back end passes C arguments"
        + " in registers only (" + CallingConvention.host().name() + ")",
        assertThrows(UnsupportedOperationException.class,
            () -> Backend.compile(many, new CompileOptions(), new InstanceOptions()
                .bindC("g", HostFunction.ADD.address()))).getMessage());
  }
}
