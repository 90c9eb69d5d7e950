package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dominator trees checked by hand, and one too deep for recursion or a quadratic algorithm. */
class DominatorTreeTest {
  /** A block the entry may skip: block0 dominates both others. */
  private static final String SKIP = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            jump block2
        block2:
            return v0
        }
        """;

  private final List<Block> blocks = new ArrayList<>();

  /** The tree of the only function of {@code text}, whose blocks are laid out as numbered. */
  private DominatorTree tree(String text) {
    Function f = IrParser.parse(text).functions().get(0);
    blocks.clear();
    blocks.addAll(f.blocks());
    return new DominatorTree(f);
  }

  private Block b(int layoutIndex) {
    return blocks.get(layoutIndex);
  }

  private List<Block> bs(int... layoutIndices) {
    List<Block> out = new ArrayList<>();
    for (int i : layoutIndices) {
      out.add(b(i));
    }
    return out;
  }

  /** Asserts that dominates(a, c) holds exactly for the pairs implied by {@code idom}. */
  private void assertDominanceMatchesIdoms(DominatorTree t) {
    for (Block a : t.reversePostorder()) {
      for (Block c : t.reversePostorder()) {
        boolean expected = false;
        for (Block x = c; x != null; x = t.idom(x)) {
          expected |= x == a;
        }
        assertEquals(expected, t.dominates(a, c), a + " dominates " + c);
      }
    }
  }

  @Test
  void diamond() {
    DominatorTree t = tree("""
        function @f(i64) {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            jump block3
        block2:
            jump block3
        block3:
            return
        }
        """);
    assertEquals(bs(0, 2, 1, 3), t.reversePostorder());
    assertNull(t.idom(b(0)));
    assertEquals(b(0), t.idom(b(1)));
    assertEquals(b(0), t.idom(b(2)));
    assertEquals(b(0), t.idom(b(3)));
    assertEquals(bs(2, 1, 3), t.children(b(0)));
    assertEquals(bs(2, 1), t.predecessors(b(3)));
    assertTrue(t.dominates(b(0), b(3)));
    assertTrue(t.dominates(b(3), b(3)));
    assertFalse(t.dominates(b(1), b(3)));
    assertFalse(t.dominates(b(3), b(0)));
    assertDominanceMatchesIdoms(t);
  }

  @Test
  void loop() {
    DominatorTree t = tree("""
        function @f(i64) {
        block0(v0: i64):
            jump block1
        block1:
            brif v0, block2, block3
        block2:
            jump block1
        block3:
            return
        }
        """);
    assertEquals(bs(0, 1, 3, 2), t.reversePostorder());
    assertEquals(b(0), t.idom(b(1)));
    assertEquals(b(1), t.idom(b(2)));
    assertEquals(b(1), t.idom(b(3)));
    assertEquals(bs(0, 2), t.predecessors(b(1)));
    assertTrue(t.dominates(b(1), b(2)), "the header dominates the latch");
    assertFalse(t.dominates(b(2), b(1)));
    assertDominanceMatchesIdoms(t);
  }

  @Test
  void irreducibleLoopHasNoHeaderDominatingTheOtherEntry() {
    DominatorTree t = tree("""
        function @f(i64) {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            brif v0, block2, block3
        block2:
            brif v0, block1, block3
        block3:
            return
        }
        """);
    assertEquals(b(0), t.idom(b(1)));
    assertEquals(b(0), t.idom(b(2)));
    assertEquals(b(0), t.idom(b(3)));
    assertFalse(t.dominates(b(1), b(2)));
    assertFalse(t.dominates(b(2), b(1)));
    assertEquals(bs(0, 2), t.predecessors(b(1)));
    assertDominanceMatchesIdoms(t);
  }

  @Test
  void branchingTwiceToOneBlockIsOnePredecessor() {
    DominatorTree t = tree("""
        function @f(i64) {
        block0(v0: i64):
            brif v0, block1, block1
        block1:
            return
        }
        """);
    assertEquals(bs(0), t.predecessors(b(1)));
    assertEquals(bs(1), t.children(b(0)));
  }

  @Test
  void unreachableBlocksAreLeftOut() {
    DominatorTree t = tree("""
        function @f() {
        block0:
            jump block2
        block1:
            jump block2
        block2:
            return
        }
        """);
    assertEquals(bs(0, 2), t.reversePostorder());
    assertFalse(t.reachable(b(1)));
    assertTrue(t.reachable(b(2)));
    assertNull(t.idom(b(1)));
    assertEquals(b(0), t.idom(b(2)), "an unreachable predecessor does not count");
    assertEquals(bs(0), t.predecessors(b(2)));
    assertEquals(List.of(), t.children(b(1)));
  }

  @Test
  void aDeepNestOfLoopsIsFast() {
    // block i (1..depth) heads loop i, entered from block i-1 and left to its latch depth+i
    int depth = 20_000;
    StringBuilder text = new StringBuilder("function @f(i64) {\nblock0(v0: i64):\n    jump block1\n");
    for (int i = 1; i <= depth; i++) {
      String inner = i < depth ? "block" + (i + 1) : "block" + (depth + i);
      text.append("block").append(i).append(":\n    brif v0, ").append(inner).append(", block")
          .append(2 * depth + 1).append("\n");
    }
    for (int i = 1; i <= depth; i++) {
      String outer = i > 1 ? "block" + (depth + i - 1) : "block" + (2 * depth + 1);
      text.append("block").append(depth + i).append(":\n    brif v0, block").append(i)
          .append(", ").append(outer).append("\n");
    }
    text.append("block").append(2 * depth + 1).append(":\n    return\n}\n");
    DominatorTree t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> tree(text.toString()));
    Block exit = b(2 * depth + 1);
    assertEquals(b(0), t.idom(b(1)));
    assertEquals(b(depth - 1), t.idom(b(depth)));
    assertEquals(b(depth), t.idom(b(2 * depth)), "the innermost latch");
    assertEquals(b(depth + 2), t.idom(b(depth + 1)), "each latch leaves through the inner one");
    assertEquals(b(1), t.idom(exit), "every header exits to it; the outermost dominates them");
    assertTrue(t.dominates(b(1), b(2 * depth)));
    assertTrue(t.dominates(b(depth), b(depth + 1)));
    assertFalse(t.dominates(b(depth + 1), b(depth)));
    assertEquals(2 * depth + 2, t.reversePostorder().size());
  }

  @Test
  void ofSharesOneTreeUntilTheControlFlowGraphChanges() {
    Function f = IrParser.parse(SKIP).functions().get(0);
    Block entry = f.blocks().get(0);
    Block middle = f.blocks().get(1);
    Block exit = f.blocks().get(2);
    DominatorTree first = DominatorTree.of(f);
    assertTrue(first == DominatorTree.of(f));
    assertEquals(entry, first.idom(exit));
    entry.insert(0, f.newConstant(Type.I64, 1)); // no edge changes
    assertTrue(first == DominatorTree.of(f));
    entry.set(entry.instructions().size() - 1,
        Instruction.jump(middle, List.of(), Instruction.NO_POSITION));
    DominatorTree second = DominatorTree.of(f);
    assertFalse(first == second);
    assertEquals(middle, second.idom(exit));
    Block added = f.newBlock();
    assertFalse(second == DominatorTree.of(f));
    assertFalse(DominatorTree.of(f).reachable(added));
    added.append(Instruction.jump(exit, List.of(), Instruction.NO_POSITION));
    middle.redirect(exit, added);
    assertEquals(added, DominatorTree.of(f).idom(exit));
    f.removeUnreachableBlocks(); // none: the tree stays
    DominatorTree last = DominatorTree.of(f);
    f.removeUnreachableBlocks();
    assertTrue(last == DominatorTree.of(f));
  }

  @Test
  void anAnalysisKeptWithATreeGoesWithIt() {
    Function f = IrParser.parse(SKIP).functions().get(0);
    DominatorTree first = DominatorTree.of(f);
    assertNull(first.kept(String.class));
    first.keep("the loops");
    assertEquals("the loops", DominatorTree.of(f).kept(String.class));
    assertNull(first.kept(Integer.class), "asked for by its class");
    f.blocks().get(0).insert(0, f.newConstant(Type.I64, 1)); // no edge changes
    assertEquals("the loops", DominatorTree.of(f).kept(String.class));
    f.newBlock();
    assertNull(DominatorTree.of(f).kept(String.class), "a new tree for the new graph");
  }

  @Test
  void verifyingLeavesItsTreeForTheFirstPassButReplacesNoCachedOne() {
    Module m = IrParser.parse(SKIP);
    Function f = m.functions().get(0);
    m.verify();
    DominatorTree verified = DominatorTree.of(f);
    assertEquals(f.blocks().get(0), verified.idom(f.blocks().get(2)));
    m.verify();
    assertTrue(verified == DominatorTree.of(f));
  }

  @Test
  void verifyingFindsATreeCachedAcrossAnEditThatDidNotDropIt() {
    Module m = IrParser.parse(SKIP);
    Function f = m.functions().get(0);
    Block entry = f.blocks().get(0);
    DominatorTree.of(f);
    entry.terminator().targets[1].target = f.blocks().get(1); // no edit of a pass does this
    IrVerificationException e = assertThrows(IrVerificationException.class, m::verify);
    assertTrue(e.getMessage().contains("has a dominator tree cached from before an edit"),
        e.getMessage());
    f.cfgChanged();
    m.verify();
  }
}
