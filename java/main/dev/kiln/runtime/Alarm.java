package dev.kiln.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Raises a flag byte after a delay: the host side of a safepoint-style poll. Generated code
 * compares the byte with zero at loop back edges and function entries (one {@code cmp} +
 * {@code jne} to an out-of-line stub), and this alarm sets it to 1 when, say, a time limit has
 * passed, so an endless loop in machine code still stops promptly. The byte normally lives in
 * {@link NativeMemory} that the code addresses; x86 makes the store visible to the polling
 * thread without further fences. One daemon thread serves every alarm of the process.
 */
public final class Alarm implements AutoCloseable {
  /** An alarm that never rings, for runs without a limit. */
  public static final Alarm NONE = new Alarm(null);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kiln-alarm");
            t.setDaemon(true);
            return t;
          });

  private final ScheduledFuture<?> task;

  private Alarm(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Sets a flag byte to 1 once a delay has passed.
   *
   * @param memory the buffer holding the flag, usually a {@link NativeMemory#buffer()}
   * @param offset the flag's offset in {@code memory}
   * @param delayNanos the delay in nanoseconds; zero or negative raises the flag at once
   * @return the alarm, to {@link #close()} when the run ends first
   * @throws IndexOutOfBoundsException if {@code offset} is outside the buffer
   */
  public static Alarm raise(ByteBuffer memory, int offset, long delayNanos) {
    if (offset < 0 || offset >= memory.capacity()) {
      throw new IndexOutOfBoundsException(
          "flag offset " + offset + " is outside the buffer of " + memory.capacity() + " bytes");
    }
    return new Alarm(
        TIMER.schedule(() -> memory.put(offset, (byte) 1), Math.max(0, delayNanos), TimeUnit.NANOSECONDS));
  }

  /** Cancels the alarm if it has not rung yet; a flag already raised stays raised. */
  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
