package dev.kiln.backend.regalloc;

import java.util.List;

/**
 * Where each virtual register lives for its whole interval: a register (a GPR number for an i64,
 * an XMM number for an f64) or a spill slot of the frame.
 *
 * @param location per value id: a register number {@code >= 0}, {@code -(slot + 1)} for a spill
 *     slot, or {@link #NONE} for a value that needs no location (dead or a folded immediate)
 * @param spillSlots the number of 8-byte spill slots
 * @param calleeSaved the callee-saved GPRs the function writes, which its prologue saves
 */
public record Allocation(int[] location, int spillSlots, List<Integer> calleeSaved) {
  /** The location of a value that needs none. */
  public static final int NONE = Integer.MIN_VALUE;

  /** Whether value {@code id} lives in a spill slot. */
  public boolean isSpilled(int id) {
    return location[id] < 0 && location[id] != NONE;
  }

  /** The spill slot of value {@code id}. */
  public int slot(int id) {
    return -location[id] - 1;
  }
}
