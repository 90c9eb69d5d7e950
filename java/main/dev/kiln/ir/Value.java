package dev.kiln.ir;

/**
 * An SSA value of one function: the result of an instruction or a parameter of a block. It is
 * defined once and has one {@link Type}. Values are compared by identity.
 */
public final class Value {
  private final Function function;
  private final Type type;
  private final int id;
  int number;
  /** The instruction built last with it as result; null for a block parameter. */
  Instruction definition;

  Value(Function function, Type type, int id) {
    this.function = function;
    this.type = type;
    this.id = id;
    this.number = id;
  }

  /**
   * The instruction defining it: the last one built with it as its result (a pass replacing an
   * instruction builds the replacement last), which stays recorded after the instruction is
   * removed; so passes find definitions without a walk over the function.
   *
   * @return the defining instruction, or {@code null} for a block parameter
   */
  public Instruction definition() {
    return definition;
  }

  /** {@return its type} */
  public Type type() {
    return type;
  }

  /** {@return the function it belongs to} */
  public Function function() {
    return function;
  }

  /**
   * A dense index, unique in its function and below {@link Function#valueCount()}: a slot
   * number for interpreters and a key for side tables.
   *
   * @return the index
   */
  public int id() {
    return id;
  }

  /**
   * The number in its name {@code vN}: as written in a parsed text, else in layout order.
   *
   * @return the number
   */
  public int number() {
    return number;
  }

  /** {@code vN}. */
  @Override
  public String toString() {
    return "v" + number;
  }
}
