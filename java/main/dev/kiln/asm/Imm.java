package dev.kiln.asm;

/**
 * An immediate operand (for the generic, parser-facing entry point; the typed assembler methods
 * take a plain {@code long}), plus the range checks every immediate form needs.
 *
 * @param value the immediate's value
 */
public record Imm(long value) implements Operand {

  /**
   * Whether a value survives a round trip through a sign-extended 8-bit immediate.
   *
   * @param v the value
   * @return true if {@code v} is in -128..127
   */
  public static boolean fits8(long v) {
    return v == (byte) v;
  }

  /**
   * Whether a value survives a round trip through a sign-extended 32-bit immediate.
   *
   * @param v the value
   * @return true if {@code v} is in the range of {@code int}
   */
  public static boolean fits32(long v) {
    return v == (int) v;
  }

  /**
   * True if {@code v} is encodable in {@code bits} bits either as a signed or as an unsigned
   * value (GNU as accepts {@code mov al, 255} and {@code mov al, -1} alike).
   *
   * @param v the value
   * @param bits the field width in bits
   * @return true if {@code v} is in {@code -2^(bits-1) .. 2^bits - 1}
   */
  public static boolean fitsWidth(long v, int bits) {
    if (bits >= 64) {
      return true;
    }
    long min = -(1L << (bits - 1));
    long maxUnsigned = (1L << bits) - 1;
    return v >= min && v <= maxUnsigned;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
