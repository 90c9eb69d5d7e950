package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.opt.Pass;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.RandomModules;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A module's functions compile on several threads to the same bytes as on one, and a failure
 * reaches the caller as the sequential compile's first one would.
 */
class ParallelCompileTest {
  private static final int COUNT = Integer.getInteger("kiln.ir.random.count", 200);

  private static final Module FOUR = IrParser.parse("""
      function @f0(i64) -> i64 {
      block0(v0: i64):
          return v0
      }
      function @f1(i64) -> i64 {
      block0(v0: i64):
          v1 = call @f0(v0)
          return v1
      }
      function @f2(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 3
          v2 = imul v0, v1
          return v2
      }
      function @f3(i64) -> i64 {
      block0(v0: i64):
          v1 = call @f2(v0)
          return v1
      }
      """);

  @Test
  void randomModulesCompileToTheSameBytesOnSeveralThreads() {
    for (long seed = 1; seed <= COUNT; seed++) {
      Module module = RandomModules.generate(seed);
      module.verify();
      Pipeline.Result one = Pipeline.run(module, new CompileOptions().parallel(false).listing(true));
      // unverified, the function-local passes run in each function's task too
      Pipeline.Result several = Pipeline.run(module,
          new CompileOptions().verifyPasses(false).listing(true), 0);
      assertArrayEquals(one.emitted().code(), several.emitted().code(), "seed " + seed);
      assertEquals(one.emitted().listing().toString(), several.emitted().listing().toString());
      assertEquals(one.spilledValues(), several.spilledValues());
      assertEquals(one.passNanos().keySet(), several.passNanos().keySet());
    }
  }

  @Test
  void theEarliestFailingStageWinsThenTheFirstFunction() {
    Pass late = new Failing("late", "f0", "f2");
    Pass early = new Failing("early", "f3", "f1");
    for (int n = 0; n <= 3; n++) {
      int helpers = n;
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> compile(List.of(new Failing("none"), early, late), helpers));
      assertEquals("early fails on f1", e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> compile(List.of(late), helpers));
      assertEquals("late fails on f0", e.getMessage());
    }
  }

  @Test
  void forEachRethrowsTheFirstItemsFailure() {
    for (int n = 0; n <= 3; n++) {
      int helpers = n;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> withPool(helpers, pool -> CompilerThreads.forEach(pool, helpers, 8, i -> {
            if (i == 5 || i == 2 || i == 7) {
              throw new IllegalArgumentException("item " + i);
            }
          })));
      assertEquals("item 2", e.getMessage());
    }
  }

  @Test
  void anErrorReachesTheCallerAsItself() {
    Pass overflowing = new Pass() {
      @Override
      public String name() {
        return "overflowing";
      }

      @Override
      public void run(Function f) {
        throw new StackOverflowError(f.name());
      }
    };
    StackOverflowError e = assertThrows(StackOverflowError.class,
        () -> compile(List.of(overflowing), 2));
    assertEquals("f0", e.getMessage());
  }

  @Test
  void smallModulesAndForcedSequentialStayOnTheCallingThread() {
    int from = Thresholds.PARALLEL_MIN_INSTRUCTIONS;
    CompileOptions options = new CompileOptions();
    assertEquals(0, Pipeline.helpers(options, from - 1, 100, from));
    assertEquals(0, Pipeline.helpers(options, from, 1, from));
    assertEquals(0, Pipeline.helpers(new CompileOptions().parallel(false), from, 100, from));
    assertEquals(Math.min(CompilerThreads.HELPERS, 2), Pipeline.helpers(options, from, 3, from));
    assertTrue(CompilerThreads.HELPERS < Thresholds.COMPILE_THREADS);
  }

  @Test
  void helpersAreNamedDaemonThreads() throws Exception {
    if (CompilerThreads.HELPERS == 0) {
      return; // a single processor: no helper is ever started
    }
    FutureTask<Thread> current = new FutureTask<>(Thread::currentThread);
    CompilerThreads.pool().execute(current);
    Thread helper = current.get(10, TimeUnit.SECONDS);
    assertTrue(helper.isDaemon());
    assertTrue(helper.getName().startsWith("kiln-compile-"), helper.getName());
  }

  /** Runs {@code passes} over {@link #FOUR}'s functions with {@code helpers} other threads. */
  private static void compile(List<Pass> passes, int helpers) {
    Module copy = FOUR.copy();
    withPool(helpers, pool ->
        new FunctionCompilation(copy.functions(), passes, false, false, true).compileAll(pool, helpers));
  }

  /** Runs {@code use} with a pool of {@code threads} (at least one), shut down after. */
  private static void withPool(int threads, Consumer<Executor> use) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      use.accept(pool);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A pass that fails on the functions named. */
  private record Failing(String name, String... on) implements Pass {
    @Override
    public void run(Function f) {
      for (String name : on) {
        if (f.name().equals(name)) {
          throw new IllegalStateException(this.name + " fails on " + f.name());
        }
      }
    }
  }
}
