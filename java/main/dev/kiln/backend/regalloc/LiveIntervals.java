package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The live interval of every virtual register: the hull {@code [start, end]} of the points where
 * it is live, from block-level liveness (backward dataflow to a fixed point, so loops extend a
 * value over the whole loop), and the call points, which the allocator keeps clobbered values
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
    List<Block> layout = mf.layout();
    int blocks = layout.size();
    int[] layoutOf = new int[mf.function().blockCount()];
    for (int k = 0; k < blocks; k++) {
      layoutOf[layout.get(k).id()] = k;
    }
    // Only values used outside the block that defines them can be live into or out of a block;
    // the sets number just those densely. Indexed by value id, a set would grow to the highest id
    // it holds: a few values per block, but blocks x values bits over a function (gigabytes for
    // Brainfuck's 200,000 nested loops, whose block parameters have ever higher ids).
    int[] crossing = crossBlockValues(mf, layout, n);
    int crossCount = 0;
    for (int v = 0; v < n; v++) {
      if (crossing[v] >= 0) {
        crossing[v] = crossCount++;
      }
    }
    int[] valueOf = new int[crossCount];
    for (int v = 0; v < n; v++) {
      if (crossing[v] >= 0) {
        valueOf[crossing[v]] = v;
      }
    }
    BitSet[] liveIn = new BitSet[blocks];
    BitSet[] gen = new BitSet[blocks];
    BitSet[] kill = new BitSet[blocks];
    for (int k = 0; k < blocks; k++) {
      liveIn[k] = new BitSet();
      gen[k] = new BitSet();
      kill[k] = new BitSet();
      Block b = layout.get(k);
      for (Value p : b.params()) {
        setIfCrossing(kill[k], crossing, p.id());
      }
      for (Instruction inst : b.instructions()) {
        for (Value v : operands(mf, inst)) {
          int c = crossing[v.id()];
          if (c >= 0 && !kill[k].get(c)) {
            gen[k].set(c);
          }
        }
        if (inst.result() != null) {
          setIfCrossing(kill[k], crossing, inst.result().id());
        }
      }
    }
    BitSet[] liveOut = new BitSet[blocks];
    for (int k = 0; k < blocks; k++) {
      liveOut[k] = new BitSet();
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = blocks - 1; k >= 0; k--) {
        BitSet out = liveOut[k];
        for (BlockCall edge : layout.get(k).terminator().targets()) {
          out.or(liveIn[layoutOf[edge.target().id()]]);
        }
        BitSet in = (BitSet) out.clone();
        in.andNot(kill[k]);
        in.or(gen[k]);
        if (!in.equals(liveIn[k])) {
          liveIn[k] = in;
          changed = true;
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
      for (int c = liveIn[k].nextSetBit(0); c >= 0; c = liveIn[k].nextSetBit(c + 1)) {
        extend(start, end, valueOf[c], 2 * first);
      }
      for (int c = liveOut[k].nextSetBit(0); c >= 0; c = liveOut[k].nextSetBit(c + 1)) {
        extend(start, end, valueOf[c], 2 * last + 1);
      }
      for (Value p : b.params()) {
        extend(start, end, p.id(), 2 * first + 1);
      }
      for (int i = first + 1; i <= last; i++) {
        Instruction inst = mf.at(i);
        // A fused compare's operands are read by the branch after it.
        int usePoint = mf.isFusedCompare(i) ? 2 * (i + 1) : 2 * i;
        for (Value v : operands(mf, inst)) {
          extend(start, end, v.id(), usePoint);
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
   * For each value id, 0 if some block other than the one defining it reads it (a value defined
   * nowhere in the layout counts as defined elsewhere), else -1.
   */
  private static int[] crossBlockValues(MachineFunction mf, List<Block> layout, int n) {
    int[] definedIn = new int[n];
    Arrays.fill(definedIn, -1);
    for (int k = 0; k < layout.size(); k++) {
      Block b = layout.get(k);
      for (Value p : b.params()) {
        definedIn[p.id()] = k;
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null) {
          definedIn[inst.result().id()] = k;
        }
      }
    }
    int[] crossing = new int[n];
    Arrays.fill(crossing, -1);
    for (int k = 0; k < layout.size(); k++) {
      for (Instruction inst : layout.get(k).instructions()) {
        for (Value v : operands(mf, inst)) {
          if (definedIn[v.id()] != k) {
            crossing[v.id()] = 0;
          }
        }
      }
    }
    return crossing;
  }

  private static void setIfCrossing(BitSet set, int[] crossing, int v) {
    if (crossing[v] >= 0) {
      set.set(crossing[v]);
    }
  }

  /** Whether {@code inst} clobbers the caller-saved registers. */
  static boolean isCall(Instruction inst) {
    return inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT;
  }

  /** The values {@code inst} reads, branch arguments included, folded immediates excluded. */
  private static List<Value> operands(MachineFunction mf, Instruction inst) {
    ArrayList<Value> vs = new ArrayList<>();
    for (Value v : inst.args()) {
      if (!mf.isImmediate(v)) {
        vs.add(v);
      }
    }
    for (BlockCall edge : inst.targets()) {
      vs.addAll(edge.args());
    }
    return vs;
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
