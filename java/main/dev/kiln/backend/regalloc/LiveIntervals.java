package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The live interval of every virtual register as a list of ranges with holes between them, and
 * its use positions, each marked as wanting a register or content with memory. A value is live
 * into a block if some path from the block's start reaches a use before its definition (so loops
 * extend a value over the whole loop), and live out of every predecessor of such a block; each
 * use is followed up the predecessors to the defining block, marking each block once per value
 * (Brandner et al., "Computing Liveness Sets for SSA-Form Programs"), which gives the same sets
 * as backward dataflow to a fixed point in time proportional to their size. Within a block a
 * value is live from its definition or the block's start to its last use there, or to the
 * block's end if it is live out; a value live out of a block stays live through its terminator's
 * def point, so the edge moves there cannot overwrite it. Ranges are half-open {@code [from, to)}
 * over the positions of {@link MachineFunction}.
 */
final class LiveIntervals {
  /** A use whose instruction reads the operand from a register or memory alike. */
  static final int ANY = 0;
  /** A use by an instruction that is better served from a register. */
  static final int REGISTER = 1;

  /**
   * The first interval of each value, or null for a value with none (undefined, or never in a
   * register: {@link MachineFunction#isUnmaterialized}).
   */
  final Interval[] intervals;
  /** The intervals of the values held in GPRs, ascending by value. */
  final List<Interval> gprs;
  /** The intervals of the f64 values, held in XMM registers, ascending by value. */
  final List<Interval> xmms;
  /** The use points of call instructions, ascending. */
  final int[] calls;
  /**
   * The loops, as the linear span from a header's start to the end of its last back edge's
   * block, ascending by header.
   */
  private final int[] loopStart;
  private final int[] loopEnd;

  private LiveIntervals(Walk walk, int[] calls, int[] loopStart, int[] loopEnd) {
    this.intervals = walk.intervals;
    this.gprs = walk.gprs;
    this.xmms = walk.xmms;
    this.calls = calls;
    this.loopStart = loopStart;
    this.loopEnd = loopEnd;
  }

  /** Computes the intervals of {@code mf}. */
  static LiveIntervals of(MachineFunction mf) {
    Walk walk = new Walk(mf);
    for (int v = 0; v < walk.intervals.length; v++) {
      walk.add(v);
    }
    int[] callPoints = new int[mf.callCount()];
    for (int k = 0; k < callPoints.length; k++) {
      callPoints[k] = 2 * mf.call(k);
    }
    int blocks = walk.blockStart.length;
    int[] loopEnd = new int[blocks];
    int loops = 0;
    for (int k = 0; k < blocks; k++) {
      for (int s : walk.successors[k]) {
        if (s <= k) {
          loops += loopEnd[s] == 0 ? 1 : 0;
          loopEnd[s] = walk.blockEnd[k];
        }
      }
    }
    int[] spanStart = new int[loops];
    int[] spanEnd = new int[loops];
    loops = 0;
    for (int k = 0; k < blocks; k++) {
      if (loopEnd[k] > 0) {
        spanStart[loops] = walk.blockStart[k];
        spanEnd[loops++] = loopEnd[k];
      }
    }
    return new LiveIntervals(walk, callPoints, spanStart, spanEnd);
  }

  /**
   * The blocks, edges and uses of one function, and the interval of each value computed from
   * them: a method per value, which C1 compiles early, where HotSpot would run a loop over a large
   * function's values interpreted for many back edges (docs/performance.md).
   */
  private static final class Walk {
    private final MachineFunction mf;
    final Interval[] intervals;
    final List<Interval> gprs = new ArrayList<>();
    final List<Interval> xmms = new ArrayList<>();
    /** Value v's uses are {@code [useCount[v], useCount[v + 1])} of the two arrays below. */
    private final int[] useCount;
    private final int[] usePoint;
    private final int[] useKind;
    /** Each block's start point and the point past its terminator's def point. */
    final int[] blockStart;
    final int[] blockEnd;
    final int[][] successors;
    private final int[][] predecessors;
    /** Per block, the last value (plus one) found live into it: fresh for each value uncleared. */
    private final int[] mark;
    private final int[] work;
    private final int[] liveIn;
    private final Ranges ranges = new Ranges();

