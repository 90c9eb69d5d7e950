package dev.kiln.backend;

import dev.kiln.backend.opt.Thresholds;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that compile a large module's functions beside the thread that asked for
 * it: {@link #HELPERS} of them at most, started at the first need and ended after a while idle.
 * A front end may share independent work on its functions with them too ({@link #forEach}).
 */
public final class CompilerThreads implements ThreadFactory {
  /** Helpers besides the calling thread: none on a single processor. */
  public static final int HELPERS =
      Math.min(Runtime.getRuntime().availableProcessors(), Thresholds.COMPILE_THREADS) - 1;

  private static final long IDLE_SECONDS = 30;
  private static ThreadPoolExecutor pool;

  private final AtomicInteger started = new AtomicInteger();

  private CompilerThreads() {}

  /** Work on each of a number of items, none of which it reads or writes another's state of. */
  public interface Work {
    /**
     * Does the work on one item.
     *
     * @param i the item's index
     */
    void run(int i);
  }

  /**
   * Whether work of {@code instructions} IR instructions (or as many bytecode words, or the like)
   * is large enough to share: {@link Thresholds#PARALLEL_MIN_INSTRUCTIONS}.
   *
   * @param instructions the size of the work
   * @return whether helpers would pay
   */
  public static boolean worthSharing(int instructions) {
    return instructions >= Thresholds.PARALLEL_MIN_INSTRUCTIONS;
  }

  /**
   * How many helpers to share {@code items} items with: none unless {@code parallel} (the work
   * is large enough, {@link #worthSharing}, and parallel compiles are
   * allowed), at most one per item besides the calling thread's.
   *
   * @param parallel whether helpers may share the work
   * @param items the number of items
   * @return the number of helpers, 0 to {@link #HELPERS}
   */
  public static int helpers(boolean parallel, int items) {
    return parallel ? Math.max(0, Math.min(HELPERS, items - 1)) : 0;
  }

  /**
   * Runs {@code work} on items 0 to {@code items - 1}, taken in order by the calling thread and
   * {@code helpers} of these threads, and returns when all are done.
   *
   * @param helpers the helpers to share the items with ({@link #helpers(boolean, int)})
   * @param items the number of items
   * @param work the work on each
   * @throws RuntimeException (or Error) the failure of the first item that failed, as a loop
   *     over the items would have thrown it
   */
  public static void forEach(int helpers, int items, Work work) {
    forEach(helpers > 0 ? pool() : null, helpers, items, work);
  }

  /** {@link #forEach(int, int, Work)} with helpers from {@code pool}. */
  static void forEach(Executor pool, int helpers, int items, Work work) {
    Items shared = new Items(items, work);
    for (int i = 0; i < helpers; i++) {
      pool.execute(shared);
    }
    shared.run();
    shared.await();
    for (Throwable t : shared.failures) {
      if (t != null) {
        rethrow(t);
      }
    }
  }

  /** Throws {@code t}, caught on another thread, as it is. */
  static void rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t); // a checked exception thrown past the compiler's checks
  }

  /** {@return the helpers, created at the first call} */
  static synchronized Executor pool() {
    if (pool == null) {
      pool = new ThreadPoolExecutor(HELPERS, HELPERS, IDLE_SECONDS, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), new CompilerThreads());
      pool.allowCoreThreadTimeOut(true);
    }
    return pool;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, "kiln-compile-" + started.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  /** The items of one {@link #forEach}: each thread running it takes the next until none is left. */
  private static final class Items implements Runnable {
    private final Work work;
    private final Throwable[] failures;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;

    Items(int items, Work work) {
      this.work = work;
      failures = new Throwable[items];
      done = new CountDownLatch(items);
    }

    @Override
    public void run() {
      for (int i = next.getAndIncrement(); i < failures.length; i = next.getAndIncrement()) {
        try {
          work.run(i);
        } catch (Throwable t) {
          failures[i] = t;
        }
        done.countDown();
      }
    }

    /** Waits for the items taken by other threads, however often interrupted: they are short. */
    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
