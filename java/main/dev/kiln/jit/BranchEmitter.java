package dev.kiln.jit;

import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RDX;
import static dev.kiln.asm.Xmm.XMM0;
import static dev.kiln.asm.Xmm.XMM1;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.bytecode.Op;

/**
 * Jumps and conditional branches, integer and float, each emitted as written or inverted (see
 * {@link BranchInversions}); a back edge polls the time-limit flag. A compare may use an array
 * element in place, left by the load before it ({@link LoadCompares}).
 */
final class BranchEmitter extends InstructionEmitter {
  /** The element a folded load left for the compare right after it, else null. */
  private Mem loadedForCompare;

  BranchEmitter(EmitContext ctx, Slots slots) {
    super(ctx, slots);
  }

  /** Leaves the array element {@code element} for the compare of the next instruction. */
  void compareNext(Mem element) {
    loadedForCompare = element;
  }

  /** A back edge polls the time-limit flag, like a safepoint poll. */
  private void poll(int pc, int target) {
    if (target <= pc) {
      ctx.poll(ctx.program.positionAt(pc));
    }
  }

  void jump(int pc, int target) {
    poll(pc, target);
    if (target != pc + Op.length(Op.JMP)) {
      a.jmp(ctx.label(target));
    }
  }

  /**
   * The conditional branch at {@code pc}, to {@code target}; {@code invert}ed, it jumps exactly
   * when the bytecode's branch would fall through (see {@link BranchInversions}).
   */
  void conditionalBranch(int pc, boolean invert, int target) {
    int[] code = ctx.code;
    int op = code[pc];
    int x = code[pc + 1];
    int y = code[pc + 2];
    switch (op) {
      case Op.JT, Op.JF, Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I,
          Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM -> {
        poll(pc, target);
        a.jcc(negatedIf(invert, compare(pc)), ctx.label(target));
      }
      case Op.J_EQ_F, Op.J_NE_F -> {
        if ((op == Op.J_EQ_F) != invert) {
          branchFloatEqual(pc, x, y, target);
        } else {
          branchFloatNotEqual(pc, x, y, target);
        }
      }
      case Op.J_LT_F -> branchFloat(pc, negatedIf(invert, Cond.A), x, y, target);
      case Op.J_LE_F -> branchFloat(pc, negatedIf(invert, Cond.AE), x, y, target);
      case Op.J_NLT_F -> branchFloat(pc, negatedIf(invert, Cond.BE), x, y, target);
      case Op.J_NLE_F -> branchFloat(pc, negatedIf(invert, Cond.B), x, y, target);
      case Op.FOR_I -> {
        poll(pc, target);
        slots.aluImm(AluOp.ADD, x, 1);
        Reg counter = slots.inReg(x, RAX);
        slots.alu(AluOp.CMP, counter, y);
        a.jcc(negatedIf(invert, Cond.L), ctx.label(target));
      }
      case Op.FOR_I_IMM -> {
        poll(pc, target);
        slots.aluImm(AluOp.ADD, x, 1);
        slots.aluImm(AluOp.CMP, x, y);
        a.jcc(negatedIf(invert, Cond.L), ctx.label(target));
      }
      default -> throw new IllegalStateException("not a conditional branch: " + Op.name(op));
    }
  }

  private static Cond negatedIf(boolean invert, Cond cond) {
    return invert ? cond.negate() : cond;
  }

  /** The condition of an integer compare-and-branch, or null for another instruction. */
  static Cond intBranchCondition(int op) {
    return switch (op) {
      case Op.J_EQ_I, Op.J_EQ_I_IMM -> Cond.E;
      case Op.J_NE_I, Op.J_NE_I_IMM -> Cond.NE;
      case Op.J_LT_I, Op.J_LT_I_IMM -> Cond.L;
      case Op.J_LE_I, Op.J_LE_I_IMM -> Cond.LE;
      case Op.J_GT_I, Op.J_GT_I_IMM -> Cond.G;
      case Op.J_GE_I, Op.J_GE_I_IMM -> Cond.GE;
      default -> null;
    };
  }

  /**
   * The compare of the integer branch at {@code pc} (a {@code JT}, {@code JF} or compare of ints);
   * returns the condition on which the branch is taken. Uses rax, and rdx for an element left by
   * {@link #compareNext}.
   */
  Cond compare(int pc) {
    int[] code = ctx.code;
    int op = code[pc];
    int x = code[pc + 1];
    int y = code[pc + 2];
    switch (op) {
      case Op.JT, Op.JF -> {
        slots.aluImm(AluOp.CMP, x, 0);
        return op == Op.JT ? Cond.NE : Cond.E;
      }
      case Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I -> compareInts(x, y);
      case Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM ->
          compareImmediate(pc, x, y);
      default -> throw new IllegalStateException("not an integer branch: " + Op.name(op));
    }
    return intBranchCondition(op);
  }

  private void compareInts(int x, int y) {
    if (loadedForCompare != null) {
      if (slots.folded(y)) {
        a.alu(AluOp.CMP, takeLoadedForCompare(), slots.foldedValue(y));
      } else {
        a.alu(AluOp.CMP, takeLoadedForCompare(), slots.inReg(y, RDX)); // rax and rcx may address it
      }
    } else {
      slots.alu(AluOp.CMP, slots.inReg(x, RAX), y);
    }
  }

  /** The element operand an array load left for this compare, which uses it up. */
  private Mem takeLoadedForCompare() {
    Mem m = loadedForCompare;
    loadedForCompare = null;
    return m;
  }

  private void compareImmediate(int pc, int x, int imm) {
    HandOvers.ZeroTest test = ctx.zeroTest(pc);
    if (test != null) {
      a.test(slots.inReg(test.operand(), RAX), test.mask()); // x % 2^k or x & mask, compared with 0
    } else if (loadedForCompare != null) {
      a.alu(AluOp.CMP, takeLoadedForCompare(), imm);
    } else {
      slots.aluImm(AluOp.CMP, x, imm);
    }
  }

  private void branchFloat(int pc, Cond cond, int x, int y, int target) {
    poll(pc, target);
    a.ucomisd(slots.inXmm(y, XMM0), slots.inXmm(x, XMM1));
    a.jcc(cond, ctx.label(target));
  }

  private void branchFloatEqual(int pc, int x, int y, int target) {
    poll(pc, target);
    a.ucomisd(slots.inXmm(x, XMM0), slots.inXmm(y, XMM1));
    Label skip = a.label();
    a.jcc(Cond.P, skip);
    a.jcc(Cond.E, ctx.label(target));
    a.bind(skip);
  }

  private void branchFloatNotEqual(int pc, int x, int y, int target) {
    poll(pc, target);
    a.ucomisd(slots.inXmm(x, XMM0), slots.inXmm(y, XMM1));
    a.jcc(Cond.P, ctx.label(target));
    a.jcc(Cond.NE, ctx.label(target));
  }
}
