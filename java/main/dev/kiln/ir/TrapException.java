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

  /**
   * Why it trapped.
   */
  private final TrapKind kind;
  /**
   * The code of a {@link TrapKind#USER} trap, else 0.
   */
  private final long code;
  /**
   * The position of the trapping instruction, or {@link Instruction#NO_POSITION}.
   */
  private final int position;
  /**
   * The name of the function that trapped, without {@code @}.
   */
  private final String function;
  /**
   * The index of a failed {@code bounds_check}, or the address of a failed memory access.
   */
  private final long index;
  /**
   * The length of a failed {@code bounds_check}, or the size of the memory accessed.
   */
  private final long length;

  /**
   * @param kind why it trapped
   * @param code the code of a {@link TrapKind#USER} trap, else 0
   * @param index the index of a failed {@code bounds_check}, or the address of a failed memory
   *     access
   * @param length the length of a failed {@code bounds_check}, or the size of the memory accessed
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

  /** {@return why it trapped} */
  public TrapKind kind() {
    return kind;
  }

  /** {@return the code of a {@link TrapKind#USER} trap, else 0} */
  public long code() {
    return code;
  }

  /** {@return the position of the trapping instruction, or {@link Instruction#NO_POSITION}} */
  public int position() {
    return position;
  }

  /** {@return the name of the function that trapped (without {@code @})} */
  public String function() {
    return function;
  }

  /**
   * The index of a failed {@code bounds_check}, or the address of a failed memory access.
   *
   * @return the index or address, or 0 for another kind of trap
   */
  public long index() {
    return index;
  }

  /**
   * The length of a failed {@code bounds_check}, or the size of the memory accessed.
   *
   * @return the length or memory size, or 0 for another kind of trap
   */
  public long length() {
    return length;
  }

  /**
   * What happened, without where: {@code index 5 out of bounds for length 3}.
   *
   * @return the description
   */
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
