package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.IrVerificationException;
import dev.kiln.ir.JavaCallback;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Type;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An instance's contract with its Java host (calls, callbacks, memories, limits, misuse), the
 * same in every engine of {@link Engines}: the interpreter and compiled code in both
 * conventions.
 */
class InstanceContractTest {
  private static final String ENDLESS = """
      function @spin() {
      block0:
          jump block1
      block1:
          jump block1 @5
      }
      """;

  static List<String> engines() {
    return Engines.names();
  }

  private static Instance instantiate(String engine, Module m, InstanceOptions options) {
    return Engines.ALL.get(engine).apply(m, options);
  }

  @ParameterizedTest
  @MethodSource("engines")
  void javaCallbacksGetTheirArgumentsAndReturnTheirResult(String engine) {
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
    try (Instance run = instantiate(engine, m, new InstanceOptions())) {
      assertEquals(4.5, run.call("f", 1.5));
    }
    assertEquals(List.of("3 1.5 -1"), calls);
  }

  @ParameterizedTest
  @MethodSource("engines")
  void anExceptionOfACallbackPropagatesUnchangedAfterEarlierSideEffects(String engine) {
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
    try (Instance run = instantiate(engine, m, new InstanceOptions().bind("fail", args -> {
      throw thrown;
    }))) {
      assertSame(thrown, assertThrows(IllegalStateException.class, () -> run.call("f", 7L)));
      assertEquals(7, run.memory("m").getLong(0));
      // the instance stays usable after the failed call
      assertSame(thrown, assertThrows(IllegalStateException.class, () -> run.call("f", 8L)));
      assertEquals(8, run.memory("m").getLong(0));
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aMemoryCanBeTheHostsBuffer(String engine) {
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
    try (Instance run = instantiate(engine, m, new InstanceOptions().memory("tape", tape))) {
      run.call("bump", 3L);
      assertEquals(42, tape.get(3));
      run.call("bump", 3L);
      assertEquals(43, run.memory("tape").get(3));
      TrapException e = assertThrows(TrapException.class, () -> run.call("bump", 16L));
      assertEquals("memory access out of bounds at address 16 (memory of 16 bytes) in @bump",
          e.getMessage());
    }
    assertEquals("the buffer for memory $tape has 8 bytes, fewer than its 16",
        assertThrows(IllegalArgumentException.class, () -> instantiate(engine, m,
            new InstanceOptions().memory("tape", ByteBuffer.allocateDirect(8)))).getMessage());
    assertEquals("memory $tape needs a direct ByteBuffer",
        assertThrows(IllegalArgumentException.class,
            () -> new InstanceOptions().memory("tape", ByteBuffer.allocate(16))).getMessage());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void anEndlessLoopStopsAtTheTimeLimit(String engine) {
    // the limit counts from its creation, before compiling: long enough for a loaded machine
    // to compile the loop, so that the poll on its back edge is the one that traps
    try (Instance run = instantiate(engine, IrParser.parse(ENDLESS),
        new InstanceOptions().control(RunControl.withTimeLimit(Duration.ofSeconds(1))))) {
      long start = System.nanoTime();
      TrapException e = assertThrows(TrapException.class, () -> run.call("spin"));
      assertEquals(TrapKind.TIME_LIMIT, e.kind());
      assertEquals("time limit exceeded in @spin at position 5", e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void anEndlessCountingLoopStopsAtTheTimeLimitAtItsConditionalBackEdge(String engine) {
    String counting = """
        function @count(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1)
        block1(v2: i64):
            v3 = iconst 1
            v4 = iadd v2, v3
            v5 = icmp ne v4, v0 @3
            brif v5, block1(v4), block2 @7
        block2:
            return v4
        }
        """;
    try (Instance run = instantiate(engine, IrParser.parse(counting),
        new InstanceOptions().control(RunControl.withTimeLimit(Duration.ofSeconds(1))))) {
      assertEquals(1000L, run.call("count", 1000L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("count", 0L));
      assertEquals(TrapKind.TIME_LIMIT, e.kind());
      assertEquals("time limit exceeded in @count at position 7", e.getMessage());
    }
  }

  /** fib, whose recursion without loops polls only at its entry; fib(200) would never end. */
  private static final String FIB = """
      function @fib(i64) -> i64 @9 {
      block0(v0: i64):
          v1 = iconst 2
          v2 = icmp slt v0, v1
          brif v2, block1, block2
      block1:
          return v0
      block2:
          v3 = iconst 1
          v4 = isub v0, v3
          v5 = call @fib(v4)
          v6 = isub v0, v1
          v7 = call @fib(v6)
          v8 = iadd v5, v7
          return v8
      }
      """;

  @ParameterizedTest
  @MethodSource("engines")
  void anEndlessRecursionWithoutLoopsStopsAtTheTimeLimitAtAFunctionEntry(String engine) {
    try (Instance run = instantiate(engine, IrParser.parse(FIB),
        new InstanceOptions().control(RunControl.withTimeLimit(Duration.ofSeconds(1))))) {
      assertEquals(55L, run.call("fib", 10L));
      long start = System.nanoTime();
      TrapException e = assertThrows(TrapException.class, () -> run.call("fib", 200L));
      assertEquals("time limit exceeded in @fib at position 9", e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
      assertEquals(55L, run.call("fib", 10L)); // the next run starts with the limit restored
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aDeadlineIsOneForEveryRunAndStopsEachOnceItHasPassed(String engine) {
    // unlike a time limit, a deadline does not start again with each run
    try (Instance run = instantiate(engine, IrParser.parse(FIB), new InstanceOptions()
        .control(RunControl.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(1))))) {
      assertEquals(55L, run.call("fib", 10L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("fib", 200L));
      assertEquals("time limit exceeded in @fib at position 9", e.getMessage());
      e = assertThrows(TrapException.class, () -> run.call("fib", 10L));
      assertEquals(TrapKind.TIME_LIMIT, e.kind());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aRunCancelledBeforeItStartsTrapsAtItsEntryAndADeepOneStillOverflows(String engine) {
    RunControl control = new RunControl();
    try (Instance run = instantiate(engine, IrParser.parse(FIB),
        new InstanceOptions().control(control).maxCallDepth(3))) {
      // the prologue's stack check is the entry poll: an overflow is still an overflow
      assertEquals(TrapKind.STACK_OVERFLOW,
          assertThrows(TrapException.class, () -> run.call("fib", 10L)).kind());
      control.cancel();
      TrapException e = assertThrows(TrapException.class, () -> run.call("fib", 1L));
      assertEquals("cancelled in @fib at position 9", e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aTimeLimitCountsFromTheStartOfEachRun(String engine) throws InterruptedException {
    Module m = IrParser.parse(ENDLESS + """
        function @quick() -> i64 {
        block0:
            v0 = iconst 7
            return v0
        }
        """);
    // a limit long enough that a loaded machine does not stall a quick run past it
    RunControl control = RunControl.withTimeLimit(Duration.ofMillis(250));
    try (Instance run = instantiate(engine, m, new InstanceOptions().control(control))) {
      Thread.sleep(500);
      assertEquals(7L, run.call("quick"));
      assertEquals(TrapKind.TIME_LIMIT,
          assertThrows(TrapException.class, () -> run.call("spin")).kind());
      assertEquals(7L, run.call("quick"));
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void anotherThreadCanCancelARun(String engine) throws InterruptedException {
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
    try (Instance run = instantiate(engine, m, new InstanceOptions().control(control)
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

  /** {@code down(n)} recurses n deep: n + 1 frames of one level each. */
  static final String DOWN = """
      function @down(i64) -> i64 {
      block0(v0: i64):
          brif v0, block1, block2
      block1:
          v1 = iconst 1
          v2 = isub v0, v1
          v3 = call @down(v2) @8
          return v3
      block2:
          return v0
      }
      """;

  @ParameterizedTest
  @MethodSource("engines")
  void theCallDepthLimitIsAnOption(String engine) {
    try (Instance run = instantiate(engine, IrParser.parse(DOWN),
        new InstanceOptions().maxCallDepth(10))) {
      assertEquals(0L, run.call("down", 9L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("down", 10L));
      assertEquals("stack overflow in @down at position 8", e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aCallbackMayCallBackInAndTheCallDepthCountsThroughIt(String engine) {
    Module m = new Module();
    Instance[] self = new Instance[1];
    JavaFunction again = m.importJava("again", Signature.of(List.of(Type.I64), Type.I64),
        args -> args[0] == 0 ? 100 : (Long) self[0].call("f", args[0] - 1) + 1);
    FunctionBuilder b = m.define("f", Signature.of(List.of(Type.I64), Type.I64));
    b.ret(b.call(again, b.param(0)));
    b.finish();
    self[0] = instantiate(engine, m, new InstanceOptions().maxCallDepth(10));
    try (Instance run = self[0]) {
      assertEquals(109L, run.call("f", 9L));
      TrapException e = assertThrows(TrapException.class, () -> run.call("f", 10L));
      assertEquals("stack overflow in @f", e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aCallbackIntoAnotherInstanceLeavesEachRunItsOwnMemory(String engine) {
    // each run addresses its own memory before and after a callback that runs another instance
    // (with another memory) and that instance again, nested
    Module m = IrParser.parse("""
        memory $tape 16
        import @again(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $tape [v0]
            v2 = iconst 1
            v3 = iadd v1, v2
            store.i8 v3, $tape [v0]
            v4 = call @again(v0)
            v5 = load.u8 $tape [v0]
            v6 = iconst 100
            v7 = imul v4, v6
            v8 = iadd v5, v7
            return v8
        }
        """);
    Instance[] inner = new Instance[1];
    JavaCallback again =
        args -> args[0] == 0 ? 0L : (Long) inner[0].call("f", args[0] - 1);
    try (Instance in = instantiate(engine, m, new InstanceOptions().bind("again", again));
        Instance out = instantiate(engine, m, new InstanceOptions().bind("again", again))) {
      inner[0] = in;
      for (int i = 0; i < 16; i++) {
        out.memory("tape").put(i, (byte) (5 * i));
      }
      assertEquals(16 + 100 * (1 + 100 * (1 + 100 * 1)), (Long) out.call("f", 3L));
      for (int i = 0; i < 16; i++) {
        assertEquals(i == 3 ? 16 : 5 * i, out.memory("tape").get(i), "outer byte " + i);
        assertEquals(i < 3 ? 1 : 0, in.memory("tape").get(i), "inner byte " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void misuseGetsClearExceptions(String engine) {
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
            () -> instantiate(engine, m, new InstanceOptions())).getMessage());
    Instance run = instantiate(engine, m, new InstanceOptions().bind("needed", a -> 0));
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
        () -> instantiate(engine, invalid, new InstanceOptions()));
  }

  @ParameterizedTest
  @MethodSource("engines")
  void callRawPassesBitsUnboxed(String engine) {
    Module m = IrParser.parse("""
        function @neg(f64) -> f64 {
        block0(v0: f64):
            v1 = fneg v0
            return v1
        }
        """);
    try (Instance run = instantiate(engine, m, new InstanceOptions())) {
      assertEquals(0xfff0000000000001L, run.callRaw("neg", 0x7ff0000000000001L));
    }
  }
}
