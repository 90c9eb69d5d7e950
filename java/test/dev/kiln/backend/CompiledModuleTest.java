package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.IrVerificationException;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Type;
import dev.kiln.runtime.CallingConvention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A compiled module's contract with its Java host, in both calling conventions. */
class CompiledModuleTest {
  private static final String ENDLESS = """
      function @spin() {
      block0:
          jump block1
      block1:
          jump block1 @5
      }
      """;

  static List<CallingConvention> conventions() {
    return List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64);
  }

  private static CompiledModule compile(Module m, CallingConvention c, InstanceOptions o) {
    return Backend.compile(m, new CompileOptions().convention(c), o);
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void javaCallbacksGetTheirArgumentsAndReturnTheirResult(CallingConvention c) {
    Module m = new Module();
    List<String> calls = new ArrayList<>();
    JavaFunction scale = m.importJava("scale",
        Signature.of(List.of(Type.I64, Type.F64, Type.I64), Type.F64), args -> {
          calls.add(args[0] + " " + Double.longBitsToDouble(args[1]) + " " + args[2]);
          return Double.doubleToRawLongBits(args[0] * Double.longBitsToDouble(args[1]));
        });
    FunctionBuilder b = m.define("f", Signature.of(List.of(Type.F64), Type.F64));
    b.ret(b.call(scale, b.iconst(3), b.param(0), b.iconst(-1)));
    b.finish();
    try (CompiledModule run = compile(m, c, new InstanceOptions())) {
      assertEquals(4.5, run.call("f", 1.5));
    }
    assertEquals(List.of("3 1.5 -1"), calls);
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void anExceptionOfACallbackPropagatesUnchangedAfterEarlierSideEffects(CallingConvention c) {
    Module m = IrParser.parse("""
        memory $m 8
        import @fail(i64)
        function @f(i64) {
        block0(v0: i64):
            v1 = iconst 0
            store.i64 v0, $m [v1]
            call @fail(v0)
            v2 = iconst 99
            store.i64 v2, $m [v1]
            return
        }
        """);
    IllegalStateException thrown = new IllegalStateException("from Java");
    try (CompiledModule run = compile(m, c, new InstanceOptions().bind("fail", args -> {
      throw thrown;
    }))) {
      assertSame(thrown, assertThrows(IllegalStateException.class, () -> run.call("f", 7L)));
      assertEquals(7, run.memory("m").getLong(0));
      // the module stays usable after the failed call
      assertSame(thrown, assertThrows(IllegalStateException.class, () -> run.call("f", 8L)));
      assertEquals(8, run.memory("m").getLong(0));
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void aMemoryCanBeTheHostsBuffer(CallingConvention c) {
    Module m = IrParser.parse("""
        memory $tape 16
        function @bump(i64) {
        block0(v0: i64):
            v1 = load.u8 $tape [v0]
            v2 = iconst 1
            v3 = iadd v1, v2
            store.i8 v3, $tape [v0]
            return
        }
        """);
    ByteBuffer tape = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
    tape.put(3, (byte) 41);
    try (CompiledModule run = compile(m, c, new InstanceOptions().memory("tape", tape))) {
      run.call("bump", 3L);
      assertEquals(42, tape.get(3));
      run.call("bump", 3L);
      assertEquals(43, run.memory("tape").get(3));
      TrapException e = assertThrows(TrapException.class, () -> run.call("bump", 16L));
      assertEquals("memory access out of bounds at address 16 (memory of 16 bytes) in @bump",
          e.getMessage());
    }
    assertEquals("the buffer for memory $tape has 8 bytes, fewer than its 16",
        assertThrows(IllegalArgumentException.class, () -> compile(m, c,
            new InstanceOptions().memory("tape", ByteBuffer.allocateDirect(8)))).getMessage());
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void aTimeLimitCountsFromTheStartOfEachRun(CallingConvention c) throws InterruptedException {
    Module m = IrParser.parse(ENDLESS + """
        function @quick() -> i64 {
        block0:
            v0 = iconst 7
            return v0
        }
        """);
    RunControl control = RunControl.withTimeLimit(Duration.ofMillis(50));
    try (CompiledModule run = compile(m, c, new InstanceOptions().control(control))) {
      Thread.sleep(100);
      assertEquals(7L, run.call("quick"));
      assertEquals(TrapKind.TIME_LIMIT,
          assertThrows(TrapException.class, () -> run.call("spin")).kind());
      assertEquals(7L, run.call("quick"));
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void anEndlessLoopStopsAtTheTimeLimit(CallingConvention c) {
    try (CompiledModule run = compile(IrParser.parse(ENDLESS), c,
        new InstanceOptions().control(RunControl.withTimeLimit(Duration.ofMillis(50))))) {
      long start = System.nanoTime();
      TrapException e = assertThrows(TrapException.class, () -> run.call("spin"));
      assertEquals(TrapKind.TIME_LIMIT, e.kind());
      assertEquals("time limit exceeded in @spin at position 5", e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void anotherThreadCanCancelARun(CallingConvention c) throws InterruptedException {
    RunControl control = new RunControl();
    CountDownLatch entered = new CountDownLatch(1);
    Module m = IrParser.parse("""
        import @started()
        function @spin() {
        block0:
            call @started()
            jump block1
        block1:
            jump block1 @5
        }
        """);
    try (CompiledModule run = compile(m, c, new InstanceOptions().control(control)
        .bind("started", args -> {
          entered.countDown();
          return 0;
        }))) {
      Thread canceller = new Thread(() -> {
        try {
          entered.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        control.cancel();
      });
      canceller.start();
      TrapException e = assertThrows(TrapException.class, () -> run.call("spin"));
      canceller.join();
      assertEquals(TrapKind.CANCELLED, e.kind());
      assertEquals(5, e.position());
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void theCallDepthLimitCountsAsTheInterpretersDoThroughCallbacksToo(CallingConvention c) {
    Module m = new Module();
    CompiledModule[] self = new CompiledModule[1];
    JavaFunction again = m.importJava("again", Signature.of(List.of(Type.I64), Type.I64),
        args -> args[0] == 0 ? 100 : (Long) self[0].call("f", args[0] - 1) + 1);
    FunctionBuilder b = m.define("f", Signature.of(List.of(Type.I64), Type.I64));
    b.ret(b.call(again, b.param(0)));
    b.finish();
    self[0] = compile(m, c, new InstanceOptions().maxCallDepth(10));
    try (CompiledModule run = self[0]) {
      assertEquals(109L, run.call("f", 9L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("f", 10L));
      assertEquals("stack overflow in @f", e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void closingWhileCodeRunsThrowsAndTheModuleStaysUsable(CallingConvention c) {
    Module m = new Module();
    AtomicReference<CompiledModule> self = new AtomicReference<>();
    JavaFunction close = m.importJava("close", Signature.of(List.of(), Type.I64), args -> {
      self.get().close();
      return 1;
    });
    FunctionBuilder b = m.define("f", Signature.of(List.of(), Type.I64));
    b.ret(b.call(close));
    b.finish();
    self.set(compile(m, c, new InstanceOptions()));
    CompiledModule run = self.get();
    assertEquals("cannot close the compiled module while one of its functions runs",
        assertThrows(IllegalStateException.class, () -> run.call("f")).getMessage());
    run.close();
    assertEquals("the instance is closed",
        assertThrows(IllegalStateException.class, () -> run.call("f")).getMessage());
    run.close(); // idempotent
  }

  @Test
  void statisticsAndThePerfMapDescribeTheCode() throws java.io.IOException {
    Module m = IrParser.parse("""
        function @perf_map_probe(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = imul v0, v1
            return v2
        }
        """);
    try (CompiledModule run = Backend.compile(m, new CompileOptions().perfMap(true))) {
      assertEquals(42L, run.call("perf_map_probe", 14L));
      CompileStatistics s = run.statistics();
      assertEquals(1, s.functions());
      assertEquals(3, s.instructions());
      assertEquals(0, s.spilledValues());
      assertTrue(s.codeBytes() > 0 && s.lowerNanos() > 0 && s.installNanos() > 0, s.toString());
    }
    java.nio.file.Path map = java.nio.file.Path.of(
        "/tmp/perf-" + ProcessHandle.current().pid() + ".map");
    assertTrue(java.nio.file.Files.readAllLines(map).stream()
        .anyMatch(l -> l.matches("[0-9a-f]+ [0-9a-f]+ kiln-ir:@perf_map_probe")), map.toString());
  }

  @Test
  void twoModulesMayCallEachOtherThroughCallbacks() {
    CompiledModule[] modules = new CompiledModule[2];
    Module a = IrParser.parse("""
        import @to_b(i64) -> i64
        function @g(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = call @to_b(v2)
            v4 = iadd v3, v1
            return v4
        block2:
            return v0
        }
        """);
    Module b = IrParser.parse("""
        import @to_a(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @to_a(v0)
            return v1
        }
        """);
    modules[0] = Backend.compile(a, new CompileOptions(), new InstanceOptions()
        .bind("to_b", args -> (Long) modules[1].call("f", args[0])));
    modules[1] = Backend.compile(b, new CompileOptions(), new InstanceOptions()
        .bind("to_a", args -> (Long) modules[0].call("g", args[0])));
    try (CompiledModule first = modules[0]; CompiledModule second = modules[1]) {
      assertEquals(50L, org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          Duration.ofSeconds(20), () -> first.call("g", 50L)));
      assertEquals(7L, second.call("f", 7L));
    }
  }

  @Test
  void callbacksNestedBeyondTheNativeStackTrapInsteadOfCrashing() {
    // Each level's Java frames take native stack the depth limit does not count: the rsp check
    // in the prologue ends the recursion with a trap long before the limit of 100,000 frames.
    Module m = new Module();
    CompiledModule[] self = new CompiledModule[1];
    JavaFunction again = m.importJava("again", Signature.of(List.of(Type.I64), Type.I64),
        args -> args[0] == 0 ? 0 : (Long) self[0].call("f", args[0] - 1) + 1);
    FunctionBuilder b = m.define("f", Signature.of(List.of(Type.I64), Type.I64));
    b.ret(b.call(again, b.param(0)));
    b.finish();
    self[0] = Backend.compile(m, new CompileOptions());
    try (CompiledModule run = self[0]) {
      assertEquals(1000L, run.call("f", 1000L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("f", 99_000L));
      assertEquals(TrapKind.STACK_OVERFLOW, e.kind());
      assertEquals(42L, run.call("f", 42L)); // and the module goes on working
    }
  }

  @Test
  void aBatchMakesItsCallsOnTheRunnerThread() {
    Module m = IrParser.parse("""
        function @inc(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iadd v0, v1
            return v2
        }
        """);
    CompiledModule run = Backend.compile(m, new CompileOptions());
    long result = run.batch(() -> {
      long x = 0;
      for (int i = 0; i < 10_000; i++) {
        x = run.callRaw("inc", x);
      }
      return x + run.batch(() -> (Long) run.call("inc", 1L));
    });
    assertEquals(10_002L, result);
    IllegalStateException thrown = new IllegalStateException("from the batch");
    assertSame(thrown, assertThrows(IllegalStateException.class, () -> run.batch(() -> {
      throw thrown;
    })));
    run.close();
    assertEquals("the instance is closed",
        assertThrows(IllegalStateException.class, () -> run.batch(() -> 1)).getMessage());
  }

  @Test
  void misuseGetsClearExceptions() {
    Module m = IrParser.parse("""
        import @needed(i64)
        function @f(f64) -> f64 {
        block0(v0: f64):
            v1 = fsqrt v0
            return v1
        }
        """);
    assertEquals("import @needed is not bound",
        assertThrows(IllegalArgumentException.class,
            () -> Backend.compile(m, new CompileOptions())).getMessage());
    CompiledModule run = Backend.compile(m, new CompileOptions(),
        new InstanceOptions().bind("needed", a -> 0));
    assertEquals(1.5, run.call("f", 2.25));
    assertEquals("argument 0 of @f must be a Double, not 2",
        assertThrows(IllegalArgumentException.class, () -> run.call("f", 2L)).getMessage());
    assertEquals("@f takes 1 arguments, not 0",
        assertThrows(IllegalArgumentException.class, () -> run.call("f")).getMessage());
    assertEquals("@f takes 1 arguments, not 2",
        assertThrows(IllegalArgumentException.class, () -> run.callRaw("f", 1, 2)).getMessage());
    assertEquals("the module defines no function @needed",
        assertThrows(IllegalArgumentException.class, () -> run.call("needed", 1L)).getMessage());
    run.close();
    assertEquals("the instance is closed",
        assertThrows(IllegalStateException.class, () -> run.call("f", 1.0)).getMessage());
    Module invalid = IrParser.parse("function @g() -> i64 {\nblock0:\n    return\n}\n");
    assertThrows(IrVerificationException.class,
        () -> Backend.compile(invalid, new CompileOptions()));
  }

  @Test
  void eightThreadsCompileAndRunModulesAtOnce() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      long k = t;
      threads.add(new Thread(() -> {
        try {
          for (int round = 0; round < 20; round++) {
            Module m = IrParser.parse("""
                function @sum(i64) -> i64 {
                block0(v0: i64):
                    v1 = iconst 0
                    jump block1(v0, v1)
                block1(v2: i64, v3: i64):
                    brif v2, block2, block3
                block2:
                    v4 = iadd v3, v2
                    v5 = iconst 1
                    v6 = isub v2, v5
                    jump block1(v6, v4)
                block3:
                    return v3
                }
                """);
            CallingConvention c = conventions().get((int) (k + round) % 2);
            try (CompiledModule run = compile(m, c, new InstanceOptions())) {
              long n = 1000 * k + round;
              assertEquals(n * (n + 1) / 2, run.call("sum", n));
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures);
  }
}
