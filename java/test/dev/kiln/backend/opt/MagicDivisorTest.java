package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The magic numbers divide exactly like Java's {@code /}, computed here as the
 * JIT's code and {@link StrengthReduction}'s do. */
class MagicDivisorTest {
  private static final long[] DIVIDENDS = {
    0, 1, -1, 2, -2, 6, -6, 7, -7, 1000, -1000, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
    Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 40, -(1L << 40)
  };

  /** The instruction sequence of DivisionEmitter.magicQuotient, in Java. */
  private static long quotient(long x, long divisor) {
    MagicDivisor magic = MagicDivisor.of(divisor);
    long high = Math.multiplyHigh(magic.multiplier(), x);
    if (divisor > 0 && magic.multiplier() < 0) {
      high += x;
    } else if (divisor < 0 && magic.multiplier() > 0) {
      high -= x;
    }
    high >>= magic.shift();
    return high + (high >>> 63);
  }

  @Test
  void quotientsMatchJavaDivision() {
    Random random = new Random(7);
    int[] divisors = {
      3, -3, 5, 6, 7, -7, 10, 12, 25, 100, 641, 1000000007, -1000000007, Integer.MAX_VALUE,
      Integer.MIN_VALUE, -2, 2, 1 << 20, -(1 << 20), 3 << 10
    };
    for (int d : divisors) {
      for (long x : DIVIDENDS) {
        assertEquals(x / d, quotient(x, d), x + " / " + d);
      }
      for (int i = 0; i < 2000; i++) {
        long x = random.nextLong();
        assertEquals(x / d, quotient(x, d), x + " / " + d);
      }
    }
    for (int i = 0; i < 20000; i++) {
      int d = random.nextInt();
      if (d < -1 || d > 1) {
        long x = random.nextLong() >> random.nextInt(64);
        assertEquals(x / d, quotient(x, d), x + " / " + d);
      }
    }
  }

  /** StrengthReduction's unsigned sequence, in Java. */
  private static long unsignedQuotient(long x, long divisor) {
    MagicDivisor magic = MagicDivisor.ofUnsigned(divisor);
    long m = magic.multiplier();
    long q = Math.multiplyHigh(m, x) + ((m >> 63) & x) + ((x >> 63) & m);
    return magic.add() ? (((x - q) >>> 1) + q) >>> (magic.shift() - 1) : q >>> magic.shift();
  }

  @Test
  void unsignedQuotientsMatchJavaDivision() {
    Random random = new Random(8);
    long[] divisors = {3, 5, 6, 7, 10, 641, 1000000007, (1L << 31) + 1, (1L << 32) + 1,
        Long.MAX_VALUE, Long.MAX_VALUE - 2, 0x5555_5555_5555_5555L, (1L << 62) + 1};
    for (long d : divisors) {
      for (long x : DIVIDENDS) {
        assertEquals(Long.divideUnsigned(x, d), unsignedQuotient(x, d), x + " /u " + d);
      }
      for (int i = 0; i < 2000; i++) {
        long x = random.nextLong();
        assertEquals(Long.divideUnsigned(x, d), unsignedQuotient(x, d), x + " /u " + d);
      }
    }
    for (int i = 0; i < 20000; i++) {
      long d = random.nextLong() >>> (1 + random.nextInt(63));
      if (d >= 2) {
        long x = random.nextLong() >>> random.nextInt(64);
        assertEquals(Long.divideUnsigned(x, d), unsignedQuotient(x, d), x + " /u " + d);
      }
    }
  }

  @Test
  void refusesDivisorsWithoutAMagicNumber() {
    for (long d : new long[] {-1, 0, 1}) {
      assertThrows(IllegalArgumentException.class, () -> MagicDivisor.of(d));
    }
    for (long d : new long[] {0, 1, -1, Long.MIN_VALUE}) {
      assertThrows(IllegalArgumentException.class, () -> MagicDivisor.ofUnsigned(d));
    }
  }
}
