package dev.kiln.backend;

import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapKind;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches a {@link RunControl} while compiled code runs and, once a trap is due, raises the
 * context block's poll flag (the trap kind's ordinal plus one), which loop back edges poll, then
 * sets the stack limit to all ones, which every prologue's stack check then fails (its stub reads
 * the flag). Compiled code or Java may write the limit back meanwhile; the next period sets it
 * again, as a due trap stays due. One daemon thread serves every run of the process: a plain thread
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
  private final int limit;

  private Watchdog(RunControl control, long start, ByteBuffer context, int flag, int limit) {
    this.control = control;
    this.start = start;
    this.context = context;
    this.flag = flag;
    this.limit = limit;
  }

  /**
   * Raises the flag (byte at offset {@code flag}) and lowers the stack limit (the long at {@code
   * limit}) at once if a trap is due now, and watches for one from then on; the run's time limit
   * counts from this call.
   */
  static Watchdog watch(RunControl control, ByteBuffer context, int flag, int limit) {
    context.put(flag, (byte) 0);
    Watchdog w = new Watchdog(control, System.nanoTime(), context, flag, limit);
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

  /** Raises the flag and lowers the limit if a trap is due. */
  private void check() {
    TrapKind due = control.due(start);
    if (due != null) {
      context.put(flag, (byte) (due.ordinal() + 1));
      VarHandle.storeStoreFence(); // a prologue sent to its stub by the limit must see the flag
      context.putLong(limit, -1);
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
        boolean watching;
        synchronized (WATCHED) { // checked under the lock: no check runs after close() returns
          for (Watchdog w : WATCHED) {
            w.check();
          }
          watching = !WATCHED.isEmpty();
        }
        if (watching) {
          LockSupport.parkNanos(this, PERIOD_NANOS);
        } else {
          LockSupport.park(this); // watch() unparks; a permit given before this returns at once
        }
      }
    }
  }
}
