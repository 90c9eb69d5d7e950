package dev.kiln.vm;

/** Limits that both execution modes enforce identically, so a program behaves the same in each. */
public final class Limits {
  /**
   * The deepest Kiln call chain allowed, counted in frames (not bytes) so the interpreter and the
   * JIT agree exactly: the call that would make the depth exceed this is {@code stack overflow}.
   * {@code main} is frame 1.
   */
  public static final int MAX_CALL_DEPTH = 100_000;

  /** Default cap on the bytes of all arrays of a run ({@code --max-memory}), in MiB. */
  public static final int DEFAULT_MAX_MEMORY_MIB = 1024;

  private Limits() {}
}
