package dev.kiln.jit;

import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool registers an upcall may clobber that can hold a Kiln value: those some function of the
 * program uses (not just the calling one: the pools are callee-saved between Kiln functions, so a
 * caller's values may sit in registers the callee never names) and the host convention does not
 * preserve. The same for every function, so found once per program, not per {@link Frame}.
 */
record UpcallClobbers(List<Reg> gpr, List<Xmm> xmm) {
  static UpcallClobbers of(SlotAllocator.Homes[] homes, CallingConvention convention) {
    boolean[] gprUsed = new boolean[16];
    boolean[] xmmUsed = new boolean[16];
    for (SlotAllocator.Homes h : homes) {
      mark(h, gprUsed, xmmUsed);
    }
    List<Reg> gpr = new ArrayList<>();
    for (Reg r : SlotAllocator.POOL) {
      if (gprUsed[r.code()] && !convention.calleeSaved().contains(r.code())) {
        gpr.add(r);
      }
    }
    List<Xmm> xmm = new ArrayList<>();
    for (Xmm x : SlotAllocator.XMM_POOL) {
      if (xmmUsed[x.code()] && !convention.calleeSavedXmm().contains(x.code())) {
        xmm.add(x);
      }
    }
    return new UpcallClobbers(List.copyOf(gpr), List.copyOf(xmm));
  }

  /**
   * Marks the registers one function's slots use. A method per function, not a loop nested in
   * {@link #of}: called once per function, it is compiled by C1 after a few hundred functions,
   * while {@link #of}, called once per program, would run its loop over every slot of a large
   * program in the interpreter.
   */
  private static void mark(SlotAllocator.Homes h, boolean[] gprUsed, boolean[] xmmUsed) {
    for (Reg r : h.gpr()) {
      if (r != null) {
        gprUsed[r.code()] = true;
      }
    }
    for (Xmm x : h.xmm()) {
      if (x != null) {
        xmmUsed[x.code()] = true;
      }
    }
  }
}