    Walk(MachineFunction mf) {
      this.mf = mf;
      int n = mf.function().valueCount();
      int blocks = mf.order().size();
      intervals = new Interval[n];
      Uses uses = new Uses(2 * mf.size());
      blockStart = new int[blocks];
      blockEnd = new int[blocks];
      for (int k = 0; k < blocks; k++) {
        int first = mf.blockIndexAt(k);
        int end = k + 1 < blocks ? mf.blockIndexAt(k + 1) : mf.size();
        blockStart[k] = 2 * first;
        blockEnd[k] = 2 * end;
        for (int i = first + 1; i < end; i++) {
          addUses(mf, i, uses);
        }
      }
      // every value's uses, in the order the code was walked: ascending by point
      useCount = new int[n + 1];
      for (int u = 0; u < uses.size; u++) {
        useCount[uses.value[u] + 1]++;
      }
      for (int v = 0; v < n; v++) {
        useCount[v + 1] += useCount[v];
      }
      usePoint = new int[useCount[n]];
      useKind = new int[useCount[n]];
      int[] next = Arrays.copyOf(useCount, n);
      for (int u = 0; u < uses.size; u++) {
        int at = next[uses.value[u]]++;
        usePoint[at] = uses.point[u];
        useKind[at] = uses.kind[u];
      }
      successors = new int[blocks][];
      predecessors = edges(mf, successors);
      mark = new int[blocks];
      work = new int[blocks];
      liveIn = new int[blocks];
    }

    /** Adds the interval of value {@code v}, unless it is undefined or never in a register. */
    void add(int v) {
      int d = mf.definition(v);
      if (d >= 0 && !mf.isUnmaterialized(v)) {
        Interval it = interval(v, mf.blockAt(d), 2 * d + 1);
        intervals[v] = it;
        (mf.isF64(v) ? xmms : gprs).add(it);
      }
    }

    /**
     * The interval of value {@code v}, defined at {@code defPoint} in the block at position
     * {@code defBlock} of the order.
     */
    private Interval interval(int v, int defBlock, int defPoint) {
      int live = markLiveIn(v, defBlock);
      ranges.clear();
      int u = useCount[v];
      for (int j = 0; j < live; j++) {
        int k = liveIn[j];
        int from = k == defBlock ? defPoint : blockStart[k];
        int to = from + 1;
        boolean liveOut = false;
        for (int s : successors[k]) {
          liveOut |= mark[s] == v + 1;
        }
        // the blocks ascend and so do the uses: one pointer walks them together
        for (; u < useCount[v + 1] && usePoint[u] < blockEnd[k]; u++) {
          to = Math.max(to, usePoint[u] + 1);
        }
        ranges.add(from, liveOut ? blockEnd[k] : to);
      }
      return new Interval(v, ranges.from(), ranges.to(), usePoint, useKind, useCount[v],
          useCount[v + 1]);
    }

    /**
     * Marks the blocks value {@code v} is live into, walking back from its uses to its definition
     * in block {@code defBlock}, and lists them with that block in {@link #liveIn}, ascending;
     * returns how many. A method of its own, so that HotSpot compiles this walk, not all of
     * {@link #interval}, when it runs long.
     */
    private int markLiveIn(int v, int defBlock) {
      int top = 0;
      int live = 0;
      for (int u = useCount[v]; u < useCount[v + 1]; u++) {
        int k = mf.blockAt(usePoint[u] / 2);
        if (k != defBlock && mark[k] != v + 1) {
          mark[k] = v + 1;
          work[top++] = k;
          liveIn[live++] = k;
        }
      }
      while (top > 0) {
        for (int p : predecessors[work[--top]]) {
          if (p != defBlock && mark[p] != v + 1) {
            mark[p] = v + 1;
            work[top++] = p;
            liveIn[live++] = p;
          }
        }
      }
      liveIn[live++] = defBlock;
      if (live > 1) {
        Arrays.sort(liveIn, 0, live);
      }
      return live;
    }
  }

  /** The uses of the code in the order it is walked: value, point and kind side by side. */
  private static final class Uses {
    int[] value;
    int[] point;
    int[] kind;
    int size;

    Uses(int capacity) {
      value = new int[capacity];
      point = new int[capacity];
      kind = new int[capacity];
    }

    void add(int v, int p, int k) {
      if (size == value.length) {
        value = Arrays.copyOf(value, 2 * size + 8);
        point = Arrays.copyOf(point, 2 * size + 8);
        kind = Arrays.copyOf(kind, 2 * size + 8);
      }
      value[size] = v;
      point[size] = p;
      kind[size++] = k;
    }
  }

