package dev.kiln.asm;

/**
 * A code position, created by {@link Assembler#label()}, bound once with {@link Assembler#bind},
 * usable as a branch target or RIP-relative address before or after binding. Its state lives in
 * the assembler that made it (a label of one assembler is rejected by another).
 */
public final class Label implements Operand {
  final Object owner;
  final int id;
  private final String name;

  Label(Object owner, int id, String name) {
    this.owner = owner;
    this.id = id;
    this.name = name;
  }

  /** {@return the name given at creation, or {@code L<id>}} */
  public String name() {
    return name != null ? name : "L" + id; // built on demand: labels are hot-path objects
  }

  @Override
  public String toString() {
    return name();
  }
}
