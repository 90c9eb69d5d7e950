package dev.kiln.backend.emit;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Reg;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.TrapKind;

/**
 * The call-depth accounting: the frames that may still be entered live in a pinned register
 * ({@link Registers#DEPTH_LEFT}), so a call takes its callee's levels from it before the call and
 * gives them back after, without touching memory. Every adjustment of the depth goes through here.
 */
final class CallDepth {
  /** The register holding the frames left. */
  static final Reg LEFT = Reg.of(Registers.DEPTH_LEFT, 64);

  private CallDepth() {}

  /**
   * Takes {@code levels} frames (a constant, or the register {@code levelsRegister} when it is not
   * {@code null}) from the budget, trapping with {@code STACK_OVERFLOW} at {@code position} when
   * fewer are left: the unsigned borrow of the subtraction is the reference interpreter's
   * {@code left < levels}. A trap unwinds, and the entry stub restores the register.
   */
  static void claim(EmitContext cx, Reg levelsRegister, long levels, int position) {
    Assembler a = cx.a;
    if (levelsRegister != null) {
      a.sub(LEFT, levelsRegister);
    } else {
      a.sub(LEFT, levels);
    }
    a.jcc(Cond.B, cx.stubs.stub(TrapKind.STACK_OVERFLOW, 0, position, null, null, 0));
  }

  /** Gives back what {@link #claim} took, after the call returned. */
  static void release(EmitContext cx, Reg levelsRegister, long levels) {
    if (levelsRegister != null) {
      cx.a.add(LEFT, levelsRegister);
    } else {
      cx.a.add(LEFT, levels);
    }
  }
}
