package dev.kiln.ir;

import java.util.Objects;

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
  /**
   * Checks the base, the scale and the index.
   *
   * @param base an i64 value
   * @param index an i64 value, or {@code null}
   * @param scale 1, 2, 4 or 8 (1 without an index)
   * @param offset a signed 32-bit displacement
   * @throws IllegalArgumentException if the base is null, the scale is not 1, 2, 4 or 8, or a scale
   *     other than 1 has no index
   */
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

  // Written out: a record's generated equals and hashCode are linked through method handles the
  // first time they run, work that each cold compile reaching them would pay.
  @Override
  public boolean equals(Object o) {
    return o instanceof Address a && base.equals(a.base) && Objects.equals(index, a.index)
        && scale == a.scale && offset == a.offset;
  }

  @Override
  public int hashCode() {
    return ((base.hashCode() * 31 + Objects.hashCode(index)) * 31 + scale) * 31 + offset;
  }

  /**
   * {@code [base]}.
   *
   * @param base the address (i64)
   * @return the address operand
   */
  public static Address at(Value base) {
    return new Address(base, null, 1, 0);
  }

  /**
   * {@code [base + offset]}.
   *
   * @param base the base address (i64)
   * @param offset the signed displacement added to it
   * @return the address operand
   */
  public static Address at(Value base, int offset) {
    return new Address(base, null, 1, offset);
  }

  /**
   * {@code [base + index*scale + offset]}.
   *
   * @param base the base address (i64)
   * @param index the index (i64)
   * @param scale what the index is multiplied by: 1, 2, 4 or 8
   * @param offset the signed displacement added
   * @return the address operand
   */
  public static Address at(Value base, Value index, int scale, int offset) {
    return new Address(base, index, scale, offset);
  }
}
