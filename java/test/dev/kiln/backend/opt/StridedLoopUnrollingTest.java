package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.backend.Engines;
import dev.kiln.ir.Instance;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import org.junit.jupiter.api.Test;

class StridedLoopUnrollingTest {
  private static final Pass UNROLL = new StridedLoopUnrolling();

  @Test
  void aScanRunsFourStepsPerGuardAndFallsBackToTheCheckedStepWhenTheGuardFails() {
    // the guard covers [v1 + 1, v1 + 5): the bytes four steps read; each way out computes the
    // pointer it passes from v1, and the last step passes v1 + 4 back to the guard
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v3] @2
            brif v4, block1(v3), block2(v3) @3
        block2(v5: i64):
            return v5
        }
        """, """
        memory $m 64

        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @3
            v4 = iconst 60
            v5 = icmp ule v3, v4 @3
            brif v5, block2, block10(v1) @3
        block2:
            v6 = iconst 1
            v7 = iadd v1, v6 @1
            v8 = load.u8 $m [v1 + 1] inbounds @2
            brif v8, block4, block3 @3
        block3:
            v9 = iconst 1
            v10 = iadd v1, v9 @3
            jump block11(v10) @3
        block4:
            v11 = iconst 1
            v12 = iadd v7, v11 @1
            v13 = load.u8 $m [v1 + 2] inbounds @2
            brif v13, block6, block5 @3
        block5:
            v14 = iconst 2
            v15 = iadd v1, v14 @3
            jump block11(v15) @3
        block6:
            v16 = iconst 1
            v17 = iadd v12, v16 @1
            v18 = load.u8 $m [v1 + 3] inbounds @2
            brif v18, block8, block7 @3
        block7:
            v19 = iconst 3
            v20 = iadd v1, v19 @3
            jump block11(v20) @3
        block8:
            v21 = iconst 4
            v22 = iadd v1, v21 @3
            v23 = iconst 1
            v24 = iadd v17, v23 @1
            v25 = load.u8 $m [v1 + 4] inbounds @2
            brif v25, block1(v22), block9 @3
        block9:
            v26 = iconst 4
            v27 = iadd v1, v26 @3
            jump block11(v27) @3
        block10(v28: i64):
            v29 = iconst 1
            v30 = iadd v28, v29 @1
            v31 = load.u8 $m [v30] @2
            brif v31, block1(v30), block11(v30) @3
        block11(v32: i64):
            return v32
        }
        """, UNROLL);
  }

  @Test
  void aNegativeStrideCoversTheLowestAndHighestByteOfAllFourIterations() {
    // the load at -1, moving by -3: bytes [v1 - 10, v1); the other parameter is carried
    // through the copies, and the exit is the brif's then edge
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0, v0)
        block1(v1: i64, v2: i64):
            v3 = iconst -3
            v4 = iadd v1, v3 @1
            v5 = load.u8 $m [v4 + 2] @2
            brif v5, block2(v4, v1), block1(v4, v2) @3
        block2(v6: i64, v7: i64):
            return v7
        }
        """, """
        memory $m 64

        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0, v0)
        block1(v1: i64, v2: i64):
            v3 = iconst -10
            v4 = iadd v1, v3 @3
            v5 = iconst 54
            v6 = icmp ule v4, v5 @3
            brif v6, block2, block10(v1, v2) @3
        block2:
            v7 = iconst -3
            v8 = iadd v1, v7 @1
            v9 = load.u8 $m [v1 - 1] inbounds @2
            brif v9, block3, block4 @3
        block3:
            v10 = iconst -3
            v11 = iadd v1, v10 @3
            jump block11(v11, v1) @3
        block4:
            v12 = iconst -3
            v13 = iadd v8, v12 @1
            v14 = load.u8 $m [v1 - 4] inbounds @2
            brif v14, block5, block6 @3
        block5:
            v15 = iconst -6
            v16 = iadd v1, v15 @3
            v17 = iconst -3
            v18 = iadd v1, v17 @3
            jump block11(v16, v18) @3
        block6:
            v19 = iconst -3
            v20 = iadd v13, v19 @1
            v21 = load.u8 $m [v1 - 7] inbounds @2
            brif v21, block7, block8 @3
        block7:
            v22 = iconst -9
            v23 = iadd v1, v22 @3
            v24 = iconst -6
            v25 = iadd v1, v24 @3
            jump block11(v23, v25) @3
        block8:
            v26 = iconst -12
            v27 = iadd v1, v26 @3
            v28 = iconst -3
            v29 = iadd v20, v28 @1
            v30 = load.u8 $m [v1 - 10] inbounds @2
            brif v30, block9, block1(v27, v2) @3
        block9:
            v31 = iconst -12
            v32 = iadd v1, v31 @3
            v33 = iconst -9
            v34 = iadd v1, v33 @3
            jump block11(v32, v34) @3
        block10(v35: i64, v36: i64):
            v37 = iconst -3
            v38 = iadd v35, v37 @1
            v39 = load.u8 $m [v38 + 2] @2
            brif v39, block11(v38, v35), block1(v38, v36) @3
        block11(v40: i64, v41: i64):
            return v41
        }
        """, UNROLL);
  }

  @Test
  void aScanOffTheEndTrapsAtTheSameStep() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v3] @2
            brif v4, block2, block1(v3) @3
        block2:
            return v0
        }
        """;
    for (Instance run : Engines.instancesOf(IrParser.parse(text))) {
      try (run) {
        TrapException e = assertThrows(TrapException.class, () -> run.call("f", 0L));
        assertEquals(TrapKind.MEMORY_OUT_OF_BOUNDS, e.kind());
        assertEquals(2, e.position());
        assertEquals(64, e.index());
      }
    }
  }

  @Test
  void aBodyLongerThanAScanStays() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            store.i8 v2, $m [v1] @1
            v3 = iadd v1, v2 @2
            v4 = load.u8 $m [v3] @3
            brif v4, block1(v3), block2(v3) @4
        block2(v5: i64):
            return v5
        }
        """;
    assertPasses(text, text, UNROLL);
  }

  @Test
  void aLoopWhoseValueIsUsedBeyondItsExitEdgeStays() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v3] @2
            brif v4, block1(v3), block2 @3
        block2:
            return v3
        }
        """;
    assertPasses(text, text, UNROLL);
  }

  @Test
  void aLoopWhosePointerDoesNotMoveByAConstantStays() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $m [v1] @1
            v3 = iadd v1, v2 @2
            brif v2, block1(v3), block2(v3) @3
        block2(v4: i64):
            return v4
        }
        """;
    assertPasses(text, text, UNROLL);
  }

  @Test
  void aLoopWithoutCheckedAccessesOnItsPointerStays() {
    String text = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v5: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v5] @2
            brif v4, block1(v3), block2(v3) @3
        block2(v9: i64):
            return v9
        }
        """;
    assertPasses(text, text, UNROLL);
  }
}
