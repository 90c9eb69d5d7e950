package dev.kiln.ir;

/**
 * The address operand of a load or store, {@code [base + index*scale + offset]}, computed with
 * wrapping i64 arithmetic as a byte offset into a memory.
 *
 * @param base an i64 value
 * @param index an i64 value, or {@code null}
 * @param scale 1, 2, 4 or 8 (1 without an index)
 * @param offset a signed 32-bit displacement
 */
public record Address(Value base, Value index, int scale, int offset) {
  /** Checks the scale. */
  public Address {
    if (base == null) {
      throw new IllegalArgumentException("an address needs a base value");
    }
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
      throw new IllegalArgumentException("scale must be 1, 2, 4 or 8, not " + scale);
    }
    if (index == null && scale != 1) {
      throw new IllegalArgumentException("a scale needs an index");
    }
  }

  /** {@code [base]}. */
  public static Address at(Value base) {
    return new Address(base, null, 1, 0);
  }

  /** {@code [base + offset]}. */
  public static Address at(Value base, int offset) {
    return new Address(base, null, 1, offset);
  }

  /** {@code [base + index*scale + offset]}. */
  public static Address at(Value base, Value index, int scale, int offset) {
    return new Address(base, index, scale, offset);
  }
}
