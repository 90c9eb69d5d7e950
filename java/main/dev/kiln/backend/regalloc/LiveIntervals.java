package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.Arrays;
import java.util.List;

/**
 * The live interval of every virtual register: the hull {@code [start, end]} of the points where
 * it is live, and the call points, which the allocator keeps clobbered values from crossing. A
 * value is live into a block if some path from the block's start reaches a use before its
 * definition (so loops extend a value over the whole loop), and live out of every predecessor of
 * such a block; each use is followed up the predecessors to the defining block, marking each
 * block once per value (Brandner et al., "Computing Liveness Sets for SSA-Form Programs"), which
 * gives the same sets as backward dataflow to a fixed point in time proportional to their size.
 * A value live out of a block stays live through its terminator's def point, so the edge moves
 * there cannot overwrite it.
 */
public final class LiveIntervals {
  /** {@code -1} for a value with no interval. */
  final int[] start;
  final int[] end;
  /** The use points of call instructions, ascending. */
  final int[] calls;

  private LiveIntervals(int[] start, int[] end, int[] calls) {
    this.start = start;
    this.end = end;
    this.calls = calls;
  }

  /** Computes the intervals of {@code mf}. */
  public static LiveIntervals of(MachineFunction mf) {
    int n = mf.function().valueCount();
    List<Block> order = mf.order();
    int blocks = order.size();
    int[] start = new int[n];
    int[] end = new int[n];
    Arrays.fill(start, -1);
    Arrays.fill(end, -1);
    int[] positionOf = new int[mf.function().blockCount()];
    // the position in the order of each value's defining block, -1 for none
    int[] defBlock = new int[n];
    Arrays.fill(defBlock, -1);
    int[] callPoints = new int[mf.size()];
    int callCount = 0;
    for (int k = 0; k < blocks; k++) {
      Block b = order.get(k);
      positionOf[b.id()] = k;
      int first = mf.blockIndex(b);
      for (Value p : b.params()) {
        defBlock[p.id()] = k;
        extend(start, end, p.id(), 2 * first + 1);
      }
      for (int i = first + 1; i <= first + b.instructions().size(); i++) {
        Instruction inst = mf.at(i);
        if (inst.result() != null) {
          defBlock[inst.result().id()] = k;
          extend(start, end, inst.result().id(), 2 * i + 1);
        }
        if (isCall(inst)) {
          callPoints[callCount++] = 2 * i;
        }
      }
    }
    // the uses outside the defining block, as (value, block) pairs; the local ones extend here
    Uses uses = new Uses(n);
    for (int k = 0; k < blocks; k++) {
      int first = mf.blockIndex(order.get(k));
      int last = first + order.get(k).instructions().size();
      for (int i = first + 1; i <= last; i++) {
        Instruction inst = mf.at(i);
        // A fused compare's operands are read by the branch after it, a tested band's by the
        // branch or select that tests them (after its compare, if fused).
        int usePoint = mf.isFusedCompare(i) ? 2 * (i + 1)
            : mf.isTestedBand(i) ? 2 * (mf.isFusedCompare(i + 1) ? i + 2 : i + 1) : 2 * i;
        for (int a = 0; a < inst.argCount(); a++) {
          Value v = inst.arg(a);
          if (!mf.isImmediate(v)) {
            use(start, end, uses, defBlock, v.id(), k, usePoint);
          }
        }
        for (BlockCall edge : inst.targets()) {
          for (Value v : edge.args()) {
            use(start, end, uses, defBlock, v.id(), k, usePoint);
          }
        }
      }
    }
    int[][] predecessors = predecessors(order, positionOf);
    int[] mark = new int[blocks];
    int[] work = new int[blocks];
    int[] byValue = uses.byValue();
    for (int v = 0; v < n; v++) {
      int top = 0;
      for (int u = uses.first[v]; u < uses.first[v + 1]; u++) {
        top = liveIn(mf, order, start, end, mark, work, top, v, byValue[u]);
      }
      while (top > 0) {
        for (int p : predecessors[work[--top]]) {
          Block pb = order.get(p);
          extend(start, end, v, 2 * (mf.blockIndex(pb) + pb.instructions().size()) + 1);
          if (p != defBlock[v]) {
            top = liveIn(mf, order, start, end, mark, work, top, v, p);
          }
        }
      }
    }
    return new LiveIntervals(start, end, Arrays.copyOf(callPoints, callCount));
  }

