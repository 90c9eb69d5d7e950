package dev.kiln.ir;

/** The condition of {@code icmp}: equality, signed and unsigned orderings of two i64 values. */
public enum IntCond {
  /** Equal. */
  EQ,
  /** Not equal. */
  NE,
  /** Signed less than. */
  SLT,
  /** Signed less than or equal. */
  SLE,
  /** Signed greater than. */
  SGT,
  /** Signed greater than or equal. */
  SGE,
  /** Unsigned less than. */
  ULT,
  /** Unsigned less than or equal. */
  ULE,
  /** Unsigned greater than. */
  UGT,
  /** Unsigned greater than or equal. */
  UGE;

  /**
   * Whether {@code a COND b} holds.
   *
   * @param a the left operand
   * @param b the right operand
   * @return whether the comparison holds
   */
  public boolean test(long a, long b) {
    return switch (this) {
      case EQ -> a == b;
      case NE -> a != b;
      case SLT -> a < b;
      case SLE -> a <= b;
      case SGT -> a > b;
      case SGE -> a >= b;
      case ULT -> Long.compareUnsigned(a, b) < 0;
      case ULE -> Long.compareUnsigned(a, b) <= 0;
      case UGT -> Long.compareUnsigned(a, b) > 0;
      case UGE -> Long.compareUnsigned(a, b) >= 0;
    };
  }

  /** {@return the condition that holds exactly when this one fails: {@code !(a c b)} as {@code a c' b}} */
  public IntCond negated() {
    return switch (this) {
      case EQ -> NE;
      case NE -> EQ;
      case SLT -> SGE;
      case SGE -> SLT;
      case SLE -> SGT;
      case SGT -> SLE;
      case ULT -> UGE;
      case UGE -> ULT;
      case ULE -> UGT;
      case UGT -> ULE;
    };
  }

  /** {@return the condition with the operands swapped: {@code a c b} as {@code b c' a}} */
  public IntCond mirrored() {
    return switch (this) {
      case EQ, NE -> this;
      case SLT -> SGT;
      case SGT -> SLT;
      case SLE -> SGE;
      case SGE -> SLE;
      case ULT -> UGT;
      case UGT -> ULT;
      case ULE -> UGE;
      case UGE -> ULE;
    };
  }

  /** The name in the text form, {@code slt}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
