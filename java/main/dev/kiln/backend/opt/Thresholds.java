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

  private Thresholds() {}
}
