package dev.kiln.backend.emit;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Imm;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.TrapKind;

/**
 * The call-depth accounting: the frames that may still be entered live in a pinned register
 * ({@link Registers#DEPTH_LEFT}), so a call takes its callee's levels from it before the call and
 * gives them back after, without touching memory. Every adjustment of the depth (calls,
 * {@code depth_enter}, {@code depth_leave}) goes through here.
 */
final class CallDepth {
  /** The register holding the frames left. */
  static final Reg LEFT = Reg.of(Registers.DEPTH_LEFT, 64);

  private CallDepth() {}

  /**
   * Takes {@code levels} frames (an immediate, a register or a spill slot) from the budget,
   * trapping with {@code STACK_OVERFLOW} at {@code position} when fewer are left: the unsigned
   * borrow of the subtraction is the reference interpreter's {@code left < levels}. A trap
   * unwinds, and the entry stub restores the register.
   */
  static void claim(EmitContext cx, Operand levels, int position) {
    adjust(cx, AluOp.SUB, levels);
    overflowIfBelow(cx, position);
  }

  /**
   * A {@link #claim} of {@code levels} given back at once: traps as the claim would (the carry
   * of the compare is the subtraction's borrow) and leaves the budget as it was.
   */
  static void probe(EmitContext cx, long levels, int position) {
    cx.a.cmp(LEFT, levels);
    overflowIfBelow(cx, position);
  }

  /** Traps with {@code STACK_OVERFLOW} at {@code position} when the flags say "below". */
  private static void overflowIfBelow(EmitContext cx, int position) {
    cx.a.jcc(Cond.B, cx.stubs.stub(TrapKind.STACK_OVERFLOW, 0, position, null, null, 0));
  }

  /** Gives back what {@link #claim} took: after a call returned, and {@code depth_leave}. */
  static void release(EmitContext cx, Operand levels) {
    adjust(cx, AluOp.ADD, levels);
  }

  private static void adjust(EmitContext cx, AluOp op, Operand levels) {
    if (levels instanceof Imm imm) {
      cx.a.alu(op, LEFT, imm.value());
    } else if (levels instanceof Reg r) {
      cx.a.alu(op, LEFT, r);
    } else {
      cx.a.alu(op, LEFT, (Mem) levels);
    }
  }
}
