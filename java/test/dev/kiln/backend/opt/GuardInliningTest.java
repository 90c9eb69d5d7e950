package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import org.junit.jupiter.api.Test;

class GuardInliningTest {
  private static final Pass GUARDS = new GuardInlining();

  /** {@code g} returns {@code n + 2} at once for {@code n < 2}, through a jump with arguments. */
  private static final String GUARDED = """
      import @log(i64) -> i64
      function @g(i64) -> i64 levels 2 {
      block0(v0: i64):
          v1 = iconst 2
          jump block1(v1)
      block1(v2: i64):
          v3 = icmp slt v0, v2 @1
          brif v3, block3, block2 @1
      block2:
          v4 = call @log(v0) @2
          return v4
      block3:
          v5 = iadd v0, v2
          jump block4
      block4:
          return v5 @3
      }
      function @caller(i64) -> i64 {
      block0(v0: i64):
          v1 = call @g(v0) @7
          v2 = iadd v1, v0
          return v2
      }
      """;

  @Test
  void theCallerTestsTheGuardAndCallsOnlyPastItKeepingTheDepthCheck() {
    assertPasses(GUARDED, GUARDED.substring(0, GUARDED.indexOf("function @caller")) + """
        function @caller(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 2
            v2 = icmp slt v0, v1 @1
            brif v2, block1, block2 @1
        block1:
            depth_enter 2 @7
            v3 = iconst 2
            v4 = iadd v0, v1
            depth_leave v3
            jump block3(v4) @7
        block2:
            v5 = call @g(v0) @7
            jump block3(v5) @7
        block3(v6: i64):
            v7 = iadd v6, v0
            return v7
        }
        """, GUARDS);
  }

  @Test
  void notAGuardThatCanTrapOrBeSeenNorALargeOne() {
    String traps = GUARDED.replace("v5 = iadd v0, v2", "v5 = sdiv v2, v0");
    assertPasses(traps, traps, GUARDS);
    String writes = GUARDED.replace("""
            v5 = iadd v0, v2
        """, """
            v5 = iadd v0, v2
            store.i64 v5, $m [v0]
        """).replace("import @log", "memory $m 64\nimport @log");
    assertPasses(writes, writes, GUARDS);
    String calls = GUARDED.replace("v3 = icmp slt v0, v2 @1", "v3 = call @log(v0)");
    assertPasses(calls, calls, GUARDS);
    StringBuilder chain = new StringBuilder("    v10 = iadd v0, v2\n");
    for (int i = 11; i < 10 + Thresholds.GUARD_CLAUSE_BUDGET; i++) {
      chain.append("    v").append(i).append(" = iadd v").append(i - 1).append(", v2\n");
    }
    chain.append("    v5 = iadd v").append(9 + Thresholds.GUARD_CLAUSE_BUDGET).append(", v2\n");
    String large = GUARDED.replace("    v5 = iadd v0, v2\n", chain);
    assertPasses(large, large, GUARDS);
  }

  @Test
  void notACalleeThatLoopsBeforeItsBranch() {
    String loops = """
        function @spin(i64) -> i64 {
        block0(v0: i64):
            jump block1
        block1:
            jump block1
        }
        function @caller(i64) -> i64 {
        block0(v0: i64):
            v1 = call @spin(v0)
            return v1
        }
        """;
    assertPasses(loops, loops, GUARDS);
  }

  @Test
  void aRecursionOverflowsAndReturnsAsInTheInterpreter() {
    Module fib = IrParser.parse("""
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
            v5 = call @fib(v4) @4
            v6 = isub v0, v1
            v7 = call @fib(v6) @5
            v8 = iadd v5, v7
            return v8
        }
        """);
    for (int depth = 1; depth <= 8; depth++) {
      InstanceOptions options = new InstanceOptions().maxCallDepth(depth);
      try (Instance interpreted = Interpreter.instantiate(fib, options);
          Instance compiled = Backend.compile(fib, new CompileOptions(), options)) {
        for (long n = 0; n <= 9; n++) {
          assertEquals(outcome(interpreted, n), outcome(compiled, n), "fib(" + n + ") at depth "
              + depth);
        }
      }
    }
  }

  private static String outcome(Instance instance, long n) {
    try {
      return "returned " + instance.call("fib", n);
    } catch (TrapException e) {
      return e.kind() + " in " + e.function() + " at " + e.position();
    }
  }
}
