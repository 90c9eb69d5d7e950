package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.AL;
import static dev.kiln.asm.Reg.CL;
import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.EDX;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Value;

/** Integer arithmetic, shifts, checked division, compares and {@code select}. */
final class ArithmeticEmitter {
  private final EmitContext cx;
  private final Assembler a;
  private final Locations at;
  private final MachineFunction mf;
  private final TrapStubs stubs;

  ArithmeticEmitter(EmitContext cx) {
    this.cx = cx;
    this.a = cx.a;
    this.at = cx.at;
    this.mf = cx.mf;
    this.stubs = cx.stubs;
  }

  void alu(AluOp op, Instruction inst) {
    Value y = inst.arg(1);
    boolean immediate = mf.isImmediateOperand(inst, 1);
    // each operand looked up once: this is the commonest instruction
    Operand result = at.of(inst.result());
    Operand x = at.of(inst.arg(0));
    Operand other = immediate ? null : at.of(y);
    if (op != AluOp.SUB && !immediate && result instanceof Reg && result.equals(other)) {
      other = x; // commutative: compute in the register that already holds the second operand
      x = result;
    }
    Reg t = cx.target(result, other);
    boolean subtractsImmediate = op == AluOp.SUB && immediate
        && cx.mf.constant(y) != Integer.MIN_VALUE; // whose negation fits a displacement
    if ((op == AluOp.ADD || subtractsImmediate) && x instanceof Reg rx && !rx.equals(t)
        && (immediate || other instanceof Reg)) {
      // a sum into another register: one lea instead of a mov and an add or sub (nothing reads
      // the flags of an add or sub; compares set their own)
      int displacement = (int) (op == AluOp.SUB ? -cx.mf.constant(y) : cx.mf.constant(y));
      a.lea(t, immediate ? Mem.mem(rx, displacement) : Mem.mem(rx, (Reg) other, 1, 0));
      at.move(result, t);
      return;
    }
    at.move(t, x);
    if (immediate) {
      a.alu(op, t, cx.mf.constant(y));
    } else if (other instanceof Reg rb) {
      a.alu(op, t, rb);
    } else {
      a.alu(op, t, (Mem) other);
    }
    at.move(result, t);
  }

  void multiply(Instruction inst) {
    Value r = inst.result();
    Reg t = cx.target(r, inst.arg(1));
    if (mf.isImmediateOperand(inst, 1)) {
      Operand s = at.of(inst.arg(0));
      long c = cx.mf.constant(inst.arg(1));
      if (s instanceof Reg rs && (c == 3 || c == 5 || c == 9)) {
        a.lea(t, Mem.mem(rs, rs, (int) c - 1, 0)); // x + x*2^k: one cycle instead of imul's three
      } else if (s instanceof Reg rs) {
        a.imul(t, rs, c);
      } else {
        a.imul(t, (Mem) s, c);
      }
    } else {
      at.move(t, at.of(inst.arg(0)));
      Operand b = at.of(inst.arg(1));
      if (b instanceof Reg rb) {
        a.imul(t, rb);
      } else {
        a.imul(t, (Mem) b);
      }
    }
    at.move(at.of(r), t);
  }

  /**
   * An {@code iadd} of the product {@code scale} (an {@code imul} by 3, 5 or 9 or an {@code ishl}
   * by 1 to 3, which emitted nothing) as one {@code lea}; spilled operands go through rax and rdx.
   */
  void scaledAdd(Instruction add, Instruction scale) {
    Value x = scale.arg(0);
    Value other = add.arg(0) == scale.result() ? add.arg(1) : add.arg(0);
    long c = cx.mf.constant(scale.arg(1));
    Reg index = at.of(x) instanceof Reg rx ? rx : RAX;
    at.move(index, at.of(x));
    Mem sum;
    if (mf.isImmediateOperand(add, 1)) {
      int disp = (int) cx.mf.constant(other);
      sum = scale.opcode() == Opcode.IMUL ? Mem.mem(index, index, (int) c - 1, disp)
          : Mem.mem(null, index, 1 << c, disp);
    } else {
      Reg base = at.of(other) instanceof Reg ro ? ro : RDX;
      at.move(base, at.of(other));
      sum = Mem.mem(base, index, 1 << c, 0);
    }
    Reg t = cx.target(add.result(), null);
    a.lea(t, sum);
    at.move(at.of(add.result()), t);
  }

