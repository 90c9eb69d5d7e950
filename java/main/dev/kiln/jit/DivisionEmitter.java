package dev.kiln.jit;

import static dev.kiln.asm.Reg.EDX;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Reg;
import dev.kiln.backend.opt.MagicDivisor;
import dev.kiln.vm.RuntimeErrorKind;

/**
 * Integer division and remainder with Java's semantics: idiv guarded against its traps for a
 * variable divisor, and for a constant one shifts or a multiplication by a magic reciprocal.
 */
final class DivisionEmitter extends InstructionEmitter {
  private final ArithmeticEmitter arithmetic;

  DivisionEmitter(EmitContext ctx, Slots slots, ArithmeticEmitter arithmetic) {
    super(ctx, slots);
    this.arithmetic = arithmetic;
  }

  /**
   * x86 idiv traps on a zero divisor and on MIN / -1 (Intel SDM Vol. 2A, IDIV: #DE), so both are
   * tested first: zero is the Kiln error; -1 goes out of line to a negation (MIN / -1 = MIN) or 0.
   */
  void divide(boolean remainder, int d, int x, int y, int position) {
    Reg divisor = slots.inReg(y, RCX);
    a.test(divisor, divisor);
    a.jcc(Cond.E, ctx.error(RuntimeErrorKind.DIVISION_BY_ZERO, position));
    a.cmp(divisor, -1);
    Label minusOne = a.label();
    Label join = a.label();
    a.jcc(Cond.E, minusOne);
    slots.load(RAX, x);
    a.cqo();
    a.idiv(divisor);
    a.bind(join);
    slots.store(d, remainder ? RDX : RAX);
    ctx.stub(() -> {
      a.bind(minusOne);
      if (remainder) {
        a.xor(EDX, EDX);
      } else {
        slots.load(RAX, x);
        a.neg(RAX);
      }
      a.jmp(join);
    });
  }

  /**
   * Division by a constant. A power of two 2^k becomes shifts that round toward zero like idiv:
   * a negative dividend gets 2^k - 1 added first (the bias is (x >> 63) >>> (64 - k)), unless
   * the dividend is known to be a multiple of 2^k ({@code exact}, see {@link ExactDivisions}).
   */
  void divideImmediate(int d, int x, int imm, boolean exact) {
    int k = Integer.numberOfTrailingZeros(imm);
    if (imm == 1) {
      slots.move(d, x);
    } else if (imm == -1) {
      arithmetic.unary(d, x, true);
    } else if (imm > 0 && Integer.bitCount(imm) == 1) {
      Reg t = slots.target(d);
      if (exact) {
        slots.load(t, x);
      } else {
        roundedTowardZero(t, x, k);
      }
      a.sar(t, k);
      slots.store(d, t);
    } else {
      magicQuotient(x, imm);
      slots.store(d, RDX);
    }
  }

  /** x % imm: for 2^k, x - ((x + bias) & -2^k); imm -1 gives 0 (idiv would trap on MIN). */
  void remainderImmediate(int d, int x, int imm) {
    if (imm == 1 || imm == -1) {
      slots.constant(d, 0);
      return;
    }
    if (imm > 0 && Integer.bitCount(imm) == 1) {
      roundedTowardZero(RDX, x, Integer.numberOfTrailingZeros(imm));
      a.and(RDX, -imm);
    } else {
      magicQuotient(x, imm);
      a.imul(RDX, RDX, imm);
    }
    Reg t = slots.target(d);
    slots.load(t, x);
    a.sub(t, RDX);
    slots.store(d, t);
  }

  /**
   * rdx = x / divisor (truncated) without idiv: the high half of x times a magic reciprocal,
   * corrected and shifted, plus one for negative quotients (Hacker's Delight, 2nd ed., 10-1;
   * {@link MagicDivisor}). Uses rax and rdx.
   */
  private void magicQuotient(int x, int divisor) {
    MagicDivisor magic = MagicDivisor.of(divisor);
    a.mov(RAX, magic.multiplier());
    Reg home = slots.reg(x);
    if (home == null) {
      a.imul(slots.mem(x));
    } else {
      a.imul(home);
    }
    if (divisor > 0 && magic.multiplier() < 0) {
      slots.alu(AluOp.ADD, RDX, x);
    } else if (divisor < 0 && magic.multiplier() > 0) {
      slots.alu(AluOp.SUB, RDX, x);
    }
    if (magic.shift() > 0) {
      a.sar(RDX, magic.shift());
    }
    a.mov(RAX, RDX);
    a.shr(RAX, 63);
    a.add(RDX, RAX);
  }

  /** t = x + (x < 0 ? 2^k - 1 : 0), using rcx. */
  private void roundedTowardZero(Reg t, int x, int k) {
    slots.load(RCX, x);
    a.sar(RCX, 63);
    a.shr(RCX, 64 - k);
    slots.load(t, x);
    a.add(t, RCX);
  }
}
