package dev.kiln.ir;

/**
 * The condition of {@code fcmp}. As in Java and IEEE 754, {@code ne} holds when either operand is
 * NaN (unordered) and every other condition does not.
 */
public enum FloatCond {
  /** Equal (false when unordered). */
  EQ,
  /** Not equal, or unordered. */
  NE,
  /** Less than (false when unordered). */
  LT,
  /** Less than or equal (false when unordered). */
  LE,
  /** Greater than (false when unordered). */
  GT,
  /** Greater than or equal (false when unordered). */
  GE;

  /**
   * Whether {@code a COND b} holds.
   *
   * @param a the left operand
   * @param b the right operand
   * @return whether the comparison holds
   */
  public boolean test(double a, double b) {
    return switch (this) {
      case EQ -> a == b;
      case NE -> a != b;
      case LT -> a < b;
      case LE -> a <= b;
      case GT -> a > b;
      case GE -> a >= b;
    };
  }

  /**
   * Whether it orders its operands ({@code lt}, {@code le}, {@code gt}, {@code ge}) rather than
   * testing equality: false when unordered, as when the operands compare the other way.
   *
   * @return whether it is an ordering
   */
  public boolean isOrdering() {
    return this != EQ && this != NE;
  }

  /** The name in the text form, {@code lt}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