  /**
   * {@code smulhi}/{@code umulhi}: one-operand imul/mul leave the 128-bit product in rdx:rax. A
   * constant multiplier goes to rax itself, the other operand staying where it is.
   */
  void multiplyHigh(Instruction inst) {
    Operand b;
    if (mf.isImmediateOperand(inst, 1)) {
      a.mov(RAX, cx.mf.constant(inst.arg(1)));
      b = at.of(inst.arg(0));
    } else {
      at.move(RAX, at.of(inst.arg(0)));
      b = at.of(inst.arg(1));
    }
    boolean signed = inst.opcode() == Opcode.SMULHI;
    if (b instanceof Reg rb) {
      if (signed) {
        a.imul(rb);
      } else {
        a.mul(rb);
      }
    } else if (signed) {
      a.imul((Mem) b);
    } else {
      a.mul((Mem) b);
    }
    at.move(at.of(inst.result()), RDX);
  }

  void shift(ShiftOp op, Instruction inst) {
    Value r = inst.result();
    Reg t = cx.target(r, null);
    if (mf.isImmediateOperand(inst, 1)) {
      at.move(t, at.of(inst.arg(0)));
      a.shift(op, t, (int) (cx.mf.constant(inst.arg(1)) & 63));
    } else {
      moveToRcx(inst.arg(1));
      at.move(t, at.of(inst.arg(0)));
      a.shift(op, t, CL); // x86 masks the count to its low six bits, as the IR defines
    }
    at.move(at.of(r), t);
  }

  /** Loads a value into rcx (a shift count, a divisor). */
  private void moveToRcx(Value v) {
    at.move(RCX, at.of(v));
  }

  void divide(Instruction inst) {
    Opcode op = inst.opcode();
    boolean signed = op == Opcode.SDIV || op == Opcode.SREM;
    boolean quotient = op == Opcode.SDIV || op == Opcode.UDIV;
    Label done = a.label();
    boolean minusOneCheck = signed;
    if (mf.isImmediateOperand(inst, 1)) {
      long divisor = cx.mf.constant(inst.arg(1));
      if (divisor == 0) {
        a.jmp(stubs.stub(TrapKind.DIVISION_BY_ZERO, 0, inst.position(), null, null, 0));
        return;
      }
      a.mov(RCX, divisor);
      minusOneCheck = signed && divisor == -1;
    } else {
      moveToRcx(inst.arg(1));
      a.test(RCX, RCX);
      a.jcc(Cond.E, stubs.stub(TrapKind.DIVISION_BY_ZERO, 0, inst.position(), null, null, 0));
    }
    at.move(RAX, at.of(inst.arg(0)));
    if (minusOneCheck) {
      // idiv faults on MIN / -1; the IR defines it as MIN (remainder 0), which neg gives
      Label normal = a.label();
      a.cmp(RCX, -1);
      a.jcc(Cond.NE, normal);
      if (quotient) {
        a.neg(RAX);
      } else {
        a.xor(EDX, EDX);
      }
      a.jmp(done);
      a.bind(normal);
    }
    if (signed) {
      a.cqo();
      a.idiv(RCX);
    } else {
      a.xor(EDX, EDX);
      a.div(RCX);
    }
    a.bind(done);
    if (at.has(inst.result())) {
      at.move(at.of(inst.result()), quotient ? RAX : RDX);
    }
  }

  /**
   * An i64 {@code select} at linear index {@code index}, without a branch: the compare (the fused
   * {@code icmp}'s or the condition against zero), the "no" value, then {@code cmov} of the "yes"
   * value (moves leave the flags alone), or, when the result is in the "yes" value's register
   * already, {@code cmov} of the "no" value on the opposite condition.
   */
  void select(int index, Instruction inst) {
    Value r = inst.result();
    Cond cond = cx.condition(index, inst);
    if (at.of(r) instanceof Reg rr && rr.equals(at.of(inst.arg(1)))) {
      cmov(cond.negate(), rr, at.of(inst.arg(2))); // the result's register holds "yes" already
    } else {
      Reg t = cx.target(r, inst.arg(1));
      at.move(t, at.of(inst.arg(2)));
      cmov(cond, t, at.of(inst.arg(1)));
      at.move(at.of(r), t);
    }
  }

  private void cmov(Cond cond, Reg d, Operand s) {
    if (s instanceof Reg rs) {
      a.cmov(cond, d, rs);
    } else {
      a.cmov(cond, d, (Mem) s);
    }
  }

  /** {@code ineg} and {@code bnot}. */
  void negate(Instruction inst) {
    Value r = inst.result();
    Reg t = cx.target(r, null);
    at.move(t, at.of(inst.arg(0)));
    if (inst.opcode() == Opcode.INEG) {
      a.neg(t);
    } else {
      a.not(t);
    }
    at.move(at.of(r), t);
  }

  /** {@code icmp} into a value: compare, setcc, zero-extend. */
  void compareToValue(Instruction inst) {
    cx.compare(inst);
    a.setcc(EmitContext.intCond(inst), AL);
    a.movzx(EAX, AL);
    at.move(at.of(inst.result()), RAX);
  }

}
