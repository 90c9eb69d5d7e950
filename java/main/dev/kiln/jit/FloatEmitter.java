package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Xmm.XMM0;
import static dev.kiln.asm.Xmm.XMM1;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Reg;
import dev.kiln.asm.SseOp;
import dev.kiln.asm.Xmm;

/**
 * Float operations in SSE2 scalar doubles with Java's semantics: arithmetic, negation, the
 * conversions between int and float, and the compares, which are false on NaN except {@code !=}
 * (float branches are {@link BranchEmitter}'s).
 */
final class FloatEmitter extends InstructionEmitter {
  FloatEmitter(EmitContext ctx, Slots slots) {
    super(ctx, slots);
  }

  void arithmetic(SseOp op, int d, int x, int y) {
    Xmm t = slots.xmmTarget(d);
    boolean commutes = op == SseOp.ADDSD || op == SseOp.MULSD;
    if (t == slots.xmm(y) && t != slots.xmm(x)) {
      if (commutes) {
        a.sse(op, t, slots.inXmm(x, XMM1)); // d = x op y computed as y op x
        slots.fromXmm(d, t); // t is xmm0 when y is handed over in it and d lives elsewhere
        return;
      }
      t = XMM0;
    }
    Xmm right = slots.inXmm(y, XMM1);
    slots.toXmm(t, x);
    a.sse(op, t, right);
    slots.fromXmm(d, t);
  }

  /** -x flips the sign bit (xorpd with a RIP-relative mask), so -(0.0) is -0.0 and NaN stays NaN. */
  void negate(int d, int x) {
    Xmm t = slots.xmmTarget(d);
    slots.toXmm(t, x);
    a.xorpd(t, a.constant128(Long.MIN_VALUE, 0));
    slots.fromXmm(d, t);
  }

  void intToFloat(int d, int x) {
    Xmm t = slots.xmmTarget(d);
    a.xorpd(t, t); // breaks cvtsi2sd's false dependence on the register's old value
    Reg home = slots.reg(x);
    if (home == null) {
      a.cvtsi2sd(t, slots.mem(x));
    } else {
      a.cvtsi2sd(t, home);
    }
    slots.fromXmm(d, t);
  }

  /**
   * Java's (long) cast. cvttsd2si returns MIN ("integer indefinite") for NaN and out-of-range
   * values; {@code cmp rax, 1} overflows exactly for MIN, and only then the out-of-line fix-up
   * decides: NaN gives 0, a positive value MAX, a negative one keeps MIN.
   */
  void floatToInt(int d, int x) {
    slots.toXmm(XMM0, x);
    a.cvttsd2si(RAX, XMM0);
    a.cmp(RAX, 1);
    Label fix = a.label();
    Label join = a.label();
    a.jcc(Cond.O, fix);
    a.bind(join);
    slots.store(d, RAX);
    ctx.stub(() -> {
      a.bind(fix);
      Label nan = a.label();
      a.ucomisd(XMM0, XMM0);
      a.jcc(Cond.P, nan);
      a.xorpd(XMM1, XMM1);
      a.ucomisd(XMM0, XMM1);
      a.jcc(Cond.B, join);
      a.mov(RAX, Long.MAX_VALUE);
      a.jmp(join);
      a.bind(nan);
      a.xor(EAX, EAX);
      a.jmp(join);
    });
  }

  /** ucomisd sets ZF, PF and CF all to 1 for unordered (NaN) operands (Intel SDM Vol. 2B, UCOMISD). */
  void equality(boolean equal, int d, int x, int y) {
    a.ucomisd(slots.inXmm(x, XMM0), slots.inXmm(y, XMM1));
    a.setcc(equal ? Cond.E : Cond.NE, Reg.AL);
    a.setcc(equal ? Cond.NP : Cond.P, Reg.CL);
    a.alu(equal ? AluOp.AND : AluOp.OR, Reg.AL, Reg.CL);
    a.movzx(EAX, Reg.AL);
    slots.store(d, RAX);
  }

  /** x < y as y > x ("above"), x <= y as y >= x ("above or equal"): both false on NaN. */
  void order(Cond cond, int d, int x, int y) {
    a.ucomisd(slots.inXmm(y, XMM0), slots.inXmm(x, XMM1));
    a.setcc(cond, Reg.AL);
    a.movzx(EAX, Reg.AL);
    slots.store(d, RAX);
  }
}
