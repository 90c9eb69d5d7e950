package dev.kiln.backend;

import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches a {@link RunControl} while compiled code runs and raises the context block's poll flag
 * (the trap kind's ordinal plus one) once a trap is due; compiled code polls the flag at function
 * entries and loop back edges. One daemon thread serves every run of the process: a plain thread
 * that parks, not an executor, and no lambdas, since the first run of a process pays for every
 * class it loads and every lambda it bootstraps.
 */
final class Watchdog implements AutoCloseable {
  private static final long PERIOD_NANOS = 500_000;
  /** The runs being watched; the thread's monitor too. */
  private static final List<Watchdog> WATCHED = new ArrayList<>();
  /** The watching thread, started by the first run that has a control; guarded by WATCHED. */
  private static Thread thread;

  private final RunControl control;
  private final long start;
  private final ByteBuffer context;
  private final int flag;

  private Watchdog(RunControl control, long start, ByteBuffer context, int flag) {
    this.control = control;
    this.start = start;
    this.context = context;
    this.flag = flag;
  }

  /**
   * Raises the flag at once if a trap is due now, and watches for one from then on; the run's
   * time limit counts from this call.
   */
  static Watchdog watch(RunControl control, ByteBuffer context, int flag) {
    context.put(flag, (byte) 0);
    Watchdog w = new Watchdog(control, System.nanoTime(), context, flag);
    if (control == null) {
      return w;
    }
    w.check();
    synchronized (WATCHED) {
      WATCHED.add(w);
      if (thread == null) {
        thread = new WatchThread();
        thread.start();
      } else {
        LockSupport.unpark(thread);
      }
    }
    return w;
  }

  /** Raises the flag if a trap is due. */
  private void check() {
    TrapKind due = control.due(start);
    if (due != null) {
      context.put(flag, (byte) (due.ordinal() + 1));
    }
  }

  @Override
  public void close() {
    if (control != null) {
      synchronized (WATCHED) {
        WATCHED.remove(this);
      }
    }
  }

  /** Checks every watched run each period; parks without a deadline while none is watched. */
  private static final class WatchThread extends Thread {
    WatchThread() {
      super("kiln-backend-watchdog");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (true) {
        Watchdog[] runs;
        synchronized (WATCHED) {
          runs = WATCHED.toArray(new Watchdog[0]);
        }
        if (runs.length == 0) {
          LockSupport.park(this); // watch() unparks; a permit given before this returns at once
          continue;
        }
        for (Watchdog w : runs) {
          w.check();
        }
        LockSupport.parkNanos(this, PERIOD_NANOS);
      }
    }
  }
}
