package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.List;

/**
 * Cancels a {@code depth_leave k} followed by a {@code depth_enter k} (the same constant levels)
 * with only pure instructions between: within a block, or from the last depth instruction of
 * every predecessor that jumps to a block to the block's first one. The leave lowered the depth
 * from a value that had passed the check, so the enter cannot trap, and nothing between them
 * (no call, trap or other depth instruction) sees the depth. Sibling inlined calls then claim
 * their frame once. Then it removes the probes ({@code depth_enter k}, pure instructions, {@code
 * depth_leave k}) whose levels the {@link DepthBudget} knows are left: a guard's early return
 * needs no test of the depth after a sibling call has passed it.
 */
public final class DepthPairs implements Pass {
  @Override
  public String name() {
    return "depth";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.DEPTH_ENTER)) {
      return;
    }
    Definitions defs = new Definitions(f);
    List<Block> blocks = f.blocks();
    int[] jumps = new int[f.blockCount()];
    int[] leavingJumps = new int[f.blockCount()];
    int[] branches = new int[f.blockCount()];
    long[] leftLevels = new long[f.blockCount()];
    for (Block b : blocks) {
      int tail = tailLeave(b, defs);
      long k = tail < 0 ? 0 : defs.constant(b.instructions().get(tail).arg(0));
      for (BlockCall edge : b.terminator().targets()) {
        int t = edge.target().id();
        branches[t]++;
        if (b.terminator().opcode() == Opcode.JUMP && tail >= 0
            && (leavingJumps[t] == 0 || leftLevels[t] == k)) {
          leavingJumps[t]++;
          leftLevels[t] = k;
        }
      }
    }
    boolean[] joined = new boolean[f.blockCount()];
    for (Block b : blocks) {
      int t = b.id();
      int head = headEnter(b, defs);
      joined[t] = head >= 0 && branches[t] > 0 && leavingJumps[t] == branches[t]
          && b.instructions().get(head).immediate() == leftLevels[t];
    }
    for (Block b : blocks) {
      List<Instruction> code = b.instructions();
      boolean[] cancelled = new boolean[code.size()];
      for (int i = 0; i < code.size(); i++) {
        cancelled[i] = isCancelled(b, i, joined, defs);
      }
      for (int i = code.size() - 1; i >= 0; i--) {
        if (cancelled[i]) {
          b.remove(i);
        }
      }
    }
    removeCoveredProbes(f);
  }

  /** Removes each probe whose levels the {@link DepthBudget} knows are left. */
  private static void removeCoveredProbes(Function f) {
    DepthBudget budget = DepthBudget.of(f);
    Definitions defs = new Definitions(f);
    for (Block b : f.blocks()) {
      List<Instruction> code = b.instructions();
      for (int i = code.size() - 1; i >= 0; i--) {
        Instruction inst = code.get(i);
        if (inst.opcode() == Opcode.DEPTH_ENTER && budget.covers(inst)) {
          int after = nextImpure(code, i, defs);
          if (isLeaveOf(code.get(after), inst.immediate(), defs)) {
            b.remove(after);
            b.remove(i);
          }
        }
      }
    }
  }

  /** Whether instruction {@code i} of {@code b} is one half of a cancelled pair. */
  private static boolean isCancelled(Block b, int i, boolean[] joined, Definitions defs) {
    List<Instruction> code = b.instructions();
    Instruction inst = code.get(i);
    if (inst.opcode() == Opcode.DEPTH_ENTER) {
      int before = previousImpure(code, i, defs);
      if (before < 0) {
        return joined[b.id()];
      }
      return isLeaveOf(code.get(before), inst.immediate(), defs);
    }
    if (inst.opcode() == Opcode.DEPTH_LEAVE) {
      int after = nextImpure(code, i, defs);
      Instruction next = code.get(after);
      if (next.opcode() == Opcode.JUMP) {
        return joined[next.targets().get(0).target().id()];
      }
      return next.opcode() == Opcode.DEPTH_ENTER && isLeaveOf(inst, next.immediate(), defs);
    }
    return false;
  }

  /** The index of the last depth_leave of a constant before the jump ending {@code b}, or -1. */
  private static int tailLeave(Block b, Definitions defs) {
    List<Instruction> code = b.instructions();
    if (b.terminator().opcode() != Opcode.JUMP) {
      return -1;
    }
    int i = previousImpure(code, code.size() - 1, defs);
    return i >= 0 && code.get(i).opcode() == Opcode.DEPTH_LEAVE
        && defs.constant(code.get(i).arg(0)) != null ? i : -1;
  }

  /** The index of the depth_enter before which {@code b} has only pure instructions, or -1. */
  private static int headEnter(Block b, Definitions defs) {
    int i = nextImpure(b.instructions(), -1, defs);
    return b.instructions().get(i).opcode() == Opcode.DEPTH_ENTER ? i : -1;
  }

  private static boolean isLeaveOf(Instruction inst, long levels, Definitions defs) {
    if (inst.opcode() != Opcode.DEPTH_LEAVE) {
      return false;
    }
    Long k = defs.constant(inst.arg(0));
    return k != null && k == levels;
  }

  /** The index of the last instruction before {@code i} that is not pure, or -1. */
  private static int previousImpure(List<Instruction> code, int i, Definitions defs) {
    int j = i - 1;
    while (j >= 0 && Effects.isPure(code.get(j), defs)) {
      j--;
    }
    return j;
  }

  /** The index of the first instruction after {@code i} that is not pure (the terminator at last). */
  private static int nextImpure(List<Instruction> code, int i, Definitions defs) {
    int j = i + 1;
    while (Effects.isPure(code.get(j), defs)) {
      j++;
    }
    return j;
  }
}
