package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Type;
import dev.kiln.runtime.CallingConvention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only a compiled module does for its Java host: closing while it runs, statistics, modules
 * calling each other, deep callback nesting, batches, threads. What every engine does is
 * {@link InstanceContractTest}'s.
 */
class CompiledModuleTest {
  static List<CallingConvention> conventions() {
    return List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64);
  }

  private static CompiledModule compile(Module m, CallingConvention c, InstanceOptions o) {
    return Backend.compile(m, new CompileOptions().convention(c), o);
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
  void aCallWithinSomeLevelsOverflowsWhereItsCallerWouldHave() {
    // down(n) takes n + 1 frames of one level: as a caller that took 6 of the 10 levels
    // itself would find, only 4 are left to the call
    Module m = IrParser.parse(InstanceContractTest.DOWN);
    try (CompiledModule run = compile(m, CallingConvention.host(),
        new InstanceOptions().maxCallDepth(10))) {
      assertEquals(0L, run.callRawWithin(4, "down", 3));
      TrapException e = assertThrows(TrapException.class, () -> run.callRawWithin(4, "down", 4));
      assertEquals("stack overflow in @down at position 8", e.getMessage());
      e = assertThrows(TrapException.class, () -> run.callRawWithin(0, "down", 0));
      assertEquals(TrapKind.STACK_OVERFLOW, e.kind());
      // the instance's limit still holds for a caller that offers more
      assertEquals(0L, run.callRawWithin(1000, "down", 9));
      assertThrows(TrapException.class, () -> run.callRawWithin(1000, "down", 10));
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
