package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.AL;
import static dev.kiln.asm.Reg.CL;
import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.ir.FloatCond;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;

/** Floating-point arithmetic, compares and conversions, with SSE2 scalar instructions. */
final class FloatEmitter {
  private final EmitContext cx;
  private final Assembler a;
  private final Locations at;

  FloatEmitter(EmitContext cx) {
    this.cx = cx;
    this.a = cx.a;
    this.at = cx.at;
  }

  /** {@code fcmp} into a value, false on unordered operands except for {@code ne}. */
  void compare(Instruction inst) {
    a.setcc(cx.compareFloats(inst), AL);
    switch (inst.floatCond()) {
      case EQ -> {
        a.setcc(Cond.NP, CL);
        a.and(AL, CL);
      }
      case NE -> {
        a.setcc(Cond.P, CL);
        a.or(AL, CL);
      }
      default -> { }
    }
    a.movzx(EAX, AL);
    at.move(at.of(inst.result()), RAX);
  }

  /**
   * An f64 {@code select} at linear index {@code index}. Of the two operands of its fused strict
   * {@code fcmp} ({@code lt} or {@code gt}) it is one {@code minsd} or {@code maxsd}: those give
   * {@code d < s ? d : s} and {@code d > s ? d : s}, the source for NaN and for zeros of either
   * sign (Intel SDM vol. 2B, MINSD, MAXSD), bit for bit the select. Any other moves the bits
   * through rax and rcx for a {@code cmov}.
   */
  void select(int index, Instruction inst) {
    Value r = inst.result();
    Value yes = inst.arg(1);
    Value no = inst.arg(2);
    Instruction cmp = index > 0 && cx.mf.isFusedCompare(index - 1) ? cx.mf.at(index - 1) : null;
    if (cmp != null && cmp.opcode() == Opcode.FCMP && yes != no
        && (cmp.floatCond() == FloatCond.LT || cmp.floatCond() == FloatCond.GT)
        && (cmp.arg(0) == yes && cmp.arg(1) == no || cmp.arg(0) == no && cmp.arg(1) == yes)) {
      // yes ? no written as yes > no or yes < no: gt x, y with yes = x is a maximum, and so
      // is lt x, y with yes = y
      boolean maximum = (cmp.floatCond() == FloatCond.GT) == (cmp.arg(0) == yes);
      Xmm t = cx.floatTarget(r, no);
      at.move(t, at.of(yes));
      Operand s = at.of(no);
      if (maximum && s instanceof Xmm xs) {
        a.maxsd(t, xs);
      } else if (maximum) {
        a.maxsd(t, (Mem) s);
      } else if (s instanceof Xmm xs) {
        a.minsd(t, xs);
      } else {
        a.minsd(t, (Mem) s);
      }
      at.move(at.of(r), t);
      return;
    }
    Cond cond = cx.condition(index, inst);
    at.move(RAX, at.of(no));
    at.move(RCX, at.of(yes));
    a.cmov(cond, RAX, RCX);
    at.move(at.of(r), RAX);
  }

  /** {@code fadd}, {@code fsub}, {@code fmul}, {@code fdiv}. */
  void arithmetic(Instruction inst) {
    Value r = inst.result();
    Value x = inst.arg(0);
    Value y = inst.arg(1);
    // fadd and fmul commute (which NaN an arithmetic NaN is, is unspecified): with the result
    // where the second operand is, that operand is the destination and needs no scratch copy
    boolean commutes = inst.opcode() == Opcode.FADD || inst.opcode() == Opcode.FMUL;
    if (commutes && at.of(r).equals(at.of(y)) && !at.of(r).equals(at.of(x))) {
      x = inst.arg(1);
      y = inst.arg(0);
    }
    Xmm t = at.of(x).equals(at.of(y)) && at.of(r) instanceof Xmm xr ? xr
        : cx.floatTarget(r, y);
    at.move(t, at.of(x));
    Operand b = at.of(y);
    switch (inst.opcode()) {
      case FADD -> {
        if (b instanceof Xmm xb) {
          a.addsd(t, xb);
        } else {
          a.addsd(t, (Mem) b);
        }
      }
      case FSUB -> {
        if (b instanceof Xmm xb) {
          a.subsd(t, xb);
        } else {
          a.subsd(t, (Mem) b);
        }
      }
      case FMUL -> {
        if (b instanceof Xmm xb) {
          a.mulsd(t, xb);
        } else {
          a.mulsd(t, (Mem) b);
        }
      }
      default -> {
        if (b instanceof Xmm xb) {
          a.divsd(t, xb);
        } else {
          a.divsd(t, (Mem) b);
        }
      }
    }
    at.move(at.of(r), t);
  }

  /**
   * Java's double-to-long: cvttsd2si gives MIN for NaN and out-of-range values (Intel SDM
   * vol. 2A, CVTTSD2SI), so MIN is corrected to 0 for NaN and MAX for large positive inputs.
   */
  void convertToInt(Instruction inst) {
    Operand s = at.of(inst.arg(0));
    Xmm x;
    if (s instanceof Xmm xs) {
      x = xs;
    } else {
      a.movsd(EmitContext.SCRATCH_XMM2, (Mem) s);
      x = EmitContext.SCRATCH_XMM2;
    }
    Label done = a.label();
    Label nan = a.label();
    a.cvttsd2si(RAX, x);
    a.cmp(RAX, 1);
    a.jcc(Cond.NO, done); // rax - 1 overflows only for MIN
    a.xorpd(EmitContext.SCRATCH_XMM, EmitContext.SCRATCH_XMM);
    a.ucomisd(x, EmitContext.SCRATCH_XMM);
    a.jcc(Cond.P, nan);
    a.jcc(Cond.B, done);
    a.not(RAX);
    a.jmp(done);
    a.bind(nan);
    a.xor(EAX, EAX);
    a.bind(done);
    at.move(at.of(inst.result()), RAX);
  }

  /** {@code fneg}, {@code fabs}, {@code fsqrt} and {@code fcvt_from_sint}. */
  void unary(Instruction inst) {
    Value r = inst.result();
    Xmm t = cx.floatTarget(r, null);
    Operand s = at.of(inst.arg(0));
    switch (inst.opcode()) {
      case FNEG -> {
        at.move(t, s);
        a.xorpd(t, a.constant128(Long.MIN_VALUE, 0));
      }
      case FABS -> {
        at.move(t, s);
        a.andpd(t, a.constant128(Long.MAX_VALUE, 0));
      }
      case FSQRT -> {
        if (s instanceof Xmm x) {
          a.sqrtsd(t, x);
        } else {
          a.sqrtsd(t, (Mem) s);
        }
      }
      default -> {
        a.xorpd(t, t); // cvtsi2sd keeps the upper lane: no false dependency on an old value
        if (s instanceof Reg x) {
          a.cvtsi2sd(t, x);
        } else {
          a.cvtsi2sd(t, (Mem) s);
        }
      }
    }
    at.move(at.of(r), t);
  }

}
