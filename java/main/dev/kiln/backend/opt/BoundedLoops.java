package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The loops whose back edges compiled code need not poll: a loop runs at most {@link
 * Thresholds#UNPOLLED_LOOP_MAX_ITERATIONS} iterations, so a time limit or cancellation is seen
 * soon enough at the polls around it (and inner loops poll their own back edges). A loop is so
 * bounded when a parameter {@code p} of its header moves by a constant step of one sign on every
 * back edge ({@code iadd p, S}, through {@code iadd}s of constants) and every way from the header
 * round to a back edge passes a block that keeps {@code p + c} in a range: one with a checked
 * access {@code [p + c]} (it traps outside the memory), or one entered only by the true edge of
 * a guard {@code icmp ule p + c, L}. As {@code p} moves monotonically, each such block can be
 * passed at most {@code range / |S| + 1} times before its check traps or its guard fails, which
 * bounds the iterations by their sum: a Brainfuck scan or walk over records guarded by
 * RegionGuards, whose both versions are so bounded by the tape.
 */
public final class BoundedLoops {
  private BoundedLoops() {}

  /** {@return the ids of the headers of {@code f}'s bounded loops} */
  public static BitSet headers(Function f) {
    BitSet bounded = new BitSet();
    if (!f.mayContain(Opcode.LOAD) && !f.mayContain(Opcode.STORE)) {
      return bounded; // every bound comes from an access or a guard on one
    }
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    Definitions defs = new Definitions(f);
    Block[] guardOf = new Block[f.blockCount()];
    Roots roots = new Roots(f, defs, guardOf);
    for (int l = 0; l < nest.count(); l++) {
      Block h = nest.header(l);
      for (int j = 0; j < h.params().size(); j++) {
        if (isBounded(nest, dom, l, j, roots, guardOf)) {
          bounded.set(h.id());
          break;
        }
      }
    }
    return bounded;
  }

  /**
   * The value a chain of {@code iadd}s of constants and of parameters of blocks entered by one
   * edge starts from: the guard and the checked version of a loop address the pointer through
   * the parameter of the block the guard branches to.
   */
  private static final class Roots {
    private final Definitions defs;
    /** For a parameter of a block entered by one edge, by value id, what that edge passes. */
    private final Value[] passed;

    /**
     * Also fills {@code guardOf}: for each block entered only by the true edge of a {@code brif}
     * (the false edge going elsewhere), by block id, the block of that branch.
     */
    Roots(Function f, Definitions defs, Block[] guardOf) {
      this.defs = defs;
      this.passed = new Value[f.valueCount()];
      int[] edges = IncomingEdges.counts(f);
      for (Block b : f.blocks()) {
        List<BlockCall> targets = b.terminator().targets();
        for (int k = 0; k < targets.size(); k++) {
          Block t = targets.get(k).target();
          if (edges[t.id()] != 1) {
            continue;
          }
          for (int i = 0; i < t.params().size(); i++) {
            passed[t.params().get(i).id()] = targets.get(k).args().get(i);
          }
          if (k == 0 && targets.size() == 2 && targets.get(1).target() != t) {
            guardOf[t.id()] = b;
          }
        }
      }
    }

    /** The start of {@code v}'s chain, adding its constants to {@code offset[0]}. */
    Value of(Value v, long[] offset) {
      offset[0] = 0;
      for (int steps = 0; steps < 64; steps++) { // a chain through unreachable blocks may cycle
        v = defs.root(v, offset);
        Value before = v.id() < passed.length ? passed[v.id()] : null;
        if (before == null) {
          break;
        }
        v = before;
      }
      return v;
    }
  }

  /** Whether loop {@code l} is bounded by the moves of its header's parameter {@code j}. */
  private static boolean isBounded(LoopNest nest, DominatorTree dom, int l, int j, Roots roots,
      Block[] guardOf) {
    Block h = nest.header(l);
    Value p = h.params().get(j);
    long[] offset = new long[1];
    long step = 0;
    int sign = 0;
    BitSet latches = new BitSet();
    List<Block> preds = dom.predecessors(h);
    for (int k = 0; k < preds.size(); k++) { // the back edges first: most loops fail here
      Block b = preds.get(k);
      if (!nest.contains(l, b.id())) {
        continue;
      }
      for (BlockCall edge : b.terminator().targets()) {
        if (edge.target() == h) {
          if (roots.of(edge.args().get(j), offset) != p || offset[0] == 0
              || sign != 0 && Long.signum(offset[0]) != sign) {
            return false;
          }
          sign = Long.signum(offset[0]);
          step = step == 0 ? Math.abs(offset[0]) : Math.min(step, Math.abs(offset[0]));
          latches.set(b.id());
        }
      }
    }
    // the blocks that bound p, and the iterations they allow in all
    BitSet keeps = new BitSet();
    long iterations = 0;
    for (Block b : nest.blocksInOrder(l)) {
      long range = range(b, p, roots, guardOf[b.id()]);
      if (range >= 0) {
        keeps.set(b.id());
        iterations += range / step + 1;
      }
    }
    if (keeps.isEmpty() || iterations > Thresholds.UNPOLLED_LOOP_MAX_ITERATIONS) {
      return false;
    }
    // no way from the header to a latch avoids them
    if (keeps.get(h.id())) {
      return true;
    }
    BitSet seen = new BitSet();
    List<Block> work = new ArrayList<>();
    work.add(h);
    seen.set(h.id());
    while (!work.isEmpty()) {
      Block b = work.remove(work.size() - 1);
      if (latches.get(b.id())) {
        return false;
      }
      for (BlockCall edge : b.terminator().targets()) {
        Block t = edge.target();
        if (t != h && nest.contains(l, t.id()) && !keeps.get(t.id()) && !seen.get(t.id())) {
          seen.set(t.id());
          work.add(t);
        }
      }
    }
    return true;
  }

  /**
   * How far {@code p + c} may range in block {@code b} without a trap: the largest value a
   * checked access {@code [p + c]} of it allows (memory size less width), or the L of a guard
   * {@code icmp ule p + c, L} in {@code guard}, whose true edge is the only way into {@code b};
   * -1 if neither.
   */
  private static long range(Block b, Value p, Roots roots, Block guard) {
    long[] offset = new long[1];
    long range = -1;
    for (Instruction inst : b.instructions()) {
      if ((inst.opcode() == Opcode.LOAD || inst.opcode() == Opcode.STORE) && !inst.inBounds()
          && inst.addressIndex() == null && roots.of(inst.addressBase(), offset) == p) {
        long r = inst.memory().size() - inst.memType().width();
        range = range < 0 ? r : Math.min(range, r);
      }
    }
    if (guard != null) {
      Instruction c = roots.defs.of(guard.terminator().arg(0));
      if (c != null && c.opcode() == Opcode.ICMP && c.intCond() == IntCond.ULE
          && roots.of(c.arg(0), offset) == p) {
        Long limit = roots.defs.constant(c.arg(1));
        if (limit != null && limit >= 0) {
          range = range < 0 ? limit : Math.min(range, limit);
        }
      }
    }
    return range;
  }
}
