package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class InliningTest {
  private static final Pass INLINE = new Inlining();

  private static final String SCALE = """
      function @scale(i64, i64) -> i64 levels 2 {
      block0(v0: i64, v1: i64):
          brif v1, block1, block2
      block1:
          v2 = sdiv v1, v0 @20
          return v2
      block2:
          return v0
      }
      function @caller(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = call @scale(v0, v1) @7
          v3 = iadd v2, v0
          return v3
      }
      """;

  /**
   * Nothing in a body without calls sees the depth, so the levels are given back right after the
   * check (a callee that calls keeps them until it returns: {@code logs} below).
   */
  @Test
  void aSmallLeafsBlocksReplaceTheCallKeepingItsDepthCheck() {
    assertPasses(SCALE, """
        function @scale(i64, i64) -> i64 levels 2 {
        block0(v0: i64, v1: i64):
            brif v1, block1, block2
        block1:
            v2 = sdiv v1, v0 @20
            return v2
        block2:
            return v0
        }
        function @caller(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            depth_enter 2 @7
            v2 = iconst 2
            depth_leave v2
            jump block1
        block1:
            brif v1, block2, block3
        block2:
            v3 = sdiv v1, v0 @20
            jump block4(v3)
        block3:
            jump block4(v0)
        block4(v4: i64):
            v5 = iadd v4, v0
            return v5
        }
        """, INLINE);
  }

  @Test
  void anInlinedCalleesTrapsReportItAndTheCallsDepthCheckTheCaller() {
    Module module = IrParser.parse(SCALE);
    List<BiFunction<Module, InstanceOptions, Instance>> modes = List.of(
        Interpreter::instantiate, (m, o) -> Backend.compile(m, new CompileOptions(), o));
    for (var mode : modes) {
      try (Instance instance = mode.apply(module, new InstanceOptions())) {
        assertEquals(3L, instance.call("caller", 3L, 2L));
        TrapException e = assertThrows(TrapException.class,
            () -> instance.call("caller", 0L, 2L));
        assertEquals("division by zero in @scale at position 20", e.getMessage());
      }
      try (Instance instance = mode.apply(module, new InstanceOptions().maxCallDepth(2))) {
        TrapException e = assertThrows(TrapException.class,
            () -> instance.call("caller", 3L, 2L));
        assertEquals(TrapKind.STACK_OVERFLOW, e.kind());
        assertEquals("caller", e.function());
        assertEquals(7, e.position());
      }
    }
  }

  @Test
  void notACalleeThatNeverReturns() {
    String unchanged = """
        function @fails(i64) -> i64 {
        block0(v0: i64):
            trap 3 @2
        }
        function @caller(i64) -> i64 {
        block0(v0: i64):
            v1 = call @fails(v0)
            return v1
        }
        """;
    assertPasses(unchanged, unchanged, INLINE);
  }

  @Test
  void notRecursiveOrNonLeafCalleesNorLargerOnesOutsideLoops() {
    String before = """
        import @log(i64) -> i64
        function @big(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd v0, v0
            v2 = iadd v1, v1
            v3 = iadd v2, v2
            v4 = iadd v3, v3
            v5 = iadd v4, v4
            v6 = iadd v5, v5
            v7 = iadd v6, v6
            v8 = iadd v7, v7
            v9 = iadd v8, v8
            v10 = iadd v9, v9
            v11 = iadd v10, v10
            v12 = iadd v11, v11
            return v12
        }
        function @logs(i64) -> i64 {
        block0(v0: i64):
            v1 = call @log(v0)
            return v1
        }
        function @self(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = call @self(v2)
            return v3
        block2:
            return v0
        }
        function @calls(i64) -> i64 {
        block0(v0: i64):
            v1 = call @big(v0)
            v2 = call @self(v1)
            v3 = call @calls(v2)
            return v3
        }
        function @loop(i64) -> i64 {
        block0(v0: i64):
            v1 = call @big(v0)
            jump block1(v0)
        block1(v2: i64):
            v3 = call @big(v2)
            v4 = call @logs(v3)
            brif v4, block1(v4), block2
        block2:
            return v3
        }
        """;
    assertPasses(before, before.replace("""
        block1(v2: i64):
            v3 = call @big(v2)
            v4 = call @logs(v3)
            brif v4, block1(v4), block2
        block2:
            return v3
        """, """
        block1(v2: i64):
            depth_enter 1
            v3 = iconst 1
            depth_leave v3
            jump block2
        block2:
            v4 = iadd v2, v2
            v5 = iadd v4, v4
            v6 = iadd v5, v5
            v7 = iadd v6, v6
            v8 = iadd v7, v7
            v9 = iadd v8, v8
            v10 = iadd v9, v9
            v11 = iadd v10, v10
            v12 = iadd v11, v11
            v13 = iadd v12, v12
            v14 = iadd v13, v13
            v15 = iadd v14, v14
            jump block3(v15)
        block3(v16: i64):
            depth_enter 1
            v17 = iconst 1
            jump block4
        block4:
            v18 = call @log(v16)
            depth_leave v17
            jump block5(v18)
        block5(v19: i64):
            brif v19, block1(v19), block6
        block6:
            return v16
        """), INLINE);
  }

  /** A recursion that is no tail call: {@code down(n) = n == 0 ? 0 : down(n - 1) - n}. */
  private static final String DOWN = """
      function @down(i64) -> i64 {
      block0(v0: i64):
          brif v0, block1, block2
      block1:
          v1 = iconst 1
          v2 = isub v0, v1
          v3 = call @down(v2) @4
          v4 = isub v3, v0
          return v4
      block2:
          return v0
      }
      """;

  @Test
  void aSmallRecursionIsInlinedIntoItselfTwoLevelsDeepKeepingEveryDepthCheck() {
    assertPasses(DOWN, """
        function @down(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block10
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            depth_enter 1 @4
            v3 = iconst 1
            jump block2
        block2:
            brif v2, block3, block8
        block3:
            v4 = iconst 1
            v5 = isub v2, v4
            depth_enter 1 @4
            v6 = iconst 1
            jump block4
        block4:
            brif v5, block5, block6
        block5:
            v7 = iconst 1
            v8 = isub v5, v7
            v9 = call @down(v8) @4
            v10 = isub v9, v5
            depth_leave v6
            jump block7(v10)
        block6:
            depth_leave v6
            jump block7(v5)
        block7(v11: i64):
            v12 = isub v11, v2
            depth_leave v3
            jump block9(v12)
        block8:
            depth_leave v3
            jump block9(v2)
        block9(v13: i64):
            v14 = isub v13, v0
            return v14
        block10:
            return v0
        }
        """, INLINE);
  }

  @Test
  void aSelfInlinedRecursionOverflowsAndTrapsAtTheSameCallAsTheInterpreter() {
    // divides by n - 1 after the call: by zero in the deepest frame, whatever level it is inlined at
    Module module = IrParser.parse(DOWN.replace("v4 = isub v3, v0", "v4 = sdiv v3, v2 @9"));
    for (int depth = 1; depth <= 8; depth++) {
      InstanceOptions options = new InstanceOptions().maxCallDepth(depth);
      try (Instance interpreted = Interpreter.instantiate(module, options);
          Instance compiled = Backend.compile(module, new CompileOptions(), options)) {
        for (long n = 0; n <= 8; n++) {
          assertEquals(outcome(interpreted, n), outcome(compiled, n), "down(" + n + ") at depth "
              + depth);
        }
      }
    }
  }

  private static String outcome(Instance instance, long n) {
    try {
      return "returned " + instance.call("down", n);
    } catch (TrapException e) {
      return e.kind() + " in " + e.function() + " at " + e.position();
    }
  }

  @Test
  void notARecursionThatTailRecursionMakesALoopNorALargerOne() {
    String accumulates = DOWN.replace("v4 = isub v3, v0", "v4 = iadd v3, v0");
    assertPasses(accumulates, accumulates, INLINE);
    StringBuilder large = new StringBuilder("    v10 = isub v3, v0\n");
    for (int i = 11; i < 10 + Thresholds.INLINE_SELF_BUDGET; i++) {
      large.append("    v").append(i).append(" = isub v").append(i - 1).append(", v0\n");
    }
    large.append("    v4 = isub v").append(9 + Thresholds.INLINE_SELF_BUDGET).append(", v0\n");
    String big = DOWN.replace("    v4 = isub v3, v0\n", large);
    assertPasses(big, big, INLINE);
  }

  @Test
  void aCallOfItselfIsInlinedOnlyFromACopyOfTheBody() {
    Function down = IrParser.parse(DOWN).copy().functions().get(0);
    Block block1 = down.blocks().get(1);
    assertThrows(IllegalArgumentException.class, () -> down.inlineCall(block1, 2));
    assertThrows(IllegalArgumentException.class, () -> down.inlineCall(block1, 2, down));
    down.inlineCall(block1, 2, down.bodyCopy());
    down.module().verify();
  }
}
