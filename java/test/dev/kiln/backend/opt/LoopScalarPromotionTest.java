package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class LoopScalarPromotionTest {
  private static final Pass PROMOTE = new LoopScalarPromotion();

  @Test
  void aLoopsConstantAddressesLiveInValuesStoredBackBeforeTheBackEdgeAndTheExit() {
    assertPasses("""
        memory $m 16
        function @f() {
        block0:
            v0 = iconst 4
            jump block1
        block1:
            v1 = load.u8 $m [v0]
            v2 = iconst 1
            v3 = iadd v1, v2
            store.i8 v3, $m [v0]
            v4 = load.u8 $m [v0 + 1]
            v5 = iconst 255
            v6 = iadd v4, v5
            store.i8 v6, $m [v0 + 1]
            v7 = load.u8 $m [v0 + 1]
            brif v7, block1, block2
        block2:
            return
        }
        """, """
        memory $m 16
        function @f() {
        block0:
            v0 = iconst 4
            v1 = iconst 0
            v2 = load.u8 $m [v1 + 4] inbounds
            v3 = load.u8 $m [v1 + 5] inbounds
            jump block1(v2, v3)
        block1(v4: i64, v5: i64):
            v6 = iconst 1
            v7 = iadd v4, v6
            v8 = iconst 255
            v9 = band v7, v8
            v10 = iconst 255
            v11 = iadd v5, v10
            v12 = iconst 255
            v13 = band v11, v12
            store.i8 v9, $m [v1 + 4] inbounds
            store.i8 v13, $m [v1 + 5] inbounds
            brif v13, block1(v9, v13), block2
        block2:
            return
        }
        """, PROMOTE);
  }

  @Test
  void aJoinOfDifferentValuesTakesAParameterAndAnExitLeavingMidLoopStoresOnItsOwnEdge() {
    assertPasses("""
        memory $m 16
        function @f() {
        block0:
            v0 = iconst 4
            jump block1
        block1:
            v1 = load.u8 $m [v0]
            brif v1, block2, block3
        block2:
            v2 = iconst 7
            store.i8 v2, $m [v0 + 1]
            v3 = load.u8 $m [v0 + 2]
            brif v3, block3, block4
        block3:
            v4 = load.u8 $m [v0 + 1]
            store.i8 v4, $m [v0]
            brif v4, block1, block4
        block4:
            return
        }
        """, """
        memory $m 16
        function @f() {
        block0:
            v0 = iconst 4
            v1 = iconst 0
            v2 = load.u8 $m [v1 + 4] inbounds
            v3 = load.u8 $m [v1 + 5] inbounds
            v4 = load.u8 $m [v1 + 6] inbounds
            jump block1(v2, v3)
        block1(v5: i64, v6: i64):
            brif v5, block2, block4(v6)
        block2:
            v7 = iconst 7
            brif v4, block4(v7), block3
        block3:
            store.i8 v5, $m [v1 + 4] inbounds
            store.i8 v7, $m [v1 + 5] inbounds
            jump block5
        block4(v8: i64):
            store.i8 v8, $m [v1 + 4] inbounds
            store.i8 v8, $m [v1 + 5] inbounds
            brif v8, block1(v8, v8), block5
        block5:
            return
        }
        """, PROMOTE);
  }

  @Test
  void aLoopThatMayTrapCallOrTouchAVariableAddressIsLeftAlone() {
    String kept = """
        memory $m 16
        import @g()
        function @calls() {
        block0:
            v0 = iconst 4
            jump block1
        block1:
            v1 = load.u8 $m [v0]
            call @g()
            brif v1, block1, block2
        block2:
            return
        }
        function @variable(i64) {
        block0(v0: i64):
            v1 = iconst 4
            jump block1
        block1:
            v2 = load.u8 $m [v1]
            store.i8 v2, $m [v0]
            brif v2, block1, block2
        block2:
            return
        }
        function @outside() {
        block0:
            v0 = iconst 4
            jump block1
        block1:
            v1 = load.u8 $m [v0]
            v2 = load.u8 $m [v0 + 12]
            brif v1, block1, block2
        block2:
            return
        }
        function @irreducible(i64) {
        block0(v0: i64):
            v1 = iconst 4
            jump block1
        block1:
            v2 = load.u8 $m [v1]
            brif v2, block2, block4
        block2:
            v3 = load.u8 $m [v1 + 1]
            store.i8 v3, $m [v1]
            brif v3, block3, block1
        block3:
            v4 = load.u8 $m [v1 + 2]
            store.i8 v4, $m [v1 + 1]
            brif v4, block2, block1
        block4:
            brif v0, block3, block5
        block5:
            return
        }
        function @divides(i64) {
        block0(v0: i64):
            v1 = iconst 4
            jump block1
        block1:
            v2 = load.u8 $m [v1]
            v3 = sdiv v2, v0
            store.i8 v3, $m [v1]
            brif v3, block1, block2
        block2:
            return
        }
        """;
    assertPasses(kept, kept, PROMOTE);
  }

  @Test
  void overlappingWidthsStayInMemoryAndOnlyStoredLocationsAreNotLoaded() {
    String kept = """
        memory $m 16
        function @f(i64) {
        block0(v0: i64):
            v1 = iconst 4
            jump block1
        block1:
            v2 = load.u8 $m [v1 + 1]
            v3 = load.i64 $m [v1]
            store.i8 v0, $m [v1 + 8]
            v4 = iadd v2, v3
            brif v4, block1, block2
        block2:
            return
        }
        """;
    assertPasses(kept, kept, PROMOTE);
  }
}
