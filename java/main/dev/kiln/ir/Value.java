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

  Value(Function function, Type type, int id) {
    this.function = function;
    this.type = type;
    this.id = id;
    this.number = id;
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
