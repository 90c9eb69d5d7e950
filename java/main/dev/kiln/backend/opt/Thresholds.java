package dev.kiln.backend.opt;

/** The tuning thresholds of the IR passes, each with its reason. */
public final class Thresholds {
  /**
   * How many memory facts (values known to be in memory) one block tracks at most: a lookup
   * scans them all, so this bounds the pass at linear time on huge straight-line blocks.
   */
  public static final int MEMORY_FACTS = 64;

  /**
   * How many checked accesses on one base a block needs before bounds-check elimination guards
   * it: the guard costs one compare and branch (as one check does) and a copy of the block.
   */
  public static final int GUARDED_ACCESSES = 2;

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
