package dev.kiln.vm;

/**
 * Limits that both execution modes enforce identically, so a program behaves the same in each.
 *
 * <p>The call stack is bounded in levels, not bytes, so that the interpreter and the JIT agree
 * exactly whatever their frames weigh in memory: a frame takes {@link #frameLevels} levels, one
 * per {@link #SLOTS_PER_LEVEL} slots of its function's bytecode frame (arguments, locals and
 * temporaries; at least one level), and the call that would take the levels in use past {@link
 * #MAX_CALL_DEPTH} is {@code stack overflow}. A chain of calls therefore holds at most 100,000
 * frames and at most {@link #MAX_STACK_SLOTS} slots: the interpreter's value stack stays within
 * 25 MiB, whatever the JVM's heap, so reaching the limit is cheap in both modes.
 */
public final class Limits {
  /**
   * The levels a call chain may take, {@code main}'s frame included: the deepest chain of small
   * frames (as any simple recursive function has), ten times the 10,000 frames LANGUAGE.md asks
   * for, and as deep as common native stacks allow C programs.
   */
  public static final int MAX_CALL_DEPTH = 100_000;

  /**
   * Slots per level: a function of up to 32 slots (a dozen locals and their temporaries) takes one
   * level, so the recursions of real programs reach the full depth; a function of 1,500 locals
   * (a frame of 1,505 slots) takes 48 and reaches 2,083 frames.
   */
  public static final int SLOTS_PER_LEVEL = 32;

  /** The most slots a call chain's frames may hold: 3,200,000 (25 MiB of 8-byte slots). */
  public static final long MAX_STACK_SLOTS = (long) MAX_CALL_DEPTH * SLOTS_PER_LEVEL;

  /** Default cap on the bytes of all arrays of a run ({@code --max-memory}), in MiB. */
  public static final int DEFAULT_MAX_MEMORY_MIB = 1024;

  private Limits() {}

  /**
   * The levels a frame of {@code frameSize} slots takes: one per {@link #SLOTS_PER_LEVEL} or part
   * of it, at least one, at most all ({@code main} of more than {@link #MAX_STACK_SLOTS} slots
   * then runs, but its first call overflows).
   */
  public static int frameLevels(int frameSize) {
    return (int) Math.min(MAX_CALL_DEPTH, Math.max(1, (frameSize + (long) SLOTS_PER_LEVEL - 1) / SLOTS_PER_LEVEL));
  }
}
