package dev.kiln.ir;

/**
 * A mutable variable of a function being built: {@link FunctionBuilder#def} assigns it,
 * {@link FunctionBuilder#use} reads its current value, and the builder turns it into SSA values
 * and block parameters.
 */
public final class Variable {
  private final FunctionBuilder builder;
  private final Type type;
  private final int index;

  Variable(FunctionBuilder builder, Type type, int index) {
    this.builder = builder;
    this.type = type;
    this.index = index;
  }

  /** {@return its type} */
  public Type type() {
    return type;
  }

  int index() {
    return index;
  }

  FunctionBuilder builder() {
    return builder;
  }

  @Override
  public String toString() {
    return "variable " + index + " (" + type + ")";
  }
}
