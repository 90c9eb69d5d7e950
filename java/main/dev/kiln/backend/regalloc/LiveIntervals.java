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
    BitSet[] liveIn = new BitSet[blocks];
    BitSet[] gen = new BitSet[blocks];
    BitSet[] kill = new BitSet[blocks];
    int[] layoutOf = new int[mf.function().blockCount()];
    // Sets grow with what they hold: sized for every value, they would take blocks x values bits
    // (tens of gigabytes for a function of a million blocks).
    for (int k = 0; k < blocks; k++) {
      layoutOf[layout.get(k).id()] = k;
      liveIn[k] = new BitSet();
      gen[k] = new BitSet();
      kill[k] = new BitSet();
      Block b = layout.get(k);
      for (Value p : b.params()) {
        kill[k].set(p.id());
      }
      for (Instruction inst : b.instructions()) {
        for (Value v : operands(mf, inst)) {
          if (!kill[k].get(v.id())) {
            gen[k].set(v.id());
          }
        }
        if (inst.result() != null) {
          kill[k].set(inst.result().id());
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
      for (int v = liveIn[k].nextSetBit(0); v >= 0; v = liveIn[k].nextSetBit(v + 1)) {
        extend(start, end, v, 2 * first);
      }
      for (int v = liveOut[k].nextSetBit(0); v >= 0; v = liveOut[k].nextSetBit(v + 1)) {
        extend(start, end, v, 2 * last + 1);
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
