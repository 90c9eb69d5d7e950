package dev.kiln.ir;

/** Why a run of IR stopped with a {@link TrapException}. */
public enum TrapKind {
  /** {@code sdiv}, {@code srem}, {@code udiv} or {@code urem} by zero. */
  DIVISION_BY_ZERO("division by zero"),
  /** {@code bounds_check} of an index outside {@code 0 <= index < length}. */
  INDEX_OUT_OF_BOUNDS("index out of bounds"),
  /** A load or store outside its memory. */
  MEMORY_OUT_OF_BOUNDS("memory access out of bounds"),
  /** A call beyond the call-depth limit. */
  STACK_OVERFLOW("stack overflow"),
  /** The {@link RunControl}'s deadline passed. */
  TIME_LIMIT("time limit exceeded"),
  /** {@link RunControl#cancel()} was called. */
  CANCELLED("cancelled"),
  /** {@code call_indirect} of a handle that is no function of the module with that signature. */
  BAD_INDIRECT_CALL("bad indirect call"),
  /** {@code trap}, {@code trapnz} or {@code trapz}, with the front end's code. */
  USER("trap");

  private final String description;

  TrapKind(String description) {
    this.description = description;
  }

  /** {@return a short description, {@code division by zero}} */
  public String description() {
    return description;
  }

  /** {@return the name in IR test files, {@code division_by_zero}} */
  public String spelling() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
