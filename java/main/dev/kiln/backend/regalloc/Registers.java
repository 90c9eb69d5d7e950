package dev.kiln.backend.regalloc;

import dev.kiln.runtime.CallingConvention;
import java.util.List;

/**
 * The register file as the internal convention uses it. Pinned, never allocated: rsp, r15 (the
 * context block) and the scratch registers rax, rcx and rdx (division, shift counts, checked
 * addresses, parallel-move cycles) and xmm14, xmm15. Of the allocated GPRs, rbx, rbp and r12-r14
 * are preserved across internal calls (a function saves those it uses); every other allocated
 * register, and every XMM register, is clobbered by any call. Both host conventions preserve
 * rbx, rbp and r12-r15 too, so a call to C or to Java keeps them as well.
 */
public final class Registers {
  /** Allocated GPRs that survive calls. */
  public static final List<Integer> CALLEE_SAVED = List.of(CallingConvention.RBX,
      CallingConvention.R12, CallingConvention.R13, CallingConvention.R14, CallingConvention.RBP);
  /** Allocated GPRs that calls clobber. */
  public static final List<Integer> CALLER_SAVED = List.of(CallingConvention.RSI,
      CallingConvention.RDI, CallingConvention.R8, CallingConvention.R9, CallingConvention.R10,
      CallingConvention.R11);
  /** Allocated XMM registers: xmm0-xmm13, all clobbered by calls. */
  public static final int XMM_COUNT = 14;

  private Registers() {}
}
