package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Strength reduction of multiplication, division and remainder by a constant. {@code imul} by
 * {@code ±2^k} becomes a shift (and {@code ineg}), by -1 an {@code ineg}; a constant first operand
 * moves second, where x86 takes it as an immediate. Division and remainder by a constant other
 * than 0 cannot trap, so they become plain arithmetic exactly as the IR defines them (truncating
 * toward zero, the remainder with the dividend's sign, {@code MIN / -1 == MIN}): signed by
 * {@code ±2^k} a shift of the dividend rounded toward zero, by -1 {@code ineg}, by any other
 * constant a {@code smulhi} by a {@link MagicDivisor}; unsigned by {@code 2^k} {@code ushr} and
 * {@code band}, by a constant of 2^63 or more one compare, by any other a {@code umulhi}. A
 * remainder is {@code x - (x / c) * c}. Division by 0 is left to trap. Where a dominating branch
 * found x a multiple of {@code ±2^k} ({@link LowBitFacts}) the quotient is a plain shift and the
 * remainder 0; a signed remainder by {@code ±2^k} only compared with 0 is the {@code band} of the
 * low k bits, which is 0 exactly when it is.
 */
public final class StrengthReduction implements Pass {
  @Override
  public String name() {
    return "strength";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.IMUL) && !f.mayContain(Opcode.SDIV) && !f.mayContain(Opcode.SREM)
        && !f.mayContain(Opcode.UDIV) && !f.mayContain(Opcode.UREM)) {
      return; // it reduces only these
    }
    Definitions defs = new Definitions(f);
    Facts facts = new Facts(f, defs);
    Value[] replacement = new Value[f.valueCount()];
    BitSet replaced = new BitSet();
    // made once, not per block or instruction: C1-compiled code allocates each
    Predicate<Instruction> isReplaced = Removal.resultIn(replaced);
    Sequence s = new Sequence(f);
    for (Block b : f.blocks()) {
      boolean changed = false;
      for (int i = 0; i < b.instructions().size(); i++) {
        Instruction inst = b.instructions().get(i);
        s.added.clear();
        Value r = reduce(inst, b, defs, facts, s);
        if (r == null) {
          continue;
        }
        for (Instruction added : s.added) {
          b.insert(i++, added);
        }
        replacement[inst.result().id()] = r;
        replaced.set(inst.result().id());
        changed = true;
      }
      if (changed) {
        b.removeIf(isReplaced);
      }
    }
    f.replaceUses(replacement);
  }

  /** What replaces {@code inst} in block {@code b}, built by what {@code s} added, or null. */
  private static Value reduce(Instruction inst, Block b, Definitions defs, Facts facts,
      Sequence s) {
    Opcode op = inst.opcode();
    if (op != Opcode.IMUL && op != Opcode.SDIV && op != Opcode.SREM && op != Opcode.UDIV
        && op != Opcode.UREM) {
      return null;
    }
    Long c = defs.constant(inst.arg(1));
    if (op == Opcode.IMUL) {
      if (c == null) {
        Long first = defs.constant(inst.arg(0));
        return first == null ? null : multiply(inst.arg(1), first, s, true);
      }
      return defs.constant(inst.arg(0)) != null ? null : multiply(inst.arg(0), c, s, false);
    }
    if (c == null || c == 0) {
      return null;
    }
    Value x = inst.arg(0);
    if ((op == Opcode.SDIV || op == Opcode.SREM) && isSignedPowerOfTwo(c)) {
      long low = Math.abs(c) - 1; // |MIN| - 1 is MAX
      if ((facts.zeroBits(x, b) & low) == low) { // x is a multiple of c: no rounding
        return op == Opcode.SREM ? s.constant(0) : exactQuotient(x, c, s);
      }
      if (op == Opcode.SREM && facts.onlyComparedWithZero(inst.result())) {
        return s.op(Opcode.BAND, x, s.constant(low)); // zero exactly when the remainder is
      }
    }
    return switch (op) {
      case SDIV -> signedQuotient(x, c, s);
      case SREM -> signedRemainder(x, c, s);
      case UDIV -> unsignedQuotient(x, c, s);
      default -> unsignedRemainder(x, c, s);
    };
  }

  /** {@code x * c}: a shift for {@code ±2^k}, {@code ineg} for -1, else {@code imul x, c}. */
  private static Value multiply(Value x, long c, Sequence s, boolean constantFirst) {
    if (c == -1) {
      return s.op(Opcode.INEG, x);
    }
    if (Long.bitCount(c) == 1 && c != 1) { // 2^k, including MIN as 2^63
      return s.op(Opcode.ISHL, x, s.constant(Long.numberOfTrailingZeros(c)));
    }
    if (c < 0 && Long.bitCount(-c) == 1) {
      return s.op(Opcode.INEG, s.op(Opcode.ISHL, x, s.constant(Long.numberOfTrailingZeros(c))));
    }
    return constantFirst && c != 0 && c != 1 ? s.op(Opcode.IMUL, x, s.constant(c)) : null;
  }

  private static Value signedQuotient(Value x, long c, Sequence s) {
    if (c == 1) {
      return x;
    }
    if (c == -1) {
      return s.op(Opcode.INEG, x); // wrapping: MIN / -1 == MIN
    }
    if (isSignedPowerOfTwo(c)) {
      int k = Long.numberOfTrailingZeros(c);
      Value q = s.op(Opcode.SSHR, roundedTowardZero(x, k, s), s.constant(k));
      return c < 0 ? s.op(Opcode.INEG, q) : q;
    }
    MagicDivisor magic = MagicDivisor.of(c);
    Value q = s.op(Opcode.SMULHI, x, s.constant(magic.multiplier()));
    if (c > 0 && magic.multiplier() < 0) {
      q = s.op(Opcode.IADD, q, x);
    } else if (c < 0 && magic.multiplier() > 0) {
      q = s.op(Opcode.ISUB, q, x);
    }
    if (magic.shift() > 0) {
      q = s.op(Opcode.SSHR, q, s.constant(magic.shift()));
    }
    return s.op(Opcode.IADD, q, s.op(Opcode.USHR, q, s.constant(63))); // +1 when negative
  }

  /** {@code x / c} for {@code c = ±2^k} and x a multiple of c: a plain arithmetic shift. */
  private static Value exactQuotient(Value x, long c, Sequence s) {
    Value q = s.op(Opcode.SSHR, x, s.constant(Long.numberOfTrailingZeros(c)));
    return c < 0 ? s.op(Opcode.INEG, q) : q;
  }

  private static Value signedRemainder(Value x, long c, Sequence s) {
    if (c == 1 || c == -1) {
      return s.constant(0); // MIN % -1 == 0
    }
    if (isSignedPowerOfTwo(c)) {
      // x - (x rounded toward zero to a multiple of 2^k): the remainder keeps x's sign
      int k = Long.numberOfTrailingZeros(c);
      Value multiple = s.op(Opcode.BAND, roundedTowardZero(x, k, s), s.constant(-(1L << k)));
      return s.op(Opcode.ISUB, x, multiple);
    }
    return minusProduct(x, signedQuotient(x, c, s), c, s);
  }

  /** Whether {@code |c|} is {@code 2^k}, {@code k >= 1} ({@code Math.abs(MIN)} is 2^63 unsigned). */
  private static boolean isSignedPowerOfTwo(long c) {
    return c != 1 && c != -1 && Long.bitCount(Math.abs(c)) == 1;
  }

  /** {@code x + (x < 0 ? 2^k - 1 : 0)}, so that shifting it right by k truncates toward zero. */
  private static Value roundedTowardZero(Value x, int k, Sequence s) {
    Value sign = k == 1 ? x : s.op(Opcode.SSHR, x, s.constant(63));
    return s.op(Opcode.IADD, x, s.op(Opcode.USHR, sign, s.constant(64 - k)));
  }

  private static Value unsignedQuotient(Value x, long c, Sequence s) {
    if (c == 1) {
      return x;
    }
    if (Long.bitCount(c) == 1) {
      return s.op(Opcode.USHR, x, s.constant(Long.numberOfTrailingZeros(c)));
    }
    if (c < 0) { // at least 2^63: the quotient is 0 or 1
      return s.compare(IntCond.UGE, x, s.constant(c));
    }
    MagicDivisor magic = MagicDivisor.ofUnsigned(c);
    Value q = s.op(Opcode.UMULHI, x, s.constant(magic.multiplier()));
    if (magic.add()) {
      // the multiplier is 2^64 + M: (x + q) >>> s computed without overflowing 64 bits
      Value half = s.op(Opcode.USHR, s.op(Opcode.ISUB, x, q), s.constant(1));
      return shiftRight(s.op(Opcode.IADD, half, q), magic.shift() - 1, s);
    }
    return shiftRight(q, magic.shift(), s);
  }

  private static Value unsignedRemainder(Value x, long c, Sequence s) {
    if (c == 1) {
      return s.constant(0);
    }
    if (Long.bitCount(c) == 1) {
      return s.op(Opcode.BAND, x, s.constant(c - 1));
    }
    return minusProduct(x, unsignedQuotient(x, c, s), c, s);
  }

  private static Value shiftRight(Value v, int k, Sequence s) {
    return k == 0 ? v : s.op(Opcode.USHR, v, s.constant(k));
  }

  /** {@code x - q * c}, the remainder of a quotient. */
  private static Value minusProduct(Value x, Value q, long c, Sequence s) {
    return s.op(Opcode.ISUB, x, s.op(Opcode.IMUL, q, s.constant(c)));
  }

  /**
   * What the pass knows beyond one instruction, found on first demand (by a signed division or
   * remainder by a power of two): the dominator tree and use counts are not free.
   */
  private static final class Facts {
    private final Function f;
    private final Definitions defs;
    private LowBitFacts lowBits;
    private int[] uses;
    private int[] zeroCompares;

    Facts(Function f, Definitions defs) {
      this.f = f;
      this.defs = defs;
    }

    /** {@return the bits of {@code x} known to be zero in block {@code b}} */
    long zeroBits(Value x, Block b) {
      if (lowBits == null) {
        lowBits = new LowBitFacts(f, defs);
      }
      return lowBits.zeroBits(x, b);
    }

    /** {@return whether every use of {@code v} is an {@code icmp eq} or {@code ne} with 0} */
    boolean onlyComparedWithZero(Value v) {
      if (uses == null) {
        countUses();
      }
      return uses[v.id()] == zeroCompares[v.id()];
    }

    private void countUses() {
      uses = new int[f.valueCount()];
      zeroCompares = new int[f.valueCount()];
      for (Block b : f.blocks()) {
        List<Instruction> insts = b.instructions();
        for (int n = 0; n < insts.size(); n++) { // no iterator to allocate in C1-compiled code
          Instruction inst = insts.get(n);
          for (int a = 0; a < inst.argCount(); a++) {
            uses[inst.arg(a).id()]++;
          }
          if (inst.opcode() == Opcode.ICMP
              && (inst.intCond() == IntCond.EQ || inst.intCond() == IntCond.NE)) {
            countZeroCompare(inst.arg(0), inst.arg(1));
            countZeroCompare(inst.arg(1), inst.arg(0));
          }
          if (inst.opcode().isTerminator()) {
            for (BlockCall edge : inst.targets()) {
              for (Value v : edge.args()) {
                uses[v.id()]++;
              }
            }
          }
        }
      }
    }

    private void countZeroCompare(Value v, Value other) {
      Long c = defs.constant(other);
      if (c != null && c == 0) {
        zeroCompares[v.id()]++;
      }
    }
  }

  /** The new instructions computing a replacement, in order. */
  private static final class Sequence {
    private final Function f;
    final List<Instruction> added = new ArrayList<>();

    Sequence(Function f) {
      this.f = f;
    }

    Value op(Opcode opcode, Value... args) {
      return add(f.newArithmetic(opcode, Instruction.NO_POSITION, args));
    }

    Value compare(IntCond cond, Value a, Value b) {
      return add(f.newIntCompare(cond, a, b, Instruction.NO_POSITION));
    }

    Value constant(long bits) {
      return add(f.newConstant(Type.I64, bits));
    }

    private Value add(Instruction inst) {
      added.add(inst);
      return inst.result();
    }
  }
}
