package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Block#terminator()} is the block's last instruction after every edit that replaces or
 * moves it, also when it was asked for before the edit; a terminator replaced by one branching to
 * the same blocks keeps the dominator tree, any other edge drops it.
 */
class BlockEditingTest {
  private static final String TEXT = """
      function @f(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 1
          v2 = iadd v0, v1
          v3 = call @g(v2)
          brif v3, block1, block2
      block1:
          return v0
      block2:
          return v3
      }
      function @g(i64) -> i64 {
      block0(v0: i64):
          return v0
      }
      """;

  private final Module module = IrParser.parse(TEXT);
  private final Function f = module.functions().get(0);
  private final Block entry = f.entry();

  private static Instruction last(Block b) {
    return b.instructions().get(b.instructions().size() - 1);
  }

  /** The entry's terminator is its last instruction, a jump, and the function verifies. */
  private void assertEntryEndsInItsLastJump() {
    assertSame(last(entry), entry.terminator());
    assertEquals(Opcode.JUMP, entry.terminator().opcode());
    module.verify();
  }

  @Test
  void aBlockWithoutTerminatorHasNoneUntilOneIsAppended() {
    Block b = f.newBlock();
    assertNull(b.terminator());
    Instruction c = f.newConstant(Type.I64, 5);
    b.append(c);
    assertNull(b.terminator());
    Instruction ret = Instruction.ret(c.result(), Instruction.NO_POSITION);
    b.append(ret);
    assertSame(ret, b.terminator());
  }

  @Test
  void settingTheTerminatorReplacesIt() {
    Instruction before = entry.terminator();
    Instruction swapped = Instruction.brif(before.arg(0), f.blocks().get(2), List.of(),
        f.blocks().get(1), List.of(), Instruction.NO_POSITION);
    entry.set(entry.instructions().indexOf(before), swapped);
    assertSame(swapped, entry.terminator());
    module.verify();
  }

  @Test
  void anInstructionInsertedBeforeTheTerminatorLeavesIt() {
    Instruction before = entry.terminator();
    entry.insertBeforeTerminator(f.newConstant(Type.I64, 9));
    assertSame(before, entry.terminator());
    assertSame(before, last(entry));
  }

  @Test
  void splittingMovesTheTerminatorToTheNewBlock() {
    Instruction before = entry.terminator();
    Block rest = f.splitAfter(entry, 0);
    assertSame(before, rest.terminator());
    assertEntryEndsInItsLastJump();
  }

  @Test
  void splittingTheEntryLeavesItAJump() {
    Instruction before = entry.terminator();
    Block start = f.splitEntry();
    assertSame(before.opcode(), start.terminator().opcode());
    assertSame(last(start), start.terminator());
    assertEntryEndsInItsLastJump();
  }

  @Test
  void inliningEndsTheCallingBlockInAJumpToTheBody() {
    Instruction before = entry.terminator();
    Block rest = f.inlineCall(entry, 2);
    assertSame(before, rest.terminator());
    assertEntryEndsInItsLastJump();
  }

  @Test
  void aTerminatorWithTheSameSuccessorsKeepsTheDominatorTree() {
    DominatorTree before = DominatorTree.of(f);
    Instruction t = entry.terminator();
    Value other = entry.instructions().get(1).result();
    entry.set(entry.instructions().indexOf(t), Instruction.brif(other, f.blocks().get(1),
        List.of(), f.blocks().get(2), List.of(), t.position()));
    assertSame(before, DominatorTree.of(f));
    module.verify();
  }

  @Test
  void aTerminatorWithOtherSuccessorsDropsTheDominatorTree() {
    DominatorTree before = DominatorTree.of(f);
    assertEquals(List.of(entry, f.blocks().get(2), f.blocks().get(1)), before.reversePostorder());
    Instruction t = entry.terminator();
    entry.set(entry.instructions().indexOf(t), Instruction.brif(t.arg(0), f.blocks().get(2),
        List.of(), f.blocks().get(1), List.of(), t.position()));
    DominatorTree after = DominatorTree.of(f);
    assertNotSame(before, after);
    assertEquals(List.of(entry, f.blocks().get(1), f.blocks().get(2)), after.reversePostorder());
  }
}
