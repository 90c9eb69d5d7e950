package dev.kiln.backend.opt;

import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;

/**
 * The value of an instruction whose operands are constants, exactly as the interpreter computes
 * it; f64 values as raw bits.
 */
final class ConstantEvaluator {
  private static final long SIGN = Long.MIN_VALUE;

  private ConstantEvaluator() {}

  /**
   * The bits of {@code inst}'s result for operands {@code a} and {@code b} (raw bits; {@code b}
   * unused by unary instructions), or null when it must not be folded: a division by zero (it
   * traps) or float arithmetic producing a NaN (whose bits the target chooses).
   */
  static Long evaluate(Instruction inst, long a, long b) {
    return switch (inst.opcode()) {
      case IADD -> a + b;
      case ISUB -> a - b;
      case IMUL -> a * b;
      case SMULHI -> Math.multiplyHigh(a, b);
      case UMULHI -> Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
      case INEG -> -a;
      case BAND -> a & b;
      case BOR -> a | b;
      case BXOR -> a ^ b;
      case BNOT -> ~a;
      case ISHL -> a << b; // Java also takes a long's shift count mod 64
      case SSHR -> a >> b;
      case USHR -> a >>> b;
      case SDIV -> b == 0 ? null : a / b; // Long.MIN_VALUE / -1 == MIN_VALUE, as in the IR
      case SREM -> b == 0 ? null : a % b;
      case UDIV -> b == 0 ? null : Long.divideUnsigned(a, b);
      case UREM -> b == 0 ? null : Long.remainderUnsigned(a, b);
      case ICMP -> inst.intCond().test(a, b) ? 1L : 0L;
      case FADD -> arithmetic(d(a) + d(b));
      case FSUB -> arithmetic(d(a) - d(b));
      case FMUL -> arithmetic(d(a) * d(b));
      case FDIV -> arithmetic(d(a) / d(b));
      case FSQRT -> arithmetic(Math.sqrt(d(a)));
      case FNEG -> a ^ SIGN;
      case FABS -> a & ~SIGN;
      case FCMP -> inst.floatCond().test(d(a), d(b)) ? 1L : 0L;
      case FCVT_FROM_SINT -> Double.doubleToRawLongBits((double) a);
      case FCVT_TO_SINT_SAT -> (long) d(a);
      case BITCAST -> a;
      default -> null;
    };
  }

  /** Whether {@link #evaluate} knows {@code inst}'s opcode. */
  static boolean folds(Instruction inst) {
    return switch (inst.opcode()) {
      case IADD, ISUB, IMUL, SMULHI, UMULHI, INEG, BAND, BOR, BXOR, BNOT, ISHL, SSHR, USHR, SDIV,
          SREM, UDIV, UREM, ICMP, FADD, FSUB, FMUL, FDIV, FSQRT, FNEG, FABS, FCMP, FCVT_FROM_SINT, FCVT_TO_SINT_SAT,
          BITCAST -> true;
      default -> false;
    };
  }

  private static Long arithmetic(double r) {
    return Double.isNaN(r) ? null : Double.doubleToRawLongBits(r);
  }

  private static double d(long bits) {
    return Double.longBitsToDouble(bits);
  }

  /** Whether {@code inst} is an {@code iconst} or {@code fconst}. */
  static boolean isConstant(Instruction inst) {
    return inst.opcode() == Opcode.ICONST || inst.opcode() == Opcode.FCONST;
  }
}
