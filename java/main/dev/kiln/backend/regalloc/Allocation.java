package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Block;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Where each virtual register lives at each point: a value split by the allocator lives in a
 * sequence of locations (a register, a GPR number for an i64 or an XMM number for an f64, or a
 * spill slot of the frame), each from a point of the function on. Where a value changes location
 * inside a block, the emitter moves it before the instruction at the split
 * ({@link #splitsBefore}); where it differs between the end of a block and the start of a
 * successor, on the edge ({@link #splitLiveIn}).
 */
public final class Allocation {
  /** The location of a value that needs none. */
  public static final int NONE = Integer.MIN_VALUE;
  private static final int[] NO_VALUES = {};

  /** Value v's pieces are {@code [first[v], first[v + 1])}, ascending by start point. */
  private final int[] first;
  private final int[] pieceStart;
  private final int[] pieceLocation;
  private final int spillSlots;
  private final List<Integer> calleeSaved;
  /** Per linear index, the values that change location right before its instruction. */
  private final int[][] splitsBefore;
  /** Per block id, the split values live into it. */
  private final int[][] splitLiveIn;
  /** The values whose slot is written once, at their definition (by value id). */
  private final BitSet storedAtDefinition;

  private Allocation(int[] first, int[] pieceStart, int[] pieceLocation, int spillSlots,
      List<Integer> calleeSaved, int[][] splitsBefore, int[][] splitLiveIn,
      BitSet storedAtDefinition) {
    this.first = first;
    this.pieceStart = pieceStart;
    this.pieceLocation = pieceLocation;
    this.spillSlots = spillSlots;
    this.calleeSaved = calleeSaved;
    this.splitsBefore = splitsBefore;
    this.splitLiveIn = splitLiveIn;
    this.storedAtDefinition = storedAtDefinition;
  }

  /**
   * The allocation of {@code pieces}, every allocated piece of every value of {@code mf}, whose
   * loops {@code live} knows.
   */
  static Allocation of(MachineFunction mf, LiveIntervals live, List<Interval> pieces,
      int spillSlots, List<Integer> calleeSaved) {
    int n = mf.function().valueCount();
    int[] first = firstPieces(pieces, n);
    Interval[] sorted = byValue(pieces, first, n);
    int[] start = new int[sorted.length];
    int[] location = new int[sorted.length];
    for (int k = 0; k < sorted.length; k++) {
      start[k] = sorted[k].start();
      location[k] = sorted[k].location;
    }
    Splits splits = new Splits(mf, live, sorted, first);
    for (int v = 0; v < n; v++) {
      if (first[v + 1] - first[v] > 1) {
        splits.record(v);
      }
    }
    return new Allocation(first, start, location, spillSlots, calleeSaved,
        splits.before.toArrays(), splits.liveIn.toArrays(), splits.storedAtDefinition);
  }

  /**
   * Where each value's pieces begin in {@link #byValue}'s order: value v's are
   * {@code [first[v], first[v + 1])}. Each loop over all pieces is in a method of its own, so
   * that HotSpot compiles that method, not all of {@link #of}, for a loop that runs long.
   */
  private static int[] firstPieces(List<Interval> pieces, int n) {
    int[] first = new int[n + 1];
    for (int k = 0; k < pieces.size(); k++) {
      first[pieces.get(k).value + 1]++;
    }
    for (int v = 0; v < n; v++) {
      first[v + 1] += first[v];
    }
    return first;
  }

  /** The pieces bucketed by value, each bucket by start point (a value has few pieces). */
  private static Interval[] byValue(List<Interval> pieces, int[] first, int n) {
    Interval[] sorted = new Interval[pieces.size()];
    int[] next = Arrays.copyOf(first, n);
    for (int k = 0; k < pieces.size(); k++) {
      Interval p = pieces.get(k);
      int at = next[p.value]++;
      while (at > first[p.value] && sorted[at - 1].start() > p.start()) {
        sorted[at] = sorted[at - 1];
        at--;
      }
      sorted[at] = p;
    }
    return sorted;
  }

  /** Where the values split into several pieces change location. */
  private static final class Splits {
    private final MachineFunction mf;
    private final LiveIntervals live;
    /** The pieces by value, value v's {@code [first[v], first[v + 1])} ascending by start. */
    private final Interval[] sorted;
    private final int[] first;
    private final int[] blockStart;
    private final int[] blockId;
    /** By linear index, the values moved right before its instruction. */
    final IntBuckets before;
    /** By block id, the split values live into it. */
    final IntBuckets liveIn;
    final BitSet storedAtDefinition;

    Splits(MachineFunction mf, LiveIntervals live, Interval[] sorted, int[] first) {
      this.mf = mf;
      this.live = live;
      this.sorted = sorted;
      this.first = first;
      blockStart = new int[mf.order().size()];
      blockId = new int[blockStart.length];
      for (int k = 0; k < blockStart.length; k++) {
        blockStart[k] = 2 * mf.blockIndexAt(k);
        blockId[k] = mf.order().get(k).id();
      }
      before = new IntBuckets(mf.size());
      liveIn = new IntBuckets(mf.function().blockCount());
      storedAtDefinition = new BitSet(first.length - 1);
    }

    /**
     * Records where value {@code v} changes location, and whether its slot is written at its
     * definition only (a method per value, which C1 compiles early).
     */
    void record(int v) {
      int def = sorted[first[v]].start();
      boolean definedOnce = mf.at(def / 2) != null || def / 2 == mf.blockIndexAt(0); // the entry
      for (int k = first[v]; k < first[v + 1]; k++) {
        Interval p = sorted[k];
        int s = p.start();
        // going to memory in a loop the definition is outside of: store once, at the definition
        if (definedOnce && k > first[v] && p.location < 0 && sorted[k - 1].location >= 0
            && live.outermostLoop(def, s) >= 0) {
          storedAtDefinition.set(v);
        }
        // a piece that starts inside a block at an instruction was cut from the one before it
        if (k > first[v] && s % 2 == 0 && mf.at(s / 2) != null
            && p.location != sorted[k - 1].location) {
          before.add(s / 2, v);
        }
        for (int r = 0; r < p.rangeCount(); r++) {
          int b = Arrays.binarySearch(blockStart, p.rangeFrom(r));
          for (b = b >= 0 ? b : -b - 1; b < blockStart.length
              && blockStart[b] < p.rangeTo(r); b++) {
            liveIn.add(blockId[b], v);
          }
        }
      }
    }
  }

  /**
   * Whether value {@code v} has a location (it is defined and not a folded immediate).
   *
   * @param v a value id
   * @return whether it has a location
   */
  public boolean has(int v) {
    return first[v + 1] > first[v];
  }

  /**
   * The location of value {@code v} at {@code point} (the use point {@code 2 * i} or def point
   * {@code 2 * i + 1} of linear index {@code i}), which must be one where it is live.
   *
   * @param v a value id with a location
   * @param point a point of the function
   * @return a register number {@code >= 0}, or {@code -(slot + 1)} for a spill slot
   */
  public int location(int v, int point) {
    if (first[v + 1] - first[v] == 1) {
      return pieceLocation[first[v]]; // most values are never split
    }
    int k = Arrays.binarySearch(pieceStart, first[v], first[v + 1], point);
    // the last piece that starts at or before the point
    return pieceLocation[k >= 0 ? k : Math.max(first[v], -k - 2)];
  }

  /**
   * Whether value {@code v} is stored to its spill slot right after its definition (an
   * instruction's result or the function's parameter), which holds it from there on, so that no
   * move into the slot is needed elsewhere: chosen where it would otherwise go to memory inside
   * a loop that its definition lies outside of, on every iteration.
   *
   * @param v a value id
   * @return whether its slot is written at its definition only
   */
  public boolean storedAtDefinition(int v) {
    return storedAtDefinition.get(v);
  }

  /**
   * The spill slot of value {@code v}, which has one.
   *
   * @param v a value id with a piece in memory
   * @return its slot number
   */
  public int slotOf(int v) {
    for (int k = first[v]; k < first[v + 1]; k++) {
      if (pieceLocation[k] < 0) {
        return slot(pieceLocation[k]);
      }
    }
    throw new IllegalStateException("v" + v + " has no spill slot");
  }

  /**
   * The spill slot of a location.
   *
   * @param location a location below 0
   * @return its slot number
   */
  public static int slot(int location) {
    return -location - 1;
  }

  /** {@return the number of 8-byte spill slots} */
  public int spillSlots() {
    return spillSlots;
  }

  /** {@return the callee-saved GPRs the function writes, which its prologue saves} */
  public List<Integer> calleeSaved() {
    return calleeSaved;
  }

  /**
   * The values to move to their new location right before the instruction at linear index
   * {@code i} (from where they were at its use point minus one), all at once.
   *
   * @param i a linear index
   * @return value ids
   */
  public int[] splitsBefore(int i) {
    int[] values = splitsBefore[i];
    return values == null ? NO_VALUES : values;
  }

  /**
   * The values live into block {@code b} that the allocator split; on an edge into {@code b}
   * each moves from its location at the end of the predecessor to its location at the start of
   * {@code b}.
   *
   * @param b a block of the function
   * @return value ids
   */
  public int[] splitLiveIn(Block b) {
    int[] values = splitLiveIn[b.id()];
    return values == null ? NO_VALUES : values;
  }
}
