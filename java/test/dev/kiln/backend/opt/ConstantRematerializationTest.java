package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class ConstantRematerializationTest {
  private static final Pass REMAT = new ConstantRematerialization();

  @Test
  void copiesAnotherBlocksConstantsBeforeTheirFirstUseInEachBlock() {
    assertPasses("""
        memory $m 16
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = iconst 7
            v3 = iadd v0, v2
            brif v0, block1, block2(v1)
        block1:
            store.i8 v1, $m [v0]
            v4 = iadd v0, v2
            store.i8 v1, $m [v4]
            jump block2(v2)
        block2(v5: i64):
            v6 = iadd v5, v3
            return v6
        }
        """, """
        memory $m 16
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = iconst 7
            v3 = iadd v0, v2
            brif v0, block1, block2(v1)
        block1:
            v7 = iconst 0
            store.i8 v7, $m [v0]
            v8 = iconst 7
            v4 = iadd v0, v8
            store.i8 v7, $m [v4]
            jump block2(v8)
        block2(v5: i64):
            v6 = iadd v5, v3
            return v6
        }
        """, REMAT);
  }

  @Test
  void leavesFloatConstantsAndValuesThatAreNoConstants() {
    String kept = """
        function @f(i64) -> f64 {
        block0(v0: i64):
            v1 = fconst 1.5
            v2 = iadd v0, v0
            jump block1
        block1:
            v3 = iadd v2, v0
            v4 = fcvt_from_sint v3
            v5 = fadd v4, v1
            return v5
        }
        """;
    assertPasses(kept, kept, REMAT);
  }
}
