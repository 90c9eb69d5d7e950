package dev.kiln.vm;

/**
 * A Kiln runtime error: its kind, the numbers that explain it, and the bytecode position index
 * ({@code dev.kiln.bytecode.Program#position}) of the instruction that failed. Unchecked and without
 * a Java stack trace: it is control flow out of the program, not a bug in the host.
 */
public final class KilnRuntimeError extends RuntimeException {
  private final RuntimeErrorKind kind;
  private final long a;
  private final long b;
  private final int position;

  public KilnRuntimeError(RuntimeErrorKind kind, long a, long b, int position) {
    super(null, null, false, false);
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.position = position;
  }

  public KilnRuntimeError(RuntimeErrorKind kind, int position) {
    this(kind, 0, 0, position);
  }

  public RuntimeErrorKind kind() {
    return kind;
  }

  /** Index into the program's position table, or -1 when no instruction is to blame. */
  public int position() {
    return position;
  }

  /** The message as docs/language.md words it, without the position prefix. */
  @Override
  public String getMessage() {
    switch (kind) {
      case DIVISION_BY_ZERO:
        return "division by zero";
      case INDEX_OUT_OF_BOUNDS:
        return "index out of bounds: index " + a + ", length " + b;
      case NEGATIVE_ARRAY_SIZE:
        return "negative array size: " + a;
      case STACK_OVERFLOW:
        return "stack overflow";
      case ASSERTION_FAILED:
        return "assertion failed";
      case OUT_OF_MEMORY:
        return "out of memory";
      case TIME_LIMIT_EXCEEDED:
        return "time limit exceeded";
      default:
        throw new AssertionError(kind);
    }
  }
}
