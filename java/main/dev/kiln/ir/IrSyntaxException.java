package dev.kiln.ir;

/** The IR text could not be parsed: where ({@link #line()}, {@link #column()}) and why. */
public final class IrSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * The 1-based line.
   */
  private final int line;
  /**
   * The 1-based column.
   */
  private final int column;
  /**
   * What is wrong, without the position.
   */
  private final String reason;

  IrSyntaxException(int line, int column, String reason) {
    super(line + ":" + column + ": " + reason);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** {@return the 1-based line} */
  public int line() {
    return line;
  }

  /** {@return the 1-based column} */
  public int column() {
    return column;
  }

  /** {@return what is wrong, without the position} */
  public String reason() {
    return reason;
  }
}
