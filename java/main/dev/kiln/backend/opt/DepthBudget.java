package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The levels of the call-depth limit known to be left at each point of a function (a lower
 * bound, 0 at its entry), and the {@code depth_enter}s they cover: those taking no more levels
 * than are known left, which therefore cannot trap. A claim that passed its check leaves its
 * levels known left once given back: after a call of a module function returns (every call
 * returns with the budget it found), after a {@code depth_enter k} and the {@code depth_leave k}
 * that undoes it; so a call or probe covers its sibling's probe. A {@code depth_leave} of anything
 * but a constant leaves nothing known. At a join the least of the incoming bounds holds; a bound
 * that falls again around a loop is taken as 0 (each block's at most once), so the sweeps over
 * the blocks end.
 */
final class DepthBudget {
  /** More levels than any function takes: bounds the sums of constants given back. */
  private static final long MOST = 1L << 40;

  private final Set<Instruction> covered;

  private DepthBudget(Set<Instruction> covered) {
    this.covered = covered;
  }

  /** The budget of {@code f}: its blocks must each end in a terminator. */
  static DepthBudget of(Function f) {
    Definitions defs = new Definitions(f);
    List<Block> order = DominatorTree.of(f).reversePostorder();
    long[] in = new long[f.blockCount()];
    Arrays.fill(in, -1); // not reached yet
    boolean[] visited = new boolean[f.blockCount()];
    in[f.entry().id()] = 0;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Block b : order) {
        visited[b.id()] = true;
        long out = walk(b, in[b.id()], defs, null);
        for (BlockCall edge : b.terminator().targets()) {
          int t = edge.target().id();
          if (in[t] < 0 || out < in[t]) {
            in[t] = in[t] >= 0 && visited[t] ? 0 : out;
            changed |= visited[t];
          }
        }
      }
    }
    Set<Instruction> covered = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Block b : order) {
      walk(b, in[b.id()], defs, covered);
    }
    return new DepthBudget(covered);
  }

  /** Whether {@code enter}, a {@code depth_enter}, cannot trap. */
  boolean covers(Instruction enter) {
    return covered.contains(enter);
  }

  /**
   * The levels known left after {@code b}, from {@code left} at its start, adding the {@code
   * depth_enter}s it covers to {@code covered} (if not null).
   */
  private static long walk(Block b, long left, Definitions defs, Set<Instruction> covered) {
    for (Instruction inst : b.instructions()) {
      switch (inst.opcode()) {
        case DEPTH_ENTER -> {
          boolean fits = left >= inst.immediate();
          if (covered != null && fits) {
            covered.add(inst);
          }
          left = fits ? left - inst.immediate() : 0;
        }
        case DEPTH_LEAVE -> {
          Long given = defs.constant(inst.arg(0));
          left = given != null && given >= 0 ? Math.min(MOST, left + given) : 0;
        }
        case CALL -> {
          if (inst.callee() instanceof Function g) {
            left = Math.max(left, g.levels());
          }
        }
        default -> {}
      }
    }
    return left;
  }
}
