package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Linear-scan register allocation over live intervals with holes, splitting them where they
 * must change location (Wimmer and Mössenböck, "Optimized Interval Splitting in a Linear Scan
 * Register Allocator", 2005), GPRs and XMM registers separately. Intervals are handled by start
 * point; an interval in a hole of its ranges is inactive, and its register is free to others
 * until it is live again. A call clobbers every caller-saved register (and every XMM register)
 * just after reading its operands, so an interval live across a call takes a callee-saved
 * register, or is split before the call. When a register is free only for a part of an
 * interval, the interval takes it for that part and the rest is allocated later. When none is
 * free, the intervals whose next use wanting a register comes latest lose: either the new one
 * goes to memory up to its first such use, or the register's holder is split there and goes to
 * memory up to its next such use after this point, where it is allocated again. The pieces of
 * one value share one spill slot. A free register is chosen by hint first ({@link Hints}: the
 * register of the value's previous piece, the argument register a value is passed or received
 * in, the registers of the values it is copied from or to on block edges, the operand register a
 * two-address instruction overwrites: the first free for the whole interval; for a relation
 * not yet allocated that lives across a call, a callee-saved register free for both), then
 * caller-saved before callee-saved (which cost a save).
 * Splits are only at instruction boundaries (even points), where the emitter can insert moves.
 */
public final class LinearScan {
  private static final int[] CALLER_SAVED = toArray(Registers.CALLER_SAVED);
  private static final int[] CALLEE_SAVED = toArray(Registers.calleeSaved(false));
  private static final int[] CALLEE_SAVED_BUT_BASE = toArray(Registers.calleeSaved(true));
  private static final int[] XMM = upTo(Registers.XMM_COUNT);
  private static final int[] NONE = {};
  private static final int FAR = Integer.MAX_VALUE;

  private final LiveIntervals live;
  private final Hints hints;
  /** How many of a value's hint relations, and of theirs, a choice looks at. */
  private final int lookedAt;
  private final int[] slotOf;
  /** Per value, the register of its latest allocated piece, or -1. */
  private final int[] lastRegister;
  private final boolean[] usedCalleeSaved = new boolean[16];
  private final List<Interval> pieces = new ArrayList<>();
  private final List<Interval> active = new ArrayList<>();
  private final List<Interval> inactive = new ArrayList<>();
  /** The pieces split off, to be allocated after the intervals that start before them. */
  private final PriorityQueue<Interval> unhandled = new PriorityQueue<>(new ByStart());
  private final int[] freeUntil = new int[16];
  private final int[] nextUse = new int[16];
  private final int[] blocked = new int[16];
  private int[] callerSaved;
  private int[] calleeSaved;
  /** Whether each register is one of the two lists above. */
  private final boolean[] allocatable = new boolean[16];
  private int slots;

  private LinearScan(LiveIntervals live, Hints hints, int lookedAt, int values) {
    this.live = live;
    this.hints = hints;
    this.lookedAt = lookedAt;
    this.slotOf = new int[values];
    this.lastRegister = new int[values];
    Arrays.fill(slotOf, -1);
    Arrays.fill(lastRegister, -1);
  }

  /**
   * Allocates every virtual register of {@code mf}.
   *
   * @param mf the function after lowering
   * @param memoryBasePinned whether its module keeps a memory's base in
   *     {@link Registers#MEMORY_BASE}, which then is not allocated
   * @param hintsLookedAt how many of a value's hint relations (and of theirs) a choice looks at
   *     ({@code Thresholds.REGISTER_HINTS_LOOKED_AT})
   * @return where each value lives
   */
  public static Allocation allocate(MachineFunction mf, boolean memoryBasePinned,
      int hintsLookedAt) {
    int[] calleeSaved = memoryBasePinned ? CALLEE_SAVED_BUT_BASE : CALLEE_SAVED;
    LiveIntervals live = LiveIntervals.of(mf);
    LinearScan scan = new LinearScan(live, Hints.of(mf), hintsLookedAt,
        mf.function().valueCount());
    scan.run(live.gprs, CALLER_SAVED, calleeSaved);
    scan.run(live.xmms, XMM, NONE);
    List<Integer> saved = new ArrayList<>();
    for (int r : calleeSaved) {
      if (scan.usedCalleeSaved[r]) {
        saved.add(r);
      }
    }
    return Allocation.of(mf, live, scan.pieces, scan.slots, saved);
  }

  private void run(List<Interval> intervals, int[] callerSaved, int[] calleeSaved) {
    this.callerSaved = callerSaved;
    this.calleeSaved = calleeSaved;
    for (int r = 0; r < allocatable.length; r++) {
      allocatable[r] = contains(callerSaved, r) || contains(calleeSaved, r);
    }
    active.clear();
    inactive.clear();
    Interval[] sorted = byStart(intervals);
    int next = 0;
    while (next < sorted.length || !unhandled.isEmpty()) {
      next = handleFirst(sorted, next);
    }
  }

  /**
   * Allocates the first interval by start point not yet handled: {@code sorted[next]}, or a piece
   * split off that comes before it (a method per interval, which C1 compiles early).
   *
   * @return the index in {@code sorted} of the first of its intervals not yet handled
   */
  private int handleFirst(Interval[] sorted, int next) {
    boolean fromSorted = unhandled.isEmpty()
        || next < sorted.length && byStart(sorted[next], unhandled.peek()) < 0;
    Interval cur = fromSorted ? sorted[next] : unhandled.poll();
    advance(cur.start());
    pieces.add(cur);
    if (!allocateFree(cur)) {
      allocateBlocked(cur);
    }
    if (cur.location >= 0) {
      active.add(cur);
      lastRegister[cur.value] = cur.location;
      if (contains(calleeSaved, cur.location)) {
        usedCalleeSaved[cur.location] = true;
      }
    }
    return fromSorted ? next + 1 : next;
  }

  /** Moves the active and inactive intervals on to {@code point}. */
  private void advance(int point) {
    for (int k = active.size() - 1; k >= 0; k--) {
      Interval it = active.get(k);
      if (it.end() <= point) {
        remove(active, k);
      } else if (!it.coversAscending(point)) {
        remove(active, k);
        inactive.add(it);
      }
    }
    for (int k = inactive.size() - 1; k >= 0; k--) {
      Interval it = inactive.get(k);
      if (it.end() <= point) {
        remove(inactive, k);
      } else if (it.coversAscending(point)) {
        remove(inactive, k);
        active.add(it);
      }
    }
  }

  /**
   * Gives {@code cur} a register free for all of it, or one free for a first part of it (then
   * splits off the rest); false if no register is free at its start.
   */
  private boolean allocateFree(Interval cur) {
    int point = cur.start();
    int clobber = live.nextClobber(point);
    for (int r : callerSaved) {
      freeUntil[r] = clobber;
    }
    for (int r : calleeSaved) {
      freeUntil[r] = FAR;
    }
    for (int k = 0; k < active.size(); k++) {
      freeUntil[active.get(k).location] = 0;
    }
    for (int k = 0; k < inactive.size(); k++) {
      Interval it = inactive.get(k);
      if (freeUntil[it.location] > point) {
        freeUntil[it.location] = Math.min(freeUntil[it.location], it.firstIntersection(cur));
      }
    }
    int end = cur.end();
    int hint = hint(cur, end);
    int reg = hint >= 0 ? hint : firstFree(end);
    if (reg >= 0) {
      cur.location = reg;
      return true;
    }
    reg = latest(freeUntil);
    int split = freeUntil[reg] & ~1;
    if (split <= point) {
      return false;
    }
    cur.location = reg;
    unhandled.add(cur.splitAt(split));
    return true;
  }

  /**
   * Gives {@code cur} the register whose holders want it again latest, splitting and spilling
   * them, or spills {@code cur} up to its first use that wants a register if that comes later.
   */
  private void allocateBlocked(Interval cur) {
    int point = cur.start();
    int clobber = live.nextClobber(point);
    for (int r : callerSaved) {
      nextUse[r] = blocked[r] = clobber;
    }
    for (int r : calleeSaved) {
      nextUse[r] = blocked[r] = FAR;
    }
    for (int k = 0; k < active.size(); k++) {
      Interval it = active.get(k);
      nextUse[it.location] = Math.min(nextUse[it.location], it.nextRegisterUse(point));
    }
    for (int k = 0; k < inactive.size(); k++) {
      Interval it = inactive.get(k);
      if (it.firstIntersection(cur) != FAR) {
        nextUse[it.location] = Math.min(nextUse[it.location], it.nextRegisterUse(point));
      }
    }
    int reg = latest(nextUse);
    int firstUse = cur.nextRegisterUse(point);
    int split = blocked[reg] < cur.end() ? blocked[reg] & ~1 : FAR;
    if (firstUse > nextUse[reg] || split <= point) {
      spill(cur, point);
      return;
    }
    cur.location = reg;
    for (int k = active.size() - 1; k >= 0; k--) {
      Interval it = active.get(k);
      if (it.location == reg) {
        remove(active, k);
        spillFrom(it, point & ~1, point);
      }
    }
    for (int k = inactive.size() - 1; k >= 0; k--) {
      Interval it = inactive.get(k);
      if (it.location == reg && it.firstIntersection(cur) != FAR) {
        remove(inactive, k);
        spillFrom(it, it.nextStart(point), point);
      }
    }
    if (split != FAR) {
      unhandled.add(cur.splitAt(split));
    }
  }

  /**
   * Puts {@code it} in memory from {@code from} (an instruction boundary) on, up to its next use
   * after {@code point} that wants a register, from where it is allocated again; from the entry
   * of the outermost loop holding {@code from} that does not use it up to there, if any, so that
   * a value evicted in an inner loop stays in memory across that loop rather than coming back on
   * its back edge.
   */
  private void spillFrom(Interval it, int from, int point) {
    int loop = live.outermostLoop(it.start(), from);
    while (loop >= 0 && it.nextRegisterUse(loop) < point) {
      loop = live.outermostLoop(loop, from); // used in this loop: try the next one inside it
    }
    if (loop >= 0) {
      from = loop; // not used in the loop up to here: in memory from the loop's entry
    }
    if (from > it.start()) {
      Interval rest = it.splitAt(from);
      pieces.add(rest);
      spill(rest, point);
    } else {
      spill(it, point);
    }
  }

  /**
   * Puts {@code it} in its value's spill slot up to its first use after {@code point} that wants
   * a register, and leaves the rest to be allocated again.
   */
  private void spill(Interval it, int point) {
    if (slotOf[it.value] < 0) {
      slotOf[it.value] = slots++;
    }
    it.location = -slotOf[it.value] - 1;
    int reload = it.nextRegisterUse(point + 1);
    int loop = reload < it.end() ? live.outermostLoop(Math.max(point, it.start()), reload) : -1;
    if (loop >= 0) {
      reload = loop; // back in a register from the loop's entry, not on every iteration
    }
    if (reload < it.end() && reload > it.start()) {
      unhandled.add(it.splitAt(reload));
    }
  }

  /**
   * The first register {@code cur} would best take that is free up to {@code end}, or -1: its
   * previous piece's, its argument register, the registers of the values it is related to, then
   * those of the values they are related to (a block parameter allocated later still leads to
   * its other arguments' register).
   */
  private int hint(Interval cur, int end) {
    int previous = lastRegister[cur.value];
    if (previous >= 0 && freeUntil[previous] >= end) {
      return previous;
    }
    int fixed = hints.register(cur.value);
    if (fixed >= 0 && allocatable[fixed] && freeUntil[fixed] >= end) {
      return fixed;
    }
    int r = related(cur.value, end, -1);
    if (r >= 0) {
      return r;
    }
    int n = 0;
    for (int k = hints.first(cur.value); k != 0 && n < lookedAt;
        k = hints.next(cur.value, k), n++) {
      int other = hints.related(k);
      if (lastRegister[other] < 0 && (r = forUnallocated(other, end, cur.value)) >= 0) {
        return r;
      }
    }
    return -1;
  }

  /**
   * The register to share with {@code v}, a relation not yet allocated: one of its relations'
   * (other than {@code except}) free up to {@code end}; but if {@code v} lives across a call,
   * where only a callee-saved register keeps it, the first callee-saved one free up to
   * {@code end} that no allocated interval holds while {@code v} is live (so a call's result
   * flowing into a join parameter lands in the parameter's register at once); or -1.
   */
  private int forUnallocated(int v, int end, int except) {
    Interval it = live.intervals[v];
    if (it != null && it.location == Interval.UNASSIGNED && live.livesAcrossCall(it)) {
      for (int r : calleeSaved) {
        if (freeUntil[r] >= end && isFreeFor(r, it)) {
          return r;
        }
      }
    }
    return related(v, end, except);
  }

  /** Whether no active or inactive interval in register {@code r} intersects {@code it}. */
  private boolean isFreeFor(int r, Interval it) {
    return isFreeFor(r, it, active) && isFreeFor(r, it, inactive);
  }

  private static boolean isFreeFor(int r, Interval it, List<Interval> holders) {
    for (int k = 0; k < holders.size(); k++) {
      Interval other = holders.get(k);
      if (other.location == r && other.firstIntersection(it) != FAR) {
        return false;
      }
    }
    return true;
  }

  /**
   * The register of the first of {@code v}'s first {@link #lookedAt} relations other than
   * {@code except} that is allocated, to a register free up to {@code end}; or -1.
   */
  private int related(int v, int end, int except) {
    int n = 0;
    for (int k = hints.first(v); k != 0 && n < lookedAt; k = hints.next(v, k), n++) {
      int other = hints.related(k);
      int r = other == except ? -1 : lastRegister[other];
      if (r >= 0 && allocatable[r] && freeUntil[r] >= end) {
        return r;
      }
    }
    return -1;
  }

  /** The first register free up to {@code end}, caller-saved first, or -1. */
  private int firstFree(int end) {
    for (int r : callerSaved) {
      if (freeUntil[r] >= end) {
        return r;
      }
    }
    for (int r : calleeSaved) {
      if (freeUntil[r] >= end) {
        return r;
      }
    }
    return -1;
  }

  /** The register whose entry of {@code until} is largest, the first in order on a tie. */
  private int latest(int[] until) {
    int best = -1;
    for (int r : callerSaved) {
      if (best < 0 || until[r] > until[best]) {
        best = r;
      }
    }
    for (int r : calleeSaved) {
      if (best < 0 || until[r] > until[best]) {
        best = r;
      }
    }
    return best;
  }

  /**
   * {@code intervals}, ascending by value, ordered by start point, then value: bucketed by start
   * point, each bucket filled in the given order.
   */
  private static Interval[] byStart(List<Interval> intervals) {
    int last = 0;
    for (int k = 0; k < intervals.size(); k++) {
      last = Math.max(last, intervals.get(k).start());
    }
    int[] first = new int[last + 2];
    for (int k = 0; k < intervals.size(); k++) {
      first[intervals.get(k).start() + 1]++;
    }
    for (int p = 0; p <= last; p++) {
      first[p + 1] += first[p];
    }
    Interval[] sorted = new Interval[intervals.size()];
    for (int k = 0; k < intervals.size(); k++) {
      Interval it = intervals.get(k);
      sorted[first[it.start()]++] = it;
    }
    return sorted;
  }

  /** Orders intervals by start point, then value. */
  static int byStart(Interval a, Interval b) {
    return a.start() != b.start() ? Integer.compare(a.start(), b.start())
        : Integer.compare(a.value, b.value);
  }

  /**
   * {@link #byStart(Interval, Interval)} as a comparator: a class, not a method reference, since
   * linking one costs a cold JVM the lambda machinery's start-up.
   */
  private static final class ByStart implements Comparator<Interval> {
    @Override
    public int compare(Interval a, Interval b) {
      return byStart(a, b);
    }
  }

  private static void remove(List<Interval> list, int k) {
    int last = list.size() - 1;
    list.set(k, list.get(last));
    list.remove(last);
  }

  private static boolean contains(int[] registers, int r) {
    for (int x : registers) {
      if (x == r) {
        return true;
      }
    }
    return false;
  }

  /** Plain loops, not streams or lambdas: these run in every JVM's first compile. */
  private static int[] toArray(List<Integer> registers) {
    int[] array = new int[registers.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = registers.get(i);
    }
    return array;
  }

  private static int[] upTo(int count) {
    int[] array = new int[count];
    for (int i = 0; i < count; i++) {
      array[i] = i;
    }
    return array;
  }
}