  /**
   * Adds the uses of the instruction at linear index {@code i}: its register operands (a fused
   * compare's are read by the branch after it), and the arguments of its block edges; operands
   * that the emitter only copies elsewhere (call arguments, a returned value, edge arguments)
   * or compares in place ({@link #firstReadInPlace}) may stay in memory.
   */
  private static void addUses(MachineFunction mf, int i, Uses uses) {
    // A fused compare's operands are read by the branch after it, a tested band's by the branch
    // or select that tests them (after its compare, if fused), a compared load's address by the
    // branch that compares it in memory, a scaled product's by the add whose lea computes it, a
    // byte add's other value by the store that adds it in memory.
    int point = mf.isFusedCompare(i) ? 2 * (i + 1)
        : mf.isTestedBand(i) ? 2 * (mf.isFusedCompare(i + 1) ? i + 2 : i + 1)
        : mf.isLoadCompare(i) ? 2 * mf.comparingBranch(i)
        : mf.scalingAdd(i) > 0 ? 2 * mf.scalingAdd(i)
        : mf.isByteAdd(i) && mf.opcodeAt(i) == Opcode.IADD ? 2 * (i + 1)
        : 2 * i;
    int first = mf.firstUse(i);
    int inPlace = firstReadInPlace(mf.opcodeAt(i));
    int edges = mf.firstEdgeArgument(i);
    for (int u = first; u < edges; u++) {
      int v = mf.usedValue(u);
      if (!mf.isUnmaterialized(v)) {
        uses.add(v, point, u - first >= inPlace ? ANY : REGISTER);
      }
    }
    for (int u = edges; u < mf.firstUse(i + 1); u++) {
      uses.add(mf.usedValue(u), point, ANY);
    }
  }

  /**
   * The first operand that an instruction of opcode {@code op} reads from memory as well as from
   * a register: a call or return only copies its operands elsewhere, and a compare (an
   * {@code icmp} or {@code bounds_check}) is one {@code cmp} whose second operand may be in
   * memory, so that a value only compared there, such as a loop's bound, stays in memory under
   * pressure instead of taking a register from a value that is computed with.
   */
  private static int firstReadInPlace(Opcode op) {
    return switch (op) {
      case CALL, CALL_INDIRECT, RETURN -> 0;
      case ICMP, BOUNDS_CHECK -> 1;
      default -> Integer.MAX_VALUE;
    };
  }

  /** Fills each block's successors, by position in the order; returns its predecessors. */
  private static int[][] edges(MachineFunction mf, int[][] succs) {
    int[] count = new int[succs.length];
    for (int k = 0; k < succs.length; k++) {
      succs[k] = new int[mf.successorCount(k)];
      for (int t = 0; t < succs[k].length; t++) {
        succs[k][t] = mf.successor(k, t);
        count[succs[k][t]]++;
      }
    }
    int[][] preds = new int[succs.length][];
    for (int k = 0; k < preds.length; k++) {
      preds[k] = new int[count[k]];
      count[k] = 0;
    }
    for (int k = 0; k < succs.length; k++) {
      for (int t : succs[k]) {
        preds[t][count[t]++] = k;
      }
    }
    return preds;
  }

  /**
   * The first point at or after {@code point} where a call clobbers the caller-saved registers
   * (the def point of a call at or after it, whose own result is written after the clobber), or
   * {@link Integer#MAX_VALUE}.
   */
  int nextClobber(int point) {
    int k = Arrays.binarySearch(calls, point);
    int at = k >= 0 ? k : -k - 1;
    return at < calls.length ? calls[at] + 1 : Integer.MAX_VALUE;
  }

  /** Whether a call clobbers the caller-saved registers at a point {@code it} covers. */
  boolean livesAcrossCall(Interval it) {
    for (int r = 0; r < it.rangeCount(); r++) {
      if (nextClobber(it.rangeFrom(r)) < it.rangeTo(r)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The start of the outermost loop whose header starts after {@code after} and which holds
   * {@code point}, or -1: a value moved to or from memory there is moved once on entering the
   * loop, not on every iteration.
   */
  int outermostLoop(int after, int point) {
    int k = Arrays.binarySearch(loopStart, after + 1);
    for (k = k >= 0 ? k : -k - 1; k < loopStart.length && loopStart[k] <= point; k++) {
      if (loopEnd[k] > point) {
        return loopStart[k];
      }
    }
    return -1;
  }

  /** Ranges of one value in ascending order, touching ones merged. */
  private static final class Ranges {
    private int[] from = new int[8];
    private int[] to = new int[8];
    private int size;

    void clear() {
      size = 0;
    }

    void add(int f, int t) {
      if (size > 0 && to[size - 1] == f) {
        to[size - 1] = t;
        return;
      }
      if (size == from.length) {
        from = Arrays.copyOf(from, 2 * size);
        to = Arrays.copyOf(to, 2 * size);
      }
      from[size] = f;
      to[size++] = t;
    }

    int[] from() {
      return Arrays.copyOf(from, size);
    }

    int[] to() {
      return Arrays.copyOf(to, size);
    }
  }
}
