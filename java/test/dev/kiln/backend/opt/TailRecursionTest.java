package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class TailRecursionTest {
  private static final Pass TRE = new TailRecursion();

  @Test
  void aReturnedSelfCallBecomesAJumpToTheStartTakingTheFramesLevels() {
    assertPasses("""
        function @count(i64, i64) -> i64 levels 3 @9 {
        block0(v0: i64, v1: i64):
            brif v0, block1, block2
        block1:
            v2 = iconst 1
            v3 = isub v0, v2
            v4 = iadd v1, v2
            v5 = call @count(v3, v4) @4
            return v5
        block2:
            return v1 @6
        }
        """, """
        function @count(i64, i64) -> i64 levels 3 @9 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            jump block1(v0, v1, v2)
        block1(v3: i64, v4: i64, v5: i64):
            brif v3, block2, block3
        block2:
            v6 = iconst 1
            v7 = isub v3, v6
            v8 = iadd v4, v6
            depth_enter 3 @4
            v9 = iconst 3
            v10 = iadd v5, v9
            jump block1(v7, v8, v10) @9
        block3:
            depth_leave v5
            return v4 @6
        }
        """, TRE);
  }

  @Test
  void fibAccumulatesTheOtherCallsResultAndEveryReturnAppliesTheAccumulator() {
    assertPasses("""
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
            v7 = call @fib(v6) @8
            v8 = iadd v5, v7
            return v8
        }
        """, """
        function @fib(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = iconst 0
            jump block1(v0, v1, v2)
        block1(v3: i64, v4: i64, v5: i64):
            v6 = iconst 2
            v7 = icmp slt v3, v6
            brif v7, block2, block3
        block2:
            v8 = iadd v4, v3
            depth_leave v5
            return v8
        block3:
            v9 = iconst 1
            v10 = isub v3, v9
            v11 = call @fib(v10)
            v12 = isub v10, v9
            depth_enter 1 @8
            v13 = iadd v4, v11
            v14 = iconst 1
            v15 = iadd v5, v14
            jump block1(v12, v13, v15)
        }
        """, TRE);
  }

  @Test
  void multiplicationStartsItsAccumulatorAtOneAndAndAtAllOnes() {
    assertPasses("""
        function @fact(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = call @fact(v2)
            v4 = imul v0, v3
            return v4
        block2:
            v5 = iconst 1
            return v5
        }
        function @ands(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = call @ands(v2)
            v4 = band v3, v0
            return v4
        block2:
            return v0
        }
        """, """
        function @fact(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iconst 0
            jump block1(v0, v1, v2)
        block1(v3: i64, v4: i64, v5: i64):
            brif v3, block2, block3
        block2:
            v6 = iconst 1
            v7 = isub v3, v6
            depth_enter 1
            v8 = imul v4, v3
            v9 = iconst 1
            v10 = iadd v5, v9
            jump block1(v7, v8, v10)
        block3:
            v11 = iconst 1
            v12 = imul v4, v11
            depth_leave v5
            return v12
        }
        function @ands(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst -1
            v2 = iconst 0
            jump block1(v0, v1, v2)
        block1(v3: i64, v4: i64, v5: i64):
            brif v3, block2, block3
        block2:
            v6 = iconst 1
            v7 = isub v3, v6
            depth_enter 1
            v8 = band v4, v3
            v9 = iconst 1
            v10 = iadd v5, v9
            jump block1(v7, v8, v10)
        block3:
            v11 = band v4, v3
            depth_leave v5
            return v11
        }
        """, TRE);
  }

  @Test
  void aVoidSelfCallBeforeItsReturnLoops() {
    assertPasses("""
        memory $m 8
        function @fill(i64) {
        block0(v0: i64):
            store.i8 v0, $m [v0]
            brif v0, block1, block2
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            call @fill(v2)
            return
        block2:
            return
        }
        """, """
        memory $m 8
        function @fill(i64) {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v0, v1)
        block1(v2: i64, v3: i64):
            store.i8 v2, $m [v2]
            brif v2, block2, block3
        block2:
            v4 = iconst 1
            v5 = isub v2, v4
            depth_enter 1
            v6 = iconst 1
            v7 = iadd v3, v6
            jump block1(v5, v7)
        block3:
            depth_leave v3
            return
        }
        """, TRE);
  }

  @Test
  void leavesCallsNotInTailPositionFloatsNonAssociativeOpsAndOtherCallees() {
    String unchanged = """
        import @log(i64) -> i64
        function @notTail(i64) -> i64 {
        block0(v0: i64):
            v1 = call @notTail(v0)
            v2 = call @log(v1)
            return v1
        }
        function @sub(i64) -> i64 {
        block0(v0: i64):
            v1 = call @sub(v0)
            v2 = isub v0, v1
            return v2
        }
        function @twice(i64) -> i64 {
        block0(v0: i64):
            v1 = call @twice(v0)
            v2 = iadd v1, v1
            return v2
        }
        function @fsum(f64) -> f64 {
        block0(v0: f64):
            v1 = call @fsum(v0)
            v2 = fadd v0, v1
            return v2
        }
        function @other(i64) -> i64 {
        block0(v0: i64):
            v1 = call @sub(v0)
            return v1
        }
        function @shifted(i64) -> i64 {
        block0(v0: i64):
            v1 = call @shifted(v0)
            v2 = iconst 1
            v3 = iadd v1, v2
            return v3
        }
        """;
    assertPasses(unchanged, unchanged, TRE);
  }

  @Test
  void aSecondAccumulatingOperationStaysACall() {
    assertPasses("""
        function @mixed(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = call @mixed(v0)
            v2 = iadd v0, v1
            return v2
        block2:
            v3 = call @mixed(v0)
            v4 = bxor v0, v3
            return v4
        }
        """, """
        function @mixed(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = iconst 0
            jump block1(v0, v1, v2)
        block1(v3: i64, v4: i64, v5: i64):
            brif v3, block2, block3
        block2:
            depth_enter 1
            v6 = iadd v4, v3
            v7 = iconst 1
            v8 = iadd v5, v7
            jump block1(v3, v6, v8)
        block3:
            v9 = call @mixed(v3)
            v10 = bxor v3, v9
            v11 = iadd v4, v10
            depth_leave v5
            return v11
        }
        """, TRE);
  }
}
