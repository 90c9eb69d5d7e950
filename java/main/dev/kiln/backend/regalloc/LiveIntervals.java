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
 * it is live, from block-level liveness (backward dataflow over flat bit matrices to a fixed
 * point, so loops extend a value over the whole loop), and the call points, which the allocator keeps clobbered values
 * from crossing. A value live out of a block stays live through its terminator's def point, so
 * the edge moves there cannot overwrite it.
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
    int words = (n + 63) >>> 6;
    List<Block> layout = mf.layout();
    int blocks = layout.size();
    // one flat bit matrix per set, row k for the block at layout position k
    long[] gen = new long[blocks * words];
    long[] kill = new long[blocks * words];
    long[] liveIn = new long[blocks * words];
    long[] liveOut = new long[blocks * words];
    int[] layoutOf = new int[mf.function().blockCount()];
    Reads reads = Reads.of(mf);
    for (int k = 0; k < blocks; k++) {
      layoutOf[layout.get(k).id()] = k;
    }
    for (int k = 0; k < blocks; k++) {
      Block b = layout.get(k);
      int row = k * words;
      for (Value p : b.params()) {
        set(kill, row, p.id());
      }
      int first = mf.blockIndex(b);
      int last = first + b.instructions().size();
      for (int i = first + 1; i <= last; i++) {
        Instruction inst = mf.at(i);
        for (int o = reads.start[i]; o < reads.start[i + 1]; o++) {
          if (!get(kill, row, reads.ids[o])) {
            set(gen, row, reads.ids[o]);
          }
        }
        if (inst.result() != null) {
          set(kill, row, inst.result().id());
        }
      }
    }
    int[] successors = successors(layout, layoutOf);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = blocks - 1; k >= 0; k--) {
        int row = k * words;
        for (int e = successors[k]; e < successors[k + 1]; e++) {
          int from = successors[e] * words;
          for (int w = 0; w < words; w++) {
            liveOut[row + w] |= liveIn[from + w];
          }
        }
        for (int w = row; w < row + words; w++) {
          long in = liveOut[w] & ~kill[w] | gen[w];
          if (in != liveIn[w]) {
            liveIn[w] = in;
            changed = true;
          }
        }
      }
    }
    int[] start = new int[n];
    int[] end = new int[n];
    Arrays.fill(start, -1);
    Arrays.fill(end, -1);
    int[] callPoints = new int[mf.size()];
    int callCount = 0;
    for (int k = 0; k < blocks; k++) {
      Block b = layout.get(k);
      int first = mf.blockIndex(b);
      int last = first + b.instructions().size();
      int row = k * words;
      for (int w = 0; w < words; w++) {
        for (long bits = liveIn[row + w]; bits != 0; bits &= bits - 1) {
          extend(start, end, (w << 6) + Long.numberOfTrailingZeros(bits), 2 * first);
        }
        for (long bits = liveOut[row + w]; bits != 0; bits &= bits - 1) {
          extend(start, end, (w << 6) + Long.numberOfTrailingZeros(bits), 2 * last + 1);
        }
      }
      for (Value p : b.params()) {
        extend(start, end, p.id(), 2 * first + 1);
      }
      for (int i = first + 1; i <= last; i++) {
        Instruction inst = mf.at(i);
        // A fused compare's operands are read by the branch after it.
        int usePoint = mf.isFusedCompare(i) ? 2 * (i + 1) : 2 * i;
        for (int o = reads.start[i]; o < reads.start[i + 1]; o++) {
          extend(start, end, reads.ids[o], usePoint);
        }
        if (inst.result() != null) {
          extend(start, end, inst.result().id(), 2 * i + 1);
        }
        if (isCall(inst)) {
          callPoints[callCount++] = 2 * i;
        }
      }
    }
    return new LiveIntervals(start, end, Arrays.copyOf(callPoints, callCount));
  }

  /**
   * The successors of every block by layout position, in compressed-row form: those of block
   * {@code k} are at {@code [succ[k], succ[k + 1])} of the same array.
   */
  private static int[] successors(List<Block> layout, int[] layoutOf) {
    int blocks = layout.size();
    int edges = 0;
    for (Block b : layout) {
      edges += b.terminator().targets().size();
    }
    int[] succ = new int[blocks + 1 + edges];
    int e = blocks + 1;
    for (int k = 0; k < blocks; k++) {
      succ[k] = e;
      for (BlockCall edge : layout.get(k).terminator().targets()) {
        succ[e++] = layoutOf[edge.target().id()];
      }
    }
    succ[blocks] = e;
    return succ;
  }

  /** Whether {@code inst} clobbers the caller-saved registers. */
  static boolean isCall(Instruction inst) {
    return inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT;
  }

  /**
   * The ids of the values each linear index reads, branch arguments included, folded immediates
   * excluded: those of index {@code i} are {@code ids[start[i]]} to {@code ids[start[i + 1] - 1]}.
   */
  private record Reads(int[] start, int[] ids) {
    static Reads of(MachineFunction mf) {
      int size = mf.size();
      int[] start = new int[size + 1];
      int[] ids = new int[2 * size + 8];
      int count = 0;
      for (int i = 0; i < size; i++) {
        start[i] = count;
        Instruction inst = mf.at(i);
        if (inst == null) {
          continue;
        }
        // only terminators have targets; targets() copies them
        List<BlockCall> targets = inst.opcode().isTerminator() ? inst.targets() : List.of();
        int needed = count + inst.argCount();
        for (BlockCall edge : targets) {
          needed += edge.args().size();
        }
        if (needed > ids.length) {
          ids = Arrays.copyOf(ids, 2 * needed);
        }
        for (int a = 0; a < inst.argCount(); a++) {
          Value v = inst.arg(a);
          if (!mf.isImmediate(v)) {
            ids[count++] = v.id();
          }
        }
        for (BlockCall edge : targets) {
          for (Value v : edge.args()) {
            ids[count++] = v.id();
          }
        }
      }
      start[size] = count;
      return new Reads(start, ids);
    }
  }

  private static void set(long[] bits, int row, int v) {
    bits[row + (v >>> 6)] |= 1L << v;
  }

  private static boolean get(long[] bits, int row, int v) {
    return (bits[row + (v >>> 6)] & 1L << v) != 0;
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
