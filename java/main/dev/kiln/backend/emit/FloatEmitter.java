package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.AL;
import static dev.kiln.asm.Reg.CL;
import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.RAX;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.ir.Instruction;
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
    Value x = inst.arg(0);
    Value y = inst.arg(1);
    switch (inst.floatCond()) {
      // ucomisd sets ZF, PF and CF on unordered: "above" and "above or equal" are then false
      case GT -> ucomisd(x, y, Cond.A);
      case GE -> ucomisd(x, y, Cond.AE);
      case LT -> ucomisd(y, x, Cond.A);
      case LE -> ucomisd(y, x, Cond.AE);
      case EQ -> {
        ucomisd(x, y, Cond.E);
        a.setcc(Cond.NP, CL);
        a.and(AL, CL);
      }
      case NE -> {
        ucomisd(x, y, Cond.NE);
        a.setcc(Cond.P, CL);
        a.or(AL, CL);
      }
    }
    a.movzx(EAX, AL);
    at.move(at.of(inst.result()), RAX);
  }

  private void ucomisd(Value x, Value y, Cond cond) {
    Operand ox = at.of(x);
    Xmm rx;
    if (ox instanceof Xmm xx) {
      rx = xx;
    } else {
      a.movsd(EmitContext.SCRATCH_XMM, (Mem) ox);
      rx = EmitContext.SCRATCH_XMM;
    }
    Operand oy = at.of(y);
    if (oy instanceof Xmm xy) {
      a.ucomisd(rx, xy);
    } else {
      a.ucomisd(rx, (Mem) oy);
    }
    a.setcc(cond, AL);
  }

  /** {@code fadd}, {@code fsub}, {@code fmul}, {@code fdiv}. */
  void arithmetic(Instruction inst) {
    Value r = inst.result();
    Xmm t = cx.floatTarget(r, inst.arg(1));
    at.move(t, at.of(inst.arg(0)));
    Operand b = at.of(inst.arg(1));
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
