package dev.kiln.backend;

import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
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
  /**
   * The stack limit of the compiled code this thread is in, while one of its Java callbacks runs;
   * 0 outside compiled code.
   */
  private static final ThreadLocal<long[]> CALLBACK_FLOOR = new ThreadLocal<>() {
    @Override
    protected long[] initialValue() {
      return new long[1];
    }
  };

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
        new ThreadFactory() {
          @Override
          public Thread newThread(Runnable r) {
            return new RunnerThread(Runner.this, r, stackBytes);
          }
        });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * The lowest rsp compiled code may reach on this thread, when a Java callback of compiled code
   * runs on it; 0 otherwise.
   */
  static long callbackFloor() {
    return CALLBACK_FLOOR.get()[0];
  }

  /**
   * Marks this thread as running a callback of compiled code whose stack limit is {@code floor};
   * returns the mark to restore afterwards.
   */
  static long enterCallback(long floor) {
    long[] mark = CALLBACK_FLOOR.get();
    long outer = mark[0];
    mark[0] = floor;
    return outer;
  }

  /** Restores the mark {@link #enterCallback} returned. */
  static void leaveCallback(long outer) {
    CALLBACK_FLOOR.get()[0] = outer;
  }

  /**
   * Runs {@code task} on the runner thread and returns its result or throws its exception. A
   * task from the runner itself, or from a callback of any compiled code (whose runner waits for
   * it: handing over could deadlock two modules calling each other), runs directly.
   */
  <T> T run(Callable<T> task) {
    if (Thread.currentThread() instanceof RunnerThread t && t.owner == this
        || callbackFloor() != 0) {
      try {
        return task.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    Handoff<T> handoff = new Handoff<>(task);
    executor.execute(handoff);
    Throwable failure;
    try {
      failure = handoff.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiled code ran", e);
    }
    if (failure == null) {
      return handoff.value;
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(failure);
  }

  /**
   * A task run on the runner thread and its outcome, which the caller waits for on the handoff's
   * monitor. Not a FutureTask: its class initialisation starts the JVM's VarHandle machinery,
   * milliseconds of a cold process's first call.
   */
  private static final class Handoff<T> implements Runnable {
    private final Callable<T> task;
    private boolean done;
    /** What the task returned, once {@link #done} without a failure. */
    private T value;
    private Throwable failure;

    Handoff(Callable<T> task) {
      this.task = task;
    }

    @Override
    public void run() {
      T result = null;
      Throwable thrown = null;
      try {
        result = task.call();
      } catch (Throwable t) {
        thrown = t;
      }
      synchronized (this) {
        value = result;
        failure = thrown;
        done = true;
        notifyAll();
      }
    }

    /** Waits until the task has run; returns what it threw, or null if it returned. */
    synchronized Throwable await() throws InterruptedException {
      while (!done) {
        wait();
      }
      return failure;
    }
  }

  void shutdown() {
    executor.shutdown();
  }
}
