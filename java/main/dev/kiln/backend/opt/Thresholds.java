package dev.kiln.backend.opt;

/** The tuning thresholds of the IR passes, each with its reason. */
public final class Thresholds {
  /**
   * Instructions of a callee inlined at any call: about the cost of the call itself (argument
   * moves, depth check, call, frame set-up, return), so inlining it does not grow the code.
   */
  public static final int INLINE_BUDGET = 12;

  /** Instructions of a callee inlined at a call in a loop, where the call's cost repeats. */
  public static final int INLINE_LOOP_BUDGET = 48;

  /** Instructions a function may reach by inlining: bounds the growth of code and compile time. */
  public static final int INLINE_CALLER_LIMIT = 2_000;

  private Thresholds() {}
}
