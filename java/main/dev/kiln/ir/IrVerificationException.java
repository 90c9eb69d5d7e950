package dev.kiln.ir;

import java.util.List;

/** A module failed {@link Module#verify()}: every problem found, each on a line of the message. */
public final class IrVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * One problem: where it is and what is wrong.
   *
   * @param function the function's name, with its {@code @}
   * @param block the block's name, or {@code null} for a problem of the whole function
   * @param instruction the instruction in text form, or {@code null}
   * @param message what is wrong
   * @param line the 1-based line in a parsed text, or 0
   * @param column the 1-based column in a parsed text, or 0
   */
  public record Problem(String function, String block, String instruction, String message,
      int line, int column) {
    /** {@code @f block2: v7 = iadd v3, v5: operand v5 is f64, expected i64}. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(function);
      if (block != null) {
        s.append(' ').append(block);
      }
      if (instruction != null) {
        s.append(": ").append(instruction);
      }
      return s.append(": ").append(message).toString();
    }
  }

  private final transient List<Problem> problems;

  IrVerificationException(List<Problem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<Problem> problems) {
    StringBuilder s = new StringBuilder();
    for (Problem p : problems) {
      s.append(s.length() == 0 ? "" : "\n").append(p);
    }
    return s.toString();
  }

  /** {@return the problems, in the order of the functions, blocks and instructions} */
  public List<Problem> problems() {
    return problems;
  }
}
