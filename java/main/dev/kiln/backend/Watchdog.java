package dev.kiln.backend;

import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapKind;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a {@link RunControl} while compiled code runs and raises the context block's poll flag
 * (the trap kind's ordinal plus one) once a trap is due; compiled code polls the flag at function
 * entries and loop back edges. One daemon thread serves every run of the process.
 */
final class Watchdog implements AutoCloseable {
  private static final long PERIOD_MICROS = 500;
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiln-backend-watchdog");
        t.setDaemon(true);
        return t;
      });

  private final ScheduledFuture<?> task;

  private Watchdog(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Raises the flag at once if a trap is due now, and watches for one from then on; the run's
   * time limit counts from this call.
   */
  static Watchdog watch(RunControl control, ByteBuffer context, int flag) {
    context.put(flag, (byte) 0);
    if (control == null) {
      return new Watchdog(null);
    }
    long start = System.nanoTime();
    Runnable check = () -> {
      TrapKind due = control.due(start);
      if (due != null) {
        context.put(flag, (byte) (due.ordinal() + 1));
      }
    };
    check.run();
    return new Watchdog(TIMER.scheduleAtFixedRate(check, PERIOD_MICROS, PERIOD_MICROS,
        TimeUnit.MICROSECONDS));
  }

  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
