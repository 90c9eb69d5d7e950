package dev.kiln.ir;

import java.time.Duration;

/**
 * Limits a run from outside: a deadline and cancellation from another thread. Running IR polls it
 * at function entries and loop back edges and traps with {@link TrapKind#TIME_LIMIT} or
 * {@link TrapKind#CANCELLED}. One control may serve several instances and runs.
 */
public final class RunControl {
  private volatile boolean cancelled;
  private volatile long deadline;
  private volatile boolean hasDeadline;

  /** A control without a deadline, not cancelled. */
  public RunControl() {}

  /**
   * A control whose deadline is {@code limit} from now.
   *
   * @param limit how long from now the deadline is
   * @return the new control
   */
  public static RunControl withTimeLimit(Duration limit) {
    RunControl control = new RunControl();
    control.deadline = System.nanoTime() + limit.toNanos();
    control.hasDeadline = true;
    return control;
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
   * The trap due now: {@link TrapKind#CANCELLED}, {@link TrapKind#TIME_LIMIT}, or {@code null} to
   * go on.
   *
   * @return the trap, or {@code null}
   */
  public TrapKind due() {
    if (cancelled) {
      return TrapKind.CANCELLED;
    }
    return hasDeadline && System.nanoTime() - deadline >= 0 ? TrapKind.TIME_LIMIT : null;
  }
}
