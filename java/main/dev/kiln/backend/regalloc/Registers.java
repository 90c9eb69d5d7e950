package dev.kiln.backend.regalloc;

import dev.kiln.runtime.CallingConvention;
import java.util.List;

/**
 * The register file as the internal convention uses it. Pinned, never allocated: rsp, r15 (the
 * context block), r14 (the call-depth budget, {@link #DEPTH_LEFT}) and the scratch registers rax,
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
  /** Allocated XMM registers: xmm0-xmm13, all clobbered by calls. */
  public static final int XMM_COUNT = 14;

  private Registers() {}
}
