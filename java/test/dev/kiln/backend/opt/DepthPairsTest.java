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

class DepthPairsTest {
  private static final Pass DEPTH = new DepthPairs();

  @Test
  void cancelsALeaveAndTheEnterOfTheSameLevelsAfterItInOneBlock() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iadd v0, v0
            v2 = iconst 1
            depth_leave v2
            v3 = iadd v1, v0
            depth_enter 1 @5
            v4 = imul v3, v3
            depth_leave v2
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iadd v0, v0
            v2 = iconst 1
            v3 = iadd v1, v0
            v4 = imul v3, v3
            depth_leave v2
            return v4
        }
        """, DEPTH);
  }

  @Test
  void cancelsTheLeavesOfEveryJumpingPredecessorWithTheEnterStartingTheJoin() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            depth_leave v1
            jump block3(v0)
        block2:
            v2 = iadd v0, v0
            depth_leave v1
            jump block3(v2)
        block3(v3: i64):
            v4 = iadd v3, v1
            depth_enter 1 @5
            depth_leave v1
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            jump block3(v0)
        block2:
            v2 = iadd v0, v0
            jump block3(v2)
        block3(v3: i64):
            v4 = iadd v3, v1
            depth_leave v1
            return v4
        }
        """, DEPTH);
  }

  @Test
  void keepsAPairWithACallBetweenThatWouldRunDeeper() {
    String ir = """
        function @g(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            depth_leave v1
            v2 = call @g(v0) @5
            depth_enter 1 @6
            v3 = call @g(v2) @7
            depth_leave v1
            return v3
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }

  @Test
  void keepsAPairWithAPossibleTrapOrDifferentLevelsBetween() {
    String ir = """
        memory $m 64
        function @g(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 2 @4
            v1 = iconst 2
            depth_leave v1
            v2 = load.i64 $m [v0] @5
            depth_enter 2 @6
            v3 = call @g(v2) @7
            depth_leave v1
            depth_enter 1 @8
            v4 = call @g(v3) @9
            v5 = iconst 1
            depth_leave v5
            return v4
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }

  @Test
  void keepsTheEnterOfAJoinThatOnePredecessorReachesWithoutLeaving() {
    String ir = """
        function @g(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            depth_leave v1
            jump block3
        block2:
            depth_leave v1
            v2 = iadd v0, v0
            depth_enter 1 @6
            depth_leave v1
            brif v2, block3, block4
        block3:
            depth_enter 1 @5
            v3 = call @g(v0) @7
            depth_leave v1
            return v3
        block4:
            return v0
        }
        """;
    String after = ir.replace("""
            depth_leave v1
            v2 = iadd v0, v0
            depth_enter 1 @6
        """, """
            v2 = iadd v0, v0
        """);
    assertPasses(ir, after, DEPTH);
  }

  @Test
  void keepsTheEnterStartingAFunction() {
    String ir = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            depth_leave v1
            return v0
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }

  /** A guard's early return after a sibling call: the call's check covers the probe's. */
  @Test
  void removesTheProbeOfAGuardedCallAfterACallOfTheSameLevels() {
    String before = """
        function @g(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @g(v0) @4
            v2 = iconst 2
            v3 = icmp slt v0, v2
            brif v3, block1, block2
        block1:
            depth_enter 1 @5
            v4 = iconst 1
            v5 = iadd v0, v4
            depth_leave v4
            jump block3(v5)
        block2:
            v6 = call @g(v0) @5
            jump block3(v6)
        block3(v7: i64):
            v8 = iadd v1, v7
            return v8
        }
        """;
    assertPasses(before, before.replace("""
            depth_enter 1 @5
            v4 = iconst 1
            v5 = iadd v0, v4
            depth_leave v4
        """, """
            v4 = iconst 1
            v5 = iadd v0, v4
        """), DEPTH);
  }

  /** The first of two sibling probes tests the depth; the second, of more levels, too. */
  @Test
  void keepsTheProbesWhoseLevelsAreNotKnownLeft() {
    String ir = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            depth_leave v1
            depth_enter 2 @5
            v2 = iconst 2
            depth_leave v2
            return v0
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }

  /**
   * Guarded sibling calls at the bottom of a recursion, of one level, then two, then two: each
   * depth limit traps at the same call as the interpreter, or returns the same.
   */
  @Test
  void siblingsWithoutTheirProbesOverflowAsInTheInterpreter() {
    Module m = IrParser.parse("""
        function @one(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = icmp slt v0, v1
            brif v2, block1, block2
        block1:
            return v0
        block2:
            v3 = isub v0, v1
            v4 = call @one(v3) @11
            v5 = isub v0, v4
            return v5
        }
        function @leaf(i64) -> i64 levels 2 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = icmp slt v0, v1
            brif v2, block1, block2
        block1:
            return v0
        block2:
            v3 = isub v0, v1
            v4 = call @leaf(v3) @10
            v5 = isub v0, v4
            return v5
        }
        function @down(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 1
            v3 = icmp slt v0, v2
            brif v3, block1, block2
        block1:
            v4 = call @one(v1) @4
            v5 = iconst 0
            v6 = call @leaf(v5) @5
            v7 = call @leaf(v1) @6
            v8 = iadd v4, v6
            v9 = iadd v8, v7
            return v9
        block2:
            v10 = isub v0, v2
            v11 = call @down(v10, v1) @7
            return v11
        }
        """);
    for (int depth = 1; depth <= 12; depth++) {
      InstanceOptions options = new InstanceOptions().maxCallDepth(depth);
      try (Instance interpreted = Interpreter.instantiate(m, options);
          Instance compiled = Backend.compile(m, new CompileOptions(), options)) {
        for (long n = 0; n <= 8; n++) {
          for (long arg = 0; arg <= 2; arg++) {
            assertEquals(outcome(interpreted, n, arg), outcome(compiled, n, arg),
                "down(" + n + ", " + arg + ") at depth " + depth);
          }
        }
      }
    }
  }

  private static String outcome(Instance instance, long n, long arg) {
    try {
      return "returned " + instance.call("down", n, arg);
    } catch (TrapException e) {
      return e.kind() + " in " + e.function() + " at " + e.position();
    }
  }
}
