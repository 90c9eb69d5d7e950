package dev.kiln.backend;

import dev.kiln.backend.opt.Thresholds;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that compile a large module's functions beside the thread that asked for
 * it: {@link #HELPERS} of them at most, started at the first need and ended after a while idle.
 */
final class CompilerThreads implements ThreadFactory {
  /** Helpers besides the calling thread: none on a single processor. */
  static final int HELPERS =
      Math.min(Runtime.getRuntime().availableProcessors(), Thresholds.COMPILE_THREADS) - 1;

  private static final long IDLE_SECONDS = 30;
  private static ThreadPoolExecutor pool;

  private final AtomicInteger started = new AtomicInteger();

  private CompilerThreads() {}

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
}
