package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BlockLayoutTest {
  /** The layout of the only function of {@code ir}: its blocks in order, loop tops marked *. */
  private static String layout(String ir) {
    Module m = IrParser.parse(ir);
    m.verify();
    Function f = m.functions().get(0);
    BlockLayout layout = BlockLayout.of(f);
    List<Block> order = layout.order();
    assertEquals(f.blocks().size(), order.stream().distinct().count(), "each block once");
    return order.stream()
        .map(b -> b + (layout.loopTops().get(b.id()) ? "*" : ""))
        .collect(Collectors.joining(" "));
  }

  @Test
  void aWhileLoopIsRotatedSoItsTestIsAtTheBottomAndItsBodyIsTheAlignedTop() {
    assertEquals("block0 block2* block1 block3", layout("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1)
        block1(v2: i64):
            v3 = icmp slt v2, v0
            brif v3, block2, block3
        block2:
            v4 = iconst 1
            v5 = iadd v2, v4
            jump block1(v5)
        block3:
            return v2
        }
        """));
  }

  @Test
  void aLoopTestedAtTheBottomStaysAsItIs() {
    assertEquals("block0 block1* block2", layout("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = isub v1, v2
            brif v3, block1(v3), block2
        block2:
            return v3
        }
        """));
  }

  @Test
  void aLoopWhoseLastBlockBranchesIsNotRotated() {
    // the latch ends in a brif (a do-while inside a while): no jump to the header to save
    assertEquals("block0 block1* block2 block3", layout("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            brif v1, block2, block3
        block2:
            v2 = iconst 1
            v3 = isub v1, v2
            brif v3, block1(v3), block3
        block3:
            return v0
        }
        """));
  }

  @Test
  void nestedLoopsAreBothRotatedAndTheInnerBodyIsTheOnlyTop() {
    // the outer body starts with the inner loop, whose rotated header falls into the outer latch
    assertEquals("block0 block4* block2 block3 block1 block5", layout("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            brif v1, block2(v1), block5
        block2(v2: i64):
            brif v2, block4, block3
        block4:
            v3 = iconst 1
            v4 = isub v2, v3
            jump block2(v4)
        block3:
            v5 = iconst 1
            v6 = isub v1, v5
            jump block1(v6)
        block5:
            return v0
        }
        """));
  }

  @Test
  void trapBlocksGoLastAndTheLikelySuccessorFallsThrough() {
    // block1 and block2 only lead to traps; the loop's exit comes after its body although the
    // branch names it first
    assertEquals("block0 block5 block3* block4 block6 block1 block2", layout("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block5
        block1:
            jump block2
        block2:
            trap 7
        block3(v1: i64):
            v2 = iconst 1
            v3 = isub v1, v2
            trapz v3, 8
            jump block4(v3)
        block4(v4: i64):
            v5 = icmp eq v4, v0
            brif v5, block6, block3(v4)
        block5:
            jump block4(v0)
        block6:
            return v4
        }
        """));
  }

  @Test
  void theCheckedVersionOfAVersionedLoopGoesLastSoTheCopysExitFallsThrough() {
    // block0 guards the loop as loop-room versions it: block1 is the copy that runs when the
    // guard holds, block3 the loop as it was; the two loops have one size
    assertEquals("block0 block2* block1 block5 block3 block4", layout("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 100
            v3 = icmp ule v1, v2
            brif v3, block1(v0), block3(v0)
        block1(v4: i64):
            v5 = icmp slt v4, v1
            brif v5, block2, block5(v4)
        block2:
            v6 = iconst 1
            v7 = iadd v4, v6
            jump block1(v7)
        block3(v8: i64):
            v9 = icmp slt v8, v1
            brif v9, block4, block5(v8)
        block4:
            v10 = iconst 1
            v11 = iadd v8, v10
            jump block3(v11)
        block5(v12: i64):
            return v12
        }
        """));
  }

  @Test
  void aBranchBetweenTwoLoopsOfDifferentSizesKeepsTheUsualOrder() {
    // not two versions of one loop: block3's loop has a block more, so no way is the rare one
    assertEquals("block0 block2* block1 block4* block5 block3 block6", layout("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 100
            v3 = icmp ule v1, v2
            brif v3, block1(v0), block3(v0)
        block1(v4: i64):
            v5 = icmp slt v4, v1
            brif v5, block2, block6(v4)
        block2:
            v6 = iconst 1
            v7 = iadd v4, v6
            jump block1(v7)
        block3(v8: i64):
            v9 = icmp slt v8, v1
            brif v9, block4, block6(v8)
        block4:
            v10 = iconst 1
            v11 = iadd v8, v10
            jump block5(v11)
        block5(v12: i64):
            jump block3(v12)
        block6(v13: i64):
            return v13
        }
        """));
  }
}
