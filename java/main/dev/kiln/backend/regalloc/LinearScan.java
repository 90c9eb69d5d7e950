package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Linear-scan register allocation (Poletto and Sarkar, 1999) over the live intervals, GPRs and
 * XMM registers separately. An interval that crosses a call may only take a callee-saved register
 * (there are no callee-saved XMM registers); an interval that does not prefers a caller-saved one.
 * When no register is free, the interval among the active ones and the new one that ends last is
 * spilled to a slot of its own for its whole life.
 */
public final class LinearScan {
  private final LiveIntervals live;
  private final int[] location;
  private final boolean[] usedCalleeSaved = new boolean[16];
  private int slots;

  private LinearScan(LiveIntervals live, int values) {
    this.live = live;
    this.location = new int[values];
    Arrays.fill(location, Allocation.NONE);
  }

  /** Allocates every virtual register of {@code mf}. */
  public static Allocation allocate(MachineFunction mf) {
    LiveIntervals live = LiveIntervals.of(mf);
    int n = mf.function().valueCount();
    Value[] values = new Value[n];
    for (var b : mf.function().blocks()) {
      for (Value p : b.params()) {
        values[p.id()] = p;
      }
      for (var inst : b.instructions()) {
        if (inst.result() != null) {
          values[inst.result().id()] = inst.result();
        }
      }
    }
    LinearScan scan = new LinearScan(live, n);
    List<Integer> ints = new ArrayList<>();
    List<Integer> floats = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      if (values[v] != null && live.hasInterval(v) && !mf.isImmediate(values[v])) {
        (values[v].type() == Type.F64 ? floats : ints).add(v);
      }
    }
    List<Integer> xmm = new ArrayList<>();
    for (int x = 0; x < Registers.XMM_COUNT; x++) {
      xmm.add(x);
    }
    scan.run(ints, Registers.CALLER_SAVED, Registers.CALLEE_SAVED);
    scan.run(floats, xmm, List.of());
    List<Integer> saved = new ArrayList<>();
    for (int r : Registers.CALLEE_SAVED) {
      if (scan.usedCalleeSaved[r]) {
        saved.add(r);
      }
    }
    return new Allocation(scan.location, scan.slots, saved);
  }

  private void run(List<Integer> intervals, List<Integer> callerSaved, List<Integer> calleeSaved) {
    intervals.sort(Comparator.comparingInt((Integer v) -> live.start[v]).thenComparingInt(v -> v));
    TreeSet<Integer> freeCaller = new TreeSet<>(Comparator.comparingInt(callerSaved::indexOf));
    freeCaller.addAll(callerSaved);
    TreeSet<Integer> freeCallee = new TreeSet<>(Comparator.comparingInt(calleeSaved::indexOf));
    freeCallee.addAll(calleeSaved);
    // active intervals by end point
    TreeSet<Integer> active = new TreeSet<>(
        Comparator.comparingInt((Integer v) -> live.end[v]).thenComparingInt(v -> v));
    for (int v : intervals) {
      while (!active.isEmpty() && live.end[active.first()] < live.start[v]) {
        int done = active.pollFirst();
        release(done, callerSaved, freeCaller, freeCallee);
      }
      boolean crosses = live.crossesCall(v);
      Integer reg = null;
      if (!crosses && !freeCaller.isEmpty()) {
        reg = freeCaller.pollFirst();
      } else if (!freeCallee.isEmpty()) {
        reg = freeCallee.pollFirst();
      }
      if (reg != null) {
        assign(v, reg, calleeSaved);
        active.add(v);
        continue;
      }
      // spill whichever ends last among v and the active intervals whose register v may take
      Integer victim = null;
      for (int a : active.descendingSet()) {
        if (!crosses || calleeSaved.contains(location[a])) {
          victim = a;
          break;
        }
      }
      if (victim != null && live.end[victim] > live.end[v]) {
        int r = location[victim];
        active.remove(victim);
        location[victim] = -(slots++) - 1;
        assign(v, r, calleeSaved);
        active.add(v);
      } else {
        location[v] = -(slots++) - 1;
      }
    }
  }

  private void assign(int v, int reg, List<Integer> calleeSaved) {
    location[v] = reg;
    if (calleeSaved.contains(reg)) {
      usedCalleeSaved[reg] = true;
    }
  }

  private void release(int v, List<Integer> callerSaved, TreeSet<Integer> freeCaller,
      TreeSet<Integer> freeCallee) {
    int r = location[v];
    if (r >= 0) {
      (callerSaved.contains(r) ? freeCaller : freeCallee).add(r);
    }
  }
}
