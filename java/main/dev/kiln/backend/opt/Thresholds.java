package dev.kiln.backend.opt;

/** The back end's tuning thresholds, each with its reason. */
public final class Thresholds {
  /**
   * The most bytes of NOPs that align a loop's first block to 16 bytes: the front end fetches
   * and the decoded-uop cache maps 16- and 32-byte windows, so an aligned loop top fetches in
   * fewer windows per iteration; beyond about 10 bytes of padding the code growth outweighs that
   * (GCC's generic tuning, {@code -falign-loops=16:11}, skips at most 10 bytes too).
   */
  public static final int LOOP_ALIGNMENT_MAX_PADDING = 10;

  private Thresholds() {}
}
