package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The magic numbers divide exactly like Java's {@code /}, computed here as the JIT's code does. */
class MagicDivisorTest {
  private static final long[] DIVIDENDS = {
    0, 1, -1, 2, -2, 6, -6, 7, -7, 1000, -1000, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
    Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 40, -(1L << 40)
  };

  /** The instruction sequence of DivisionEmitter.magicQuotient, in Java. */
  private static long quotient(long x, int divisor) {
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
}
