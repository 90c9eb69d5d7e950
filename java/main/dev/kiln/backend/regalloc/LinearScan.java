package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Block;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linear-scan register allocation (Poletto and Sarkar, 1999) over the live intervals, GPRs and
 * XMM registers separately. An interval that crosses a call may only take a callee-saved register
 * (there are no callee-saved XMM registers); an interval that does not prefers a caller-saved one.
 * When no register is free, the interval among the active ones and the new one that ends last is
 * spilled to a slot of its own for its whole life. A free register is chosen by hint first
 * ({@link Hints}: the argument register a value is passed or received in, the register of the
 * value it is copied from or to on a block edge, the operand register a two-address instruction
 * overwrites), then in the order of the register lists; the active set holds at most one
 * interval per register, so it is a plain array.
 */
public final class LinearScan {
  private static final int[] CALLER_SAVED = toArray(Registers.CALLER_SAVED);
  private static final int[] CALLEE_SAVED = toArray(Registers.calleeSaved(false));
  private static final int[] CALLEE_SAVED_BUT_BASE = toArray(Registers.calleeSaved(true));
  private static final int[] XMM = new int[Registers.XMM_COUNT];
  private static final int[] NONE = {};

  static {
    Arrays.setAll(XMM, x -> x);
  }

  private final LiveIntervals live;
  private final Hints hints;
  private final int[] location;
  private final boolean[] usedCalleeSaved = new boolean[16];
  private final boolean[] free = new boolean[16];
  private final int[] active = new int[16];
  private int activeCount;
  private int slots;

  private LinearScan(LiveIntervals live, Hints hints, int values) {
    this.live = live;
    this.hints = hints;
    this.location = new int[values];
    Arrays.fill(location, Allocation.NONE);
  }

  /**
   * Allocates every virtual register of {@code mf}.
   *
   * @param mf the function after lowering
   * @param memoryBasePinned whether its module keeps a memory's base in
   *     {@link Registers#MEMORY_BASE}, which then is not allocated
   * @return where each value lives
   */
  public static Allocation allocate(MachineFunction mf, boolean memoryBasePinned) {
    int[] calleeSaved = memoryBasePinned ? CALLEE_SAVED_BUT_BASE : CALLEE_SAVED;
    LiveIntervals live = LiveIntervals.of(mf);
    int n = mf.function().valueCount();
    // per value: 1 for an i64 that needs a register, 2 for an f64, 0 for none
    byte[] kind = new byte[n];
    for (Block b : mf.function().blocks()) {
      for (Value p : b.params()) {
        classify(mf, live, kind, p);
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null) {
          classify(mf, live, kind, inst.result());
        }
      }
    }
    LinearScan scan = new LinearScan(live, Hints.of(mf), n);
    int[] order = byStart(live, kind, n);
    scan.run(order, kind, (byte) 1, CALLER_SAVED, calleeSaved);
    scan.run(order, kind, (byte) 2, XMM, NONE);
    List<Integer> saved = new ArrayList<>();
    for (int r : calleeSaved) {
      if (scan.usedCalleeSaved[r]) {
        saved.add(r);
      }
    }
    return new Allocation(scan.location, scan.slots, saved);
  }

  private static void classify(MachineFunction mf, LiveIntervals live, byte[] kind, Value v) {
    if (live.hasInterval(v.id()) && !mf.isImmediate(v)) {
      kind[v.id()] = (byte) (v.type() == Type.F64 ? 2 : 1);
    }
  }

  /** The values with an interval, by start point then id: a counting sort over start points. */
  private static int[] byStart(LiveIntervals live, byte[] kind, int n) {
    int maxStart = 0;
    int count = 0;
    for (int v = 0; v < n; v++) {
      if (kind[v] != 0) {
        maxStart = Math.max(maxStart, live.start[v]);
        count++;
      }
    }
    int[] firstAt = new int[maxStart + 2];
    for (int v = 0; v < n; v++) {
      if (kind[v] != 0) {
        firstAt[live.start[v] + 1]++;
      }
    }
    for (int p = 1; p < firstAt.length; p++) {
      firstAt[p] += firstAt[p - 1];
    }
    int[] order = new int[count];
    for (int v = 0; v < n; v++) {
      if (kind[v] != 0) {
        order[firstAt[live.start[v]]++] = v;
      }
    }
    return order;
  }

  private void run(int[] order, byte[] kind, byte wanted, int[] callerSaved, int[] calleeSaved) {
    Arrays.fill(free, false);
    for (int r : callerSaved) {
      free[r] = true;
    }
    for (int r : calleeSaved) {
      free[r] = true;
    }
    activeCount = 0;
    for (int v : order) {
      if (kind[v] != wanted) {
        continue;
      }
      expire(live.start[v]);
      boolean crosses = live.crossesCall(v);
      int reg = hinted(v, crosses, calleeSaved);
      if (reg < 0 && !crosses) {
        reg = firstFree(callerSaved);
      }
      if (reg < 0) {
        reg = firstFree(calleeSaved);
      }
      if (reg >= 0) {
        free[reg] = false;
        assign(v, reg, calleeSaved);
        continue;
      }
      // spill whichever ends last among v and the active intervals whose register v may take
      int victim = -1;
      for (int k = 0; k < activeCount; k++) {
        int a = active[k];
        if ((!crosses || contains(calleeSaved, location[a])) && (victim < 0
            || live.end[a] > live.end[active[victim]]
            || live.end[a] == live.end[active[victim]] && a > active[victim])) {
          victim = k;
        }
      }
      if (victim >= 0 && live.end[active[victim]] > live.end[v]) {
        int spilled = active[victim];
        int r = location[spilled];
        active[victim] = active[--activeCount];
        location[spilled] = -(slots++) - 1;
        assign(v, r, calleeSaved);
      } else {
        location[v] = -(slots++) - 1;
      }
    }
  }

  /**
   * The free register {@code v}'s hints name, if any may hold it: only a callee-saved one when it
   * crosses a call.
   */
  private int hinted(int v, boolean crosses, int[] calleeSaved) {
    int fixed = hints.register(v);
    if (fixed >= 0 && free[fixed] && (!crosses || contains(calleeSaved, fixed))) {
      return fixed;
    }
    int related = hints.value(v);
    if (related >= 0 && location[related] >= 0) {
      int r = location[related];
      if (free[r] && (!crosses || contains(calleeSaved, r))) {
        return r;
      }
    }
    return -1;
  }

  /** Frees the registers of the active intervals that end before {@code point}. */
  private void expire(int point) {
    for (int k = activeCount - 1; k >= 0; k--) {
      int a = active[k];
      if (live.end[a] < point) {
        free[location[a]] = true;
        active[k] = active[--activeCount];
      }
    }
  }

  private int firstFree(int[] registers) {
    for (int r : registers) {
      if (free[r]) {
        return r;
      }
    }
    return -1;
  }

  private void assign(int v, int reg, int[] calleeSaved) {
    location[v] = reg;
    active[activeCount++] = v;
    if (contains(calleeSaved, reg)) {
      usedCalleeSaved[reg] = true;
    }
  }

  private static boolean contains(int[] registers, int r) {
    for (int x : registers) {
      if (x == r) {
        return true;
      }
    }
    return false;
  }

  private static int[] toArray(List<Integer> registers) {
    return registers.stream().mapToInt(Integer::intValue).toArray();
  }
}
