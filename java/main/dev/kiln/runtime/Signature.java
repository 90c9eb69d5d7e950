package dev.kiln.runtime;

/**
 * The argument and result types of a function the runtime can call. A deliberately small set,
 * enough for a JIT that passes integers and raw double bits as {@code long}s:
 *
 * <ul>
 *   <li>{@link #longs(int)}: {@code (long x n) -> long}, n = 0..6;
 *   <li>{@link #longsToDouble(int)}: {@code (long x n) -> double}, n = 0..6;
 *   <li>{@link #doubles(int)}: {@code (double x n) -> double}, n = 0..2.
 * </ul>
 *
 * <p>Six integer arguments is what both conventions can pass in registers or, on Windows, with two
 * stack slots the shim's call already reserves.
 */
public final class Signature {
  /** The most {@code long} arguments a signature can have. */
  public static final int MAX_LONG_ARGUMENTS = 6;

  /** The most {@code double} arguments a signature can have. */
  public static final int MAX_DOUBLE_ARGUMENTS = 2;

  private final int arity;
  private final boolean doubleArguments;
  private final boolean doubleResult;

  private Signature(int arity, boolean doubleArguments, boolean doubleResult) {
    this.arity = arity;
    this.doubleArguments = doubleArguments;
    this.doubleResult = doubleResult;
  }

  /**
   * The signature {@code (long x arity) -> long}.
   *
   * @param arity the number of arguments, 0 to {@link #MAX_LONG_ARGUMENTS}
   * @return the signature
   * @throws IllegalArgumentException for any other arity
   */
  public static Signature longs(int arity) {
    return new Signature(checkArity(arity, MAX_LONG_ARGUMENTS), false, false);
  }

  /**
   * The signature {@code (long x arity) -> double}.
   *
   * @param arity the number of arguments, 0 to {@link #MAX_LONG_ARGUMENTS}
   * @return the signature
   * @throws IllegalArgumentException for any other arity
   */
  public static Signature longsToDouble(int arity) {
    return new Signature(checkArity(arity, MAX_LONG_ARGUMENTS), false, true);
  }

  /**
   * The signature {@code (double x arity) -> double}.
   *
   * @param arity the number of arguments, 0 to {@link #MAX_DOUBLE_ARGUMENTS}
   * @return the signature
   * @throws IllegalArgumentException for any other arity
   */
  public static Signature doubles(int arity) {
    return new Signature(checkArity(arity, MAX_DOUBLE_ARGUMENTS), true, true);
  }

  private static int checkArity(int arity, int max) {
    if (arity < 0 || arity > max) {
      throw new IllegalArgumentException(
          "unsupported argument count " + arity + ": must be between 0 and " + max);
    }
    return arity;
  }

  /** {@return the number of arguments} */
  public int arity() {
    return arity;
  }

  /** {@return whether the arguments are doubles (else longs)} */
  public boolean doubleArguments() {
    return doubleArguments;
  }

  /** {@return whether the result is a double (else a long)} */
  public boolean doubleResult() {
    return doubleResult;
  }

  /** Text such as {@code (long, long) -> long}, also used in error messages. */
  static String describe(int arity, boolean doubleArguments, boolean doubleResult) {
    String type = doubleArguments ? "double" : "long";
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < arity; i++) {
      sb.append(i == 0 ? "" : ", ").append(type);
    }
    return sb.append(") -> ").append(doubleResult ? "double" : "long").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature s
        && s.arity == arity
        && s.doubleArguments == doubleArguments
        && s.doubleResult == doubleResult;
  }

  @Override
  public int hashCode() {
    return arity * 4 + (doubleArguments ? 2 : 0) + (doubleResult ? 1 : 0);
  }

  @Override
  public String toString() {
    return describe(arity, doubleArguments, doubleResult);
  }
}
