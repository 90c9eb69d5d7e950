package dev.kiln.backend.regalloc;

import dev.kiln.ir.Type;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;

/**
 * The register file as the internal convention uses it. Pinned, never allocated: rsp, r15 (the
 * context block), r14 (the call-depth budget, {@link #DEPTH_LEFT}), in a module with memories
 * r13 (a memory's base, {@link #MEMORY_BASE}) and the scratch registers rax,
 * rcx and rdx (division, shift counts, checked addresses, parallel-move cycles) and xmm14, xmm15.
 * Of the allocated GPRs, rbx, rbp, r12 and r13 are preserved across internal calls (a function
 * saves those it uses); every other allocated register, and every XMM register, is clobbered by
 * any call. Both host conventions preserve rbx, rbp and r12-r15 too, so a call to C or to Java
 * keeps them as well.
 */
public final class Registers {
  /** Allocated GPRs that survive calls. */
  public static final List<Integer> CALLEE_SAVED = List.of(CallingConvention.RBX,
      CallingConvention.R12, CallingConvention.R13, CallingConvention.RBP);
  /** Allocated GPRs that calls clobber. */
  public static final List<Integer> CALLER_SAVED = List.of(CallingConvention.RSI,
      CallingConvention.RDI, CallingConvention.R8, CallingConvention.R9, CallingConvention.R10,
      CallingConvention.R11);
  /**
   * The frames that may still be entered (the call-depth limit minus the depth), pinned in a
   * register both host conventions preserve, so that a call's depth check is register-only. The
   * entry stub loads it from the context block, and compiled code stores it there before an
   * upcall that may re-enter.
   */
  public static final int DEPTH_LEFT = CallingConvention.R14;
  /**
   * The base address of one memory of the module, pinned in a register both host conventions
   * preserve so that an access addresses {@code [base + address]} without loading the base from
   * the context block. Memories never move, so the entry stub loads it once per run; a module
   * without memories allocates it like the other callee-saved registers.
   */
  public static final int MEMORY_BASE = CallingConvention.R13;
  /** Allocated XMM registers: xmm0-xmm13, all clobbered by calls. */
  public static final int XMM_COUNT = 14;

  /** The GPRs of the internal convention's first i64 arguments, in order. */
  public static final List<Integer> INTEGER_ARGUMENTS = List.of(CallingConvention.RDI,
      CallingConvention.RSI, CallingConvention.R8, CallingConvention.R9, CallingConvention.R10,
      CallingConvention.R11);
  /** The internal convention passes its first f64 arguments in xmm0 up to this (exclusive). */
  public static final int FLOAT_ARGUMENTS = 8;

  private Registers() {}

  /**
   * The allocated GPRs that survive calls in a function of a module that does or does not pin
   * {@link #MEMORY_BASE}.
   *
   * @param memoryBasePinned whether the module keeps a memory's base in {@link #MEMORY_BASE}
   * @return {@link #CALLEE_SAVED}, without {@link #MEMORY_BASE} when it is pinned
   */
  public static List<Integer> calleeSaved(boolean memoryBasePinned) {
    if (!memoryBasePinned) {
      return CALLEE_SAVED;
    }
    List<Integer> saved = new ArrayList<>(CALLEE_SAVED);
    saved.remove((Integer) MEMORY_BASE);
    return List.copyOf(saved);
  }

  /**
   * Where the internal convention passes each of {@code params}: the i64s in
   * {@link #INTEGER_ARGUMENTS} and the f64s in xmm0 onwards, each in order; a parameter beyond
   * those registers goes to the caller's outgoing area at {@code [rsp + 8 * its index]}.
   *
   * @param params the parameter types
   * @return per parameter a GPR number (i64) or XMM number (f64), or -1 for the stack
   */
  public static int[] argumentRegisters(List<Type> params) {
    int[] where = new int[params.size()];
    int ints = 0;
    int floats = 0;
    for (int i = 0; i < where.length; i++) {
      if (params.get(i) == Type.F64) {
        where[i] = floats < FLOAT_ARGUMENTS ? floats++ : -1;
      } else {
        where[i] = ints < INTEGER_ARGUMENTS.size() ? INTEGER_ARGUMENTS.get(ints++) : -1;
      }
    }
    return where;
  }
}
