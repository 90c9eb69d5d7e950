package dev.kiln.ir;

import java.time.Duration;

/**
 * Limits runs from outside: a time limit per run and cancellation from another thread. Running IR
 * polls it at function entries and loop back edges and traps with {@link TrapKind#TIME_LIMIT} or
 * {@link TrapKind#CANCELLED}. One control may serve several instances and runs; a run is one call
 * from Java into an instance, the calls its Java callbacks make back into it included.
 */
public final class RunControl {
  private volatile boolean cancelled;
  private final long limitNanos;
  private final boolean hasLimit;

  private RunControl(long limitNanos, boolean hasLimit) {
    this.limitNanos = limitNanos;
    this.hasLimit = hasLimit;
  }

  /** A control without a time limit, not cancelled. */
  public RunControl() {
    this(0, false);
  }

  /**
   * A control that stops each run once {@code limit} has passed since that run started: the
   * time before a run (creating the control, compiling) does not count, and every run of a
   * reused control has the whole limit.
   *
   * @param limit how long each run may take
   * @return the new control
   */
  public static RunControl withTimeLimit(Duration limit) {
    return new RunControl(limit.toNanos(), true);
  }

  /** Makes every run polling this control trap with {@link TrapKind#CANCELLED}; any thread. */
  public void cancel() {
    cancelled = true;
  }

  /** {@return whether {@link #cancel()} was called} */
  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * The trap due now for a run: {@link TrapKind#CANCELLED}, {@link TrapKind#TIME_LIMIT}, or
   * {@code null} to go on.
   *
   * @param runStartNanos when the run started, by {@link System#nanoTime()}
   * @return the trap, or {@code null}
   */
  public TrapKind due(long runStartNanos) {
    if (cancelled) {
      return TrapKind.CANCELLED;
    }
    return hasLimit && System.nanoTime() - runStartNanos - limitNanos >= 0 ? TrapKind.TIME_LIMIT
        : null;
  }
}
