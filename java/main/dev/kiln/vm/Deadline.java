package dev.kiln.vm;

/**
 * The {@code --time-limit} of a run. Executors count down at every backward branch and every
 * call and ask {@link #expired} only once per {@link #INTERVAL} counts, so the usual cost is a
 * decrement and a branch. At ~10^8 counts per second that reads the clock every few hundred
 * microseconds, far inside the 100 ms the contract allows.
 */
public final class Deadline {
  public static final int INTERVAL = 1 << 14;
  private static final Deadline NONE = new Deadline(Long.MAX_VALUE);

  private final long deadlineNanos;

  private Deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** No time limit: {@link #expired} never becomes true. */
  public static Deadline none() {
    return NONE;
  }

  /** A deadline {@code seconds} from now. */
  public static Deadline after(double seconds) {
    return new Deadline(System.nanoTime() + (long) (seconds * 1e9));
  }

  /** Nanoseconds left before the deadline ({@link Long#MAX_VALUE} for none; negative once past). */
  public long remainingNanos() {
    return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
  }

  public boolean expired() {
    return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0;
  }
}