  /** A use of value {@code v} in block {@code k}: extends it there, and notes it if not local. */
  private static void use(int[] start, int[] end, Uses uses, int[] defBlock, int v, int k,
      int point) {
    extend(start, end, v, point);
    if (defBlock[v] != k) {
      uses.add(v, k);
    }
  }

  /**
   * Marks {@code v} live into block {@code k} (unless already marked), extending it to the
   * block's start and pushing the block on {@code work}; returns the new top of {@code work}.
   */
  private static int liveIn(MachineFunction mf, List<Block> order, int[] start, int[] end,
      int[] mark, int[] work, int top, int v, int k) {
    // marks hold v + 1, so a block's mark is fresh for each value without clearing
    if (mark[k] == v + 1) {
      return top;
    }
    mark[k] = v + 1;
    extend(start, end, v, 2 * mf.blockIndex(order.get(k)));
    work[top] = k;
    return top + 1;
  }

  /** The positions in the order of each block's predecessors, by position. */
  private static int[][] predecessors(List<Block> order, int[] positionOf) {
    int[] count = new int[order.size()];
    for (Block b : order) {
      for (BlockCall edge : b.terminator().targets()) {
        count[positionOf[edge.target().id()]]++;
      }
    }
    int[][] preds = new int[order.size()][];
    for (int k = 0; k < preds.length; k++) {
      preds[k] = new int[count[k]];
      count[k] = 0;
    }
    for (int k = 0; k < order.size(); k++) {
      for (BlockCall edge : order.get(k).terminator().targets()) {
        int t = positionOf[edge.target().id()];
        preds[t][count[t]++] = k;
      }
    }
    return preds;
  }

  /** (value, block) pairs, then grouped by value with a counting sort. */
  private static final class Uses {
    private int[] values = new int[64];
    private int[] blocks = new int[64];
    private int size;
    /** After {@link #byValue}: value v's blocks are at {@code [first[v], first[v + 1])}. */
    final int[] first;

    Uses(int valueCount) {
      first = new int[valueCount + 1];
    }

    void add(int v, int k) {
      if (size == values.length) {
        values = Arrays.copyOf(values, 2 * size);
        blocks = Arrays.copyOf(blocks, 2 * size);
      }
      values[size] = v;
      blocks[size++] = k;
      first[v + 1]++;
    }

    /** {@return the blocks of the pairs, grouped by value as {@link #first} says} */
    int[] byValue() {
      for (int v = 1; v < first.length; v++) {
        first[v] += first[v - 1];
      }
      int[] next = Arrays.copyOf(first, first.length - 1);
      int[] sorted = new int[size];
      for (int i = 0; i < size; i++) {
        sorted[next[values[i]]++] = blocks[i];
      }
      return sorted;
    }
  }

  /** Whether {@code inst} clobbers the caller-saved registers. */
  static boolean isCall(Instruction inst) {
    return inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT;
  }

  private static void extend(int[] start, int[] end, int v, int point) {
    if (start[v] < 0 || point < start[v]) {
      start[v] = point;
    }
    if (point > end[v]) {
      end[v] = point;
    }
  }

  /** Whether value {@code v} has an interval. */
  public boolean hasInterval(int v) {
    return start[v] >= 0;
  }

  /** Whether value {@code v} is live across a call: defined before it and used after it. */
  public boolean crossesCall(int v) {
    int lo = Arrays.binarySearch(calls, start[v] + 1);
    int at = lo >= 0 ? lo : -lo - 1;
    // the first call point after the definition
    return at < calls.length && calls[at] > start[v] && calls[at] + 1 < end[v];
  }
}
