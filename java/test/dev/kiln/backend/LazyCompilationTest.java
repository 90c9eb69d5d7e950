package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.runtime.CallingConvention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A module whose functions compile on their first call ({@link CompileOptions#lazy(boolean)}):
 * only what runs is compiled, and a function reached through its stand-in gets its arguments,
 * traps and callbacks as if compiled with the module. (Every IR file and random module also runs
 * lazily: {@link Engines}.)
 */
class LazyCompilationTest {
  static List<CallingConvention> conventions() {
    return List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64);
  }

  private static CompiledModule lazily(Module m, CallingConvention c, InstanceOptions o) {
    return Backend.compile(m, new CompileOptions().convention(c).lazy(true), o);
  }

  /** main calls @used through @twice; @unused is never called until the host calls it. */
  private static final String THREE = """
      function @used(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 1
          v2 = iadd v0, v1
          return v2
      }
      function @unused(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 100
          v2 = imul v0, v1
          return v2
      }
      function @twice(i64) -> i64 {
      block0(v0: i64):
          v1 = call @used(v0)
          v2 = call @used(v1)
          return v2
      }
      function @main() -> i64 {
      block0:
          v0 = iconst 40
          v1 = call @twice(v0)
          return v1
      }
      """;

  @ParameterizedTest
  @MethodSource("conventions")
  void onlyTheFunctionsThatAreCalledAreCompiled(CallingConvention c) {
    Module m = IrParser.parse(THREE);
    // unoptimized, so that @used and @twice are not inlined into @main
    try (CompiledModule run = Backend.compile(m,
        new CompileOptions().convention(c).lazy(true).optimize(false), new InstanceOptions())) {
      assertEquals(0, run.statistics().functions());
      assertEquals(42L, run.call("main"));
      assertEquals(3, run.statistics().functions(), "main, twice, used");
      assertEquals(42L, run.call("main"));
      assertEquals(3, run.statistics().functions(), "nothing compiled twice");
      assertEquals(700L, run.call("unused", 7L));
      CompileStatistics s = run.statistics();
      assertEquals(4, s.functions());
      assertTrue(s.firstCallNanos() > 0 && s.compileNanos() > 0, s.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void argumentsBeyondTheRegistersPassThroughTheStandIn(CallingConvention c) {
    // 8 i64 and 10 f64 parameters: two of each go on the stack in the internal convention
    StringBuilder params = new StringBuilder();
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 18; i++) {
      params.append(i == 0 ? "" : ", ").append(i < 8 ? "i64" : "f64");
      names.append(i == 0 ? "" : ", ").append("v").append(i).append(": ")
          .append(i < 8 ? "i64" : "f64");
    }
    Module m = IrParser.parse("""
        function @weigh(%s) -> i64 {
        block0(%s):
            v20 = fadd v8, v17
            v21 = fcvt_to_sint_sat v20
            v22 = iadd v0, v7
            v23 = imul v22, v21
            v24 = iadd v23, v1
            return v24
        }
        function @main() -> i64 {
        block0:
            v0 = iconst 3
            v1 = iconst 5
            v2 = iconst 0
            v3 = iconst 4
            v4 = fconst 1.5
            v5 = fconst 0.0
            v6 = fconst 2.5
            v7 = call @weigh(v0, v1, v2, v2, v2, v2, v2, v3, v4, v5, v5, v5, v5, v5, v5, v5, v5, v6)
            return v7
        }
        """.formatted(params, names));
    try (CompiledModule run = Backend.compile(m,
        new CompileOptions().convention(c).lazy(true).optimize(false), new InstanceOptions())) {
      assertEquals((3L + 4L) * 4L + 5L, run.call("main"));
      assertEquals(2, run.statistics().functions());
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void aCallbackMayReachAFunctionNotCompiledYet(CallingConvention c) {
    Module m = IrParser.parse("""
        import @host(i64) -> i64
        function @leaf(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = iconst 7
            v3 = sdiv v2, v0 @12
            return v3
        }
        function @main(i64) -> i64 {
        block0(v0: i64):
            v1 = call @host(v0)
            return v1
        }
        """);
    CompiledModule[] self = new CompiledModule[1];
    self[0] = lazily(m, c, new InstanceOptions()
        .bind("host", args -> (Long) self[0].call("leaf", args[0]) + 1));
    try (CompiledModule run = self[0]) {
      assertEquals(4L, run.call("main", 2L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("main", 0L));
      assertEquals(TrapKind.DIVISION_BY_ZERO, e.kind());
      assertEquals("leaf", e.function());
      assertEquals(12, e.position());
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void aTrapInALazilyCompiledFunctionUnwindsEveryFrame(CallingConvention c) {
    Module m = IrParser.parse("""
        function @down(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = call @down(v2)
            return v3
        }
        """);
    try (CompiledModule run = lazily(m, c, new InstanceOptions().maxCallDepth(500))) {
      TrapException e = assertThrows(TrapException.class, () -> run.call("down", 5L));
      assertEquals(TrapKind.STACK_OVERFLOW, e.kind());
      assertEquals(TrapKind.STACK_OVERFLOW,
          assertThrows(TrapException.class, () -> run.call("down", 5L)).kind(), "again");
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void aFunctionFirstCalledNearTheDepthLimitCompilesThere(CallingConvention c) {
    // without helpers or inlining, @bottom compiles when the recursion first reaches it, 99,990
    // frames deep
    Module m = IrParser.parse("""
        function @bottom(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = imul v0, v1
            return v2
        }
        function @down(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = call @down(v2)
            v4 = iadd v3, v1
            return v4
        block2:
            v5 = iconst 14
            v6 = call @bottom(v5)
            return v6
        }
        """);
    try (CompiledModule run = Backend.compile(m,
        new CompileOptions().convention(c).lazy(true).parallel(false).optimize(false),
        new InstanceOptions())) {
      assertEquals(99_988L + 42L, run.call("down", 99_988L));
      assertEquals(2, run.statistics().functions());
      assertEquals(TrapKind.STACK_OVERFLOW,
          assertThrows(TrapException.class, () -> run.call("down", 100_000L)).kind());
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void thePerfMapNamesAFunctionWhenItIsCompiled(CallingConvention c) throws IOException {
    String probe = "lazy_perf_map_probe_" + (c == CallingConvention.SYSTEM_V ? "sysv" : "win64");
    Module m = IrParser.parse(THREE.replace("@unused", "@" + probe));
    Path map = Path.of("/tmp/perf-" + ProcessHandle.current().pid() + ".map");
    try (CompiledModule run = Backend.compile(m,
        new CompileOptions().convention(c).lazy(true).perfMap(true), new InstanceOptions())) {
      run.call("main");
      assertTrue(!Files.exists(map) || Files.readAllLines(map).stream()
          .noneMatch(l -> l.endsWith("kiln-ir:@" + probe)), "not compiled yet");
      run.call(probe, 1L);
      assertTrue(Files.readAllLines(map).stream()
          .anyMatch(l -> l.matches("[0-9a-f]+ [0-9a-f]+ kiln-ir:@" + probe)));
    }
  }
}
