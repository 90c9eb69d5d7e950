package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;

/** One successor of a branch: the target block and the values passed to its parameters. */
public final class BlockCall {
  Block target;
  final ArrayList<Value> args;
  private final List<Value> argsView;

  BlockCall(Block target, List<Value> args) {
    this.target = target;
    this.args = new ArrayList<>(args);
    this.argsView = new ListView<>(this.args);
  }

  /** {@return the block branched to} */
  public Block target() {
    return target;
  }

  /**
   * Passes {@code v} to one more parameter, which the target must gain ({@link Block#addParam}).
   *
   * @param v the value passed
   */
  public void addArg(Value v) {
    args.add(v);
  }

  /**
   * Passes {@code v} to parameter {@code i} instead, a value of the same type: a pass deciding
   * edge by edge (the function verifies afterwards that {@code v} is defined there).
   *
   * @param i the parameter's index, from 0
   * @param v the value passed
   * @throws IllegalArgumentException if {@code v}'s type differs from the argument's
   */
  public void replaceArg(int i, Value v) {
    if (v.type() != args.get(i).type()) {
      throw new IllegalArgumentException("argument " + i + " to " + target + " is a "
          + args.get(i).type() + ", not a " + v.type());
    }
    args.set(i, v);
  }

  /** {@return the values its parameters receive, in order} */
  public List<Value> args() {
    return argsView;
  }
}
