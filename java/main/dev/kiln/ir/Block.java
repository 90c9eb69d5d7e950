package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A basic block: parameters (the SSA merge values, passed by each branch to it) and instructions,
 * the last of which, and only that one, is a terminator. The entry block's parameters are the
 * function's.
 */
public final class Block {
  private final Function function;
  private final int id;
  int number;
  final ArrayList<Value> params = new ArrayList<>();
  final ArrayList<Instruction> instructions = new ArrayList<>();
  int line;

  Block(Function function, int id) {
    this.function = function;
    this.id = id;
    this.number = id;
  }

  /** {@return the function it belongs to} */
  public Function function() {
    return function;
  }

  /** {@return a dense index, unique in its function, below {@link Function#blockCount()}} */
  public int id() {
    return id;
  }

  /**
   * The number in its name {@code blockN}: as written in a parsed text, else in layout order.
   *
   * @return the number
   */
  public int number() {
    return number;
  }

  /** {@return its parameters} */
  public List<Value> params() {
    return Collections.unmodifiableList(params);
  }

  /** {@return its instructions, the terminator last} */
  public List<Instruction> instructions() {
    return Collections.unmodifiableList(instructions);
  }

  /** {@return its terminator, or {@code null} while it has none} */
  public Instruction terminator() {
    if (instructions.isEmpty()) {
      return null;
    }
    Instruction last = instructions.get(instructions.size() - 1);
    return last.opcode().isTerminator() ? last : null;
  }

  /** {@return the 1-based line of its label in a parsed text, or 0} */
  public int line() {
    return line;
  }

  /** {@code blockN}. */
  @Override
  public String toString() {
    return "block" + number;
  }
}
