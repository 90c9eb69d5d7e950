package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;

/**
 * Integer arithmetic, logic, shifts and compares on 64-bit slots (division is {@link
 * DivisionEmitter}'s). Each computes into the result slot's register when it has one, else rax,
 * and picks an operand order or form that saves a move where the result's register is an operand.
 */
final class ArithmeticEmitter extends InstructionEmitter {
  ArithmeticEmitter(EmitContext ctx, Slots slots) {
    super(ctx, slots);
  }

  void commutative(AluOp op, int d, int x, int y) {
    if (slots.folded(x) && !slots.folded(y)) {
      commutative(op, d, y, x); // the constant goes where an immediate fits
      return;
    }
    Reg t = slots.target(d);
    if (t == slots.reg(y) && t != slots.reg(x)) {
      slots.alu(op, t, x); // d = y op x, the same value
    } else {
      slots.load(t, x);
      slots.alu(op, t, y);
    }
    slots.store(d, t);
  }

  void subtract(int d, int x, int y) {
    Reg t = slots.target(d);
    if (t == slots.reg(y) && t != slots.reg(x)) {
      t = RAX;
    }
    slots.load(t, x);
    slots.alu(AluOp.SUB, t, y);
    slots.store(d, t);
  }

  void multiply(int d, int x, int y) {
    if (slots.folded(x) || slots.folded(y)) {
      boolean right = slots.folded(y);
      multiplyImmediate(d, right ? x : y, (int) slots.foldedValue(right ? y : x));
      return;
    }
    Reg t = slots.target(d);
    if (t == slots.reg(y) && t != slots.reg(x)) {
      a.imul(t, slots.inReg(x, RAX));
    } else {
      slots.load(t, x);
      Reg home = slots.reg(y);
      if (home == null) {
        a.imul(t, slots.mem(y));
      } else {
        a.imul(t, home);
      }
    }
    slots.store(d, t);
  }

  void immediate(AluOp op, int d, int x, long imm) {
    Reg t = slots.target(d);
    slots.load(t, x);
    a.alu(op, t, imm);
    slots.store(d, t);
  }

  void addImmediate(int d, int x, int imm) {
    Reg t = slots.target(d);
    Reg src = slots.reg(x);
    if (src != null && src != t) {
      a.lea(t, Mem.qword(src, imm)); // a three-operand add that leaves x alone
    } else if (slots.reg(d) == null && d == x) {
      a.add(slots.mem(d), imm);
      return;
    } else {
      slots.load(t, x);
      a.add(t, imm);
    }
    slots.store(d, t);
  }

  /**
   * x * 2^k is a shift; x * 3, x * 5 and x * 9 are one {@code lea t, [x + x*2^k]}, which has a
   * shorter latency than imul's 3 cycles (Agner Fog, instruction tables: LEA, IMUL r64,r64,imm).
   */
  void multiplyImmediate(int d, int x, int imm) {
    Reg t = slots.target(d);
    if (imm > 0 && Integer.bitCount(imm) == 1) {
      slots.load(t, x);
      if (imm > 1) {
        a.shl(t, Integer.numberOfTrailingZeros(imm));
      }
    } else if (imm == 3 || imm == 5 || imm == 9) {
      Reg src = slots.inReg(x, RAX);
      a.lea(t, Mem.qword(src, src, imm - 1, 0));
    } else if (slots.reg(x) == null && slots.inMemory(x)) {
      a.imul(t, slots.mem(x), imm);
    } else {
      a.imul(t, slots.inReg(x, RAX), imm);
    }
    slots.store(d, t);
  }

  void unary(int d, int x, boolean negate) {
    Reg t = slots.target(d);
    slots.load(t, x);
    if (negate) {
      a.neg(t);
    } else {
      a.not(t);
    }
    slots.store(d, t);
  }

  void shift(ShiftOp op, int d, int x, int count) {
    slots.load(RCX, count); // the hardware masks a 64-bit shift count to 6 bits: "mod 64"
    Reg t = slots.target(d);
    slots.load(t, x);
    a.shift(op, t, Reg.CL);
    slots.store(d, t);
  }

  void shiftImmediate(ShiftOp op, int d, int x, int count) {
    Reg t = slots.target(d);
    slots.load(t, x);
    if ((count & 63) != 0) {
      a.shift(op, t, count & 63);
    }
    slots.store(d, t);
  }

  /** d = x cond y, as 0 or 1. */
  void compare(Cond cond, int d, int x, int y) {
    slots.alu(AluOp.CMP, slots.inReg(x, RAX), y);
    a.setcc(cond, Reg.AL);
    a.movzx(EAX, Reg.AL);
    slots.store(d, RAX);
  }
}
