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

  /** A scan for a zero byte: one step forward, a load at the stepped pointer, then the test. */
  private static final String SCAN = """
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
        """;

  @Test
  void aScanRunsFourStepsPerGuardAndFallsBackToTheCheckedStepWhenTheGuardFails() {
    // the guard covers [v1 + 1, v1 + 5): the bytes four steps read; each way out computes the
    // pointer it passes from v1, and the last step passes v1 + 4 back to the guard
    assertPasses(SCAN, """
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
            v21 = iconst 1
            v22 = iadd v17, v21 @1
            v23 = load.u8 $m [v1 + 4] inbounds @2
            v24 = iconst 4
            v25 = iadd v1, v24 @3
            brif v23, block1(v25), block9 @3
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
    // the store at +2 and the load at -3, moving by -3: bytes [v1 - 12, v1 + 3); the other
    // parameter is carried through the copies, and the exit is the brif's then edge
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0, v0)
        block1(v1: i64, v2: i64):
            v3 = iconst 0
            store.i8 v3, $m [v1 + 2] @1
            v4 = iconst -3
            v5 = iadd v1, v4 @2
            v6 = load.u8 $m [v5] @3
            v7 = iadd v2, v6 @4
            brif v6, block2(v5, v1), block1(v5, v7) @5
        block2(v8: i64, v9: i64):
            return v9
        }
        """, """
        memory $m 64

        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0, v0)
        block1(v1: i64, v2: i64):
            v3 = iconst -12
            v4 = iadd v1, v3 @5
            v5 = iconst 49
            v6 = icmp ule v4, v5 @5
            brif v6, block2, block10(v1, v2) @5
        block2:
            v7 = iconst 0
            store.i8 v7, $m [v1 + 2] inbounds @1
            v8 = iconst -3
            v9 = iadd v1, v8 @2
            v10 = load.u8 $m [v1 - 3] inbounds @3
            v11 = iadd v2, v10 @4
            brif v10, block3, block4 @5
        block3:
            v12 = iconst -3
            v13 = iadd v1, v12 @5
            jump block11(v13, v1) @5
        block4:
            v14 = iconst 0
            store.i8 v14, $m [v1 - 1] inbounds @1
            v15 = iconst -3
            v16 = iadd v9, v15 @2
            v17 = load.u8 $m [v1 - 6] inbounds @3
            v18 = iadd v11, v17 @4
            brif v17, block5, block6 @5
        block5:
            v19 = iconst -6
            v20 = iadd v1, v19 @5
            v21 = iconst -3
            v22 = iadd v1, v21 @5
            jump block11(v20, v22) @5
        block6:
            v23 = iconst 0
            store.i8 v23, $m [v1 - 4] inbounds @1
            v24 = iconst -3
            v25 = iadd v16, v24 @2
            v26 = load.u8 $m [v1 - 9] inbounds @3
            v27 = iadd v18, v26 @4
            brif v26, block7, block8 @5
        block7:
            v28 = iconst -9
            v29 = iadd v1, v28 @5
            v30 = iconst -6
            v31 = iadd v1, v30 @5
            jump block11(v29, v31) @5
        block8:
            v32 = iconst 0
            store.i8 v32, $m [v1 - 7] inbounds @1
            v33 = iconst -3
            v34 = iadd v25, v33 @2
            v35 = load.u8 $m [v1 - 12] inbounds @3
            v36 = iadd v27, v35 @4
            v37 = iconst -12
            v38 = iadd v1, v37 @5
            brif v35, block9, block1(v38, v36) @5
        block9:
            v39 = iconst -12
            v40 = iadd v1, v39 @5
            v41 = iconst -9
            v42 = iadd v1, v41 @5
            jump block11(v40, v42) @5
        block10(v43: i64, v44: i64):
            v45 = iconst 0
            store.i8 v45, $m [v43 + 2] @1
            v46 = iconst -3
            v47 = iadd v43, v46 @2
            v48 = load.u8 $m [v47] @3
            v49 = iadd v44, v48 @4
            brif v48, block11(v47, v43), block1(v47, v49) @5
        block11(v50: i64, v51: i64):
            return v51
        }
        """, UNROLL);
  }

  @Test
  void aScanOffTheEndTrapsAtTheSameStepAfterTheSameStores() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            store.i8 v2, $m [v3 - 1] @2
            v4 = load.u8 $m [v3] @3
            brif v4, block2(v4), block1(v3) @4
        block2(v5: i64):
            return v1
        }
        """;
    for (Instance run : Engines.instancesOf(IrParser.parse(text))) {
      try (run) {
        TrapException e = assertThrows(TrapException.class, () -> run.call("f", 0L));
        assertEquals(TrapKind.MEMORY_OUT_OF_BOUNDS, e.kind());
        assertEquals(3, e.position());
        assertEquals(64, e.index());
        for (int i = 0; i < 64; i++) {
          assertEquals(1, run.memory("m").get(i), "byte " + i);
        }
      }
    }
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
            v6 = iconst 8
            v7 = load.u8 $m [v6] inbounds @3
            v8 = iadd v4, v7
            brif v8, block1(v3), block2(v3) @4
        block2(v9: i64):
            return v9
        }
        """;
    assertPasses(text, text, UNROLL);
  }
}
