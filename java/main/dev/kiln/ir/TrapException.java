package dev.kiln.ir;

/**
 * A trap: IR stopped because a safety check failed or a {@code trap} ran. Side effects before it
 * (memory writes, Java calls, output) stay done. It carries the kind, the front end's code (for
 * {@link TrapKind#USER}), the position of the trapping instruction, the function it is in, and the
 * index and length of a failed bounds check (for a memory access: the address and the memory's
 * size).
 */
public final class TrapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TrapKind kind;
  private final long code;
  private final int position;
  private final String function;
  private final long index;
  private final long length;

  /**
   * @param function the name of the function, without {@code @}
   * @param position the position of the instruction, or {@link Instruction#NO_POSITION}
   */
  public TrapException(TrapKind kind, long code, int position, String function, long index,
      long length) {
    super(null, null, false, false); // a trap is an outcome, not a bug: no stack trace to fill
    this.kind = kind;
    this.code = code;
    this.position = position;
    this.function = function;
    this.index = index;
    this.length = length;
  }

  /** Why it trapped. */
  public TrapKind kind() {
    return kind;
  }

  /** The code of a {@link TrapKind#USER} trap, else 0. */
  public long code() {
    return code;
  }

  /** The position of the trapping instruction, or {@link Instruction#NO_POSITION}. */
  public int position() {
    return position;
  }

  /** The name of the function that trapped (without {@code @}). */
  public String function() {
    return function;
  }

  /** The index of a failed {@code bounds_check}, or the address of a failed memory access. */
  public long index() {
    return index;
  }

  /** The length of a failed {@code bounds_check}, or the size of the memory accessed. */
  public long length() {
    return length;
  }

  /** What happened, without where: {@code index 5 out of bounds for length 3}. */
  public String description() {
    return switch (kind) {
      case USER -> "trap " + code;
      case INDEX_OUT_OF_BOUNDS -> "index " + index + " out of bounds for length " + length;
      case MEMORY_OUT_OF_BOUNDS -> "memory access out of bounds at address " + index
          + " (memory of " + length + " bytes)";
      default -> kind.description();
    };
  }

  /** {@code division by zero in @f at position 12}. */
  @Override
  public String getMessage() {
    String where = " in @" + function;
    return description() + (position == Instruction.NO_POSITION ? where
        : where + " at position " + position);
  }
}
