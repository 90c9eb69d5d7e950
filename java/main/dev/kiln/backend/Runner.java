package dev.kiln.backend;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread compiled code runs on: one per module, with a native stack large enough for the
 * call-depth limit's deepest chain of the module's largest frames, so that the depth limit, not
 * the stack, ends deep recursion (the rsp check in every prologue stays a backstop). Calls from
 * other threads are handed over and wait; a call from the runner itself (a Java import calling
 * back in) runs directly. An idle runner thread ends after a while and is started again on
 * demand.
 */
final class Runner {
  private final ThreadPoolExecutor executor;

  private static final class RunnerThread extends Thread {
    final Runner owner;

    RunnerThread(Runner owner, Runnable r, long stackBytes) {
      super(null, r, "kiln-backend", stackBytes);
      this.owner = owner;
      setDaemon(true);
    }
  }

  Runner(long stackBytes) {
    executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> new RunnerThread(this, r, stackBytes));
    executor.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code task} on the runner thread and returns its result or throws its exception. */
  <T> T run(Callable<T> task) {
    if (Thread.currentThread() instanceof RunnerThread t && t.owner == this) {
      try {
        return task.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    Future<T> future = executor.submit(task);
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiled code ran", e);
    }
  }

  void shutdown() {
    executor.shutdown();
  }
}
