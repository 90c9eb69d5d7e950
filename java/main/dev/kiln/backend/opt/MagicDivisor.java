package dev.kiln.backend.opt;

/**
 * The multiplier and shift that turn 64-bit division by a constant into a multiply-high
 * (Hacker's Delight, 2nd ed., chapter 10, adapted to 64 bits with unsigned arithmetic on longs).
 * Shared by the back end's {@link StrengthReduction} and the Kiln JIT.
 *
 * @param multiplier the magic number M: signed, the quotient starts as {@code mulhs(M, n)};
 *     unsigned, as {@code mulhu(M, n)}
 * @param shift the final right shift s
 * @param add unsigned only: the true multiplier is {@code 2^64 + M}, so the quotient is
 *     {@code ((n - q) >>> 1) + q) >>> (s - 1)} for {@code q = mulhu(M, n)}; always false when
 *     signed
 */
public record MagicDivisor(long multiplier, int shift, boolean add) {
  /**
   * For signed division (section 10-1, figure 10-1): the quotient of {@code n / divisor} is
   * {@code q = mulhs(M, n)}, plus {@code n} if {@code divisor > 0 && M < 0}, minus {@code n} if
   * {@code divisor < 0 && M > 0}, shifted right arithmetically by s, plus its sign bit.
   *
   * @param divisor the divisor, {@code |divisor| >= 2}
   * @return its magic number
   */
  public static MagicDivisor of(long divisor) {
    if (divisor >= -1 && divisor <= 1) {
      throw new IllegalArgumentException("no magic number for divisor " + divisor);
    }
    final long two63 = Long.MIN_VALUE; // 2^63, read as unsigned
    long ad = Math.abs(divisor); // 2^63 for Long.MIN_VALUE, which is right as unsigned
    long t = two63 + (divisor >>> 63);
    long anc = t - 1 - Long.remainderUnsigned(t, ad); // |nc|, the largest dividend for the test
    int p = 63;
    long q1 = Long.divideUnsigned(two63, anc);
    long r1 = two63 - q1 * anc;
    long q2 = Long.divideUnsigned(two63, ad);
    long r2 = two63 - q2 * ad;
    long delta;
    do {
      p++;
      q1 <<= 1;
      r1 <<= 1;
      if (Long.compareUnsigned(r1, anc) >= 0) {
        q1++;
        r1 -= anc;
      }
      q2 <<= 1;
      r2 <<= 1;
      if (Long.compareUnsigned(r2, ad) >= 0) {
        q2++;
        r2 -= ad;
      }
      delta = ad - r2;
    } while (Long.compareUnsigned(q1, delta) < 0 || (q1 == delta && r1 == 0));
    long m = q2 + 1;
    return new MagicDivisor(divisor < 0 ? -m : m, p - 64, false);
  }

  /**
   * For unsigned division (section 10-8, figure 10-2, "magicu2"): the quotient of
   * {@code n /u divisor} is {@code mulhu(M, n) >>> s}, or with {@link #add} as documented there.
   *
   * @param divisor the divisor, {@code 2 <=u divisor <u 2^63}
   * @return its magic number
   */
  public static MagicDivisor ofUnsigned(long divisor) {
    if (divisor < 2) {
      throw new IllegalArgumentException("no unsigned magic number for divisor " + divisor);
    }
    final long max63 = Long.MAX_VALUE; // 2^63 - 1
    boolean add = false;
    int p = 63;
    long q = max63 / divisor;
    long r = max63 - q * divisor;
    long p64 = 0; // 2^(p - 64), meaningful from p == 64 on
    long delta;
    do {
      p++;
      p64 = p == 64 ? 1 : p64 << 1;
      if (Long.compareUnsigned(r + 1, divisor - r) >= 0) {
        if (Long.compareUnsigned(q, max63) >= 0) {
          add = true;
        }
        q = 2 * q + 1;
        r = 2 * r + 1 - divisor;
      } else {
        if (Long.compareUnsigned(q, Long.MIN_VALUE) >= 0) {
          add = true;
        }
        q = 2 * q;
        r = 2 * r + 1;
      }
      delta = divisor - 1 - r;
    } while (p < 128 && Long.compareUnsigned(p64, delta) < 0);
    return new MagicDivisor(q + 1, p - 64, add);
  }
}
