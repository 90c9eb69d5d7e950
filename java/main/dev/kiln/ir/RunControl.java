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
  /** Whether the limit counts from each run's start, or is a {@link System#nanoTime()} itself. */
  private final boolean perRun;

  private RunControl(long limitNanos, boolean hasLimit, boolean perRun) {
    this.limitNanos = limitNanos;
    this.hasLimit = hasLimit;
    this.perRun = perRun;
  }

  /** A control without a time limit, not cancelled. */
  public RunControl() {
    this(0, false, true);
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
    return new RunControl(limit.toNanos(), true, true);
  }

  /**
   * A control that stops every run once {@link System#nanoTime()} reaches {@code deadlineNanos}:
   * one deadline for all the runs of a computation that makes several, such as an interpreter
   * handing calls over to compiled code.
   *
   * @param deadlineNanos the {@link System#nanoTime()} at which runs stop
   * @return the new control
   */
  public static RunControl until(long deadlineNanos) {
    return new RunControl(deadlineNanos, true, false);
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
    long elapsed = System.nanoTime() - (perRun ? runStartNanos : 0);
    return hasLimit && elapsed - limitNanos >= 0 ? TrapKind.TIME_LIMIT : null;
  }
}
