package dev.kiln.jit;

/**
 * The multiplier and shift that turn signed 64-bit division by a constant into a multiply-high
 * (Hacker's Delight, 2nd ed., section 10-1, "Signed Division by Divisors ≥ 2", figure 10-1,
 * adapted to 64 bits with unsigned arithmetic on longs).
 */
record MagicDivisor(long multiplier, int shift) {
  /** For {@code |divisor| >= 2}. */
  static MagicDivisor of(long divisor) {
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
    return new MagicDivisor(divisor < 0 ? -m : m, p - 64);
  }
}
