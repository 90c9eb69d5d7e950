package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated code calling back into Java through the upcall helper. */
class UpcallTest {
  private final CodeCache cache = new CodeCache();

  @AfterEach
  void close() {
    cache.close();
  }

  static Iterable<CallingConvention> conventions() {
    return CallTest.conventions();
  }

  /** Code that passes its three arguments to the upcall helper {@code times} times. */
  private InstalledCode upcaller(CallingConvention cc, int times) {
    byte[] code = TestCode.callOut(cc, HostFunction.UPCALL.address(cc), times);
    return cache.install(new CodeCache.Function(code, Signature.longs(3), cc));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void theHandlerSeesTheArgumentsAndItsResultReturnsToJava(CallingConvention cc) {
    InstalledCode f = upcaller(cc, 1);
    assertEquals(1_230 + 45 - 6, f.invokeWithUpcall((a, b, c) -> a * 10 + b - c, 123, 45, 6));
  }

  /**
   * A handle that nothing else refers to stays reachable until its call returns: collections
   * inside the first upcall must not let its Cleaner release the pages the code returns into
   * (and makes its second upcall from). The handle is only the receiver of the invoke.
   */
  @ParameterizedTest
  @MethodSource("conventions")
  void aHandleStaysReachableWhileItsCodeRuns(CallingConvention cc) {
    InstalledCode warm = upcaller(cc, 1);
    for (int i = 0; i < 20_000; i++) { // so that HotSpot compiles the invoke, as in a long run
      warm.invokeWithUpcall((a, b, c) -> a, i, 0, 0);
    }
    WeakReference<InstalledCode> handle = new WeakReference<>(upcaller(cc, 2));
    AtomicInteger calls = new AtomicInteger();
    boolean[] reachable = new boolean[1];
    long result = handle.get().invokeWithUpcall(
        (a, b, c) -> {
          if (calls.incrementAndGet() > 1) {
            return 42; // the second upcall's result is the call's
          }
          for (int i = 0; i < 3; i++) {
            System.gc();
          }
          reachable[0] = handle.get() != null;
          return 0;
        },
        1, 2, 3);
    assertEquals(42, result);
    assertEquals(2, calls.get());
    assertTrue(reachable[0], "the handle was collected while its code ran");
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void aThrowingHandlerFailsTheUpcallAndItsExceptionReachesTheInvoker(CallingConvention cc) {
    InstalledCode f = upcaller(cc, 2);
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException thrown = new IllegalStateException("handler failed");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                f.invokeWithUpcall(
                    (a, b, c) -> {
                      calls.incrementAndGet();
                      throw thrown;
                    },
                    1,
                    2,
                    3));
    assertSame(thrown, e);
    assertEquals(1, calls.get(), "the second upcall returns FAILED without calling Java");
    // The thread is clean afterwards: the next upcall works.
    assertEquals(6, upcaller(cc, 1).invokeWithUpcall((a, b, c) -> a + b + c, 1, 2, 3));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void theFailureValueIsReservedForTheRuntime(CallingConvention cc) {
    InstalledCode f = upcaller(cc, 1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> f.invokeWithUpcall((a, b, c) -> Upcall.FAILED, 0, 0, 0));
    assertEquals(
        "Upcall handler returned Long.MIN_VALUE, the value reserved to signal a failed upcall to"
            + " generated code",
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void upcallsNestWhenAHandlerRunsGeneratedCodeItself(CallingConvention cc) {
    InstalledCode f = upcaller(cc, 1);
    long result =
        f.invokeWithUpcall(
            (a, b, c) -> a == 0 ? c : f.invokeWithUpcall((x, y, z) -> x + 100, 7, 0, 0) + b,
            0,
            20,
            3);
    assertEquals(3, result, "outer handler sees its own frame first");
    long nested =
        f.invokeWithUpcall(
            (a, b, c) -> f.invokeWithUpcall((x, y, z) -> x + 100, 7, 0, 0) + b, 1, 20, 3);
    assertEquals(127, nested, "inner handler answers the inner call, outer resumes after");
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void anUpcallWithoutAHandlerThrowsFromThePlainInvoke(CallingConvention cc) {
    InstalledCode f = upcaller(cc, 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.invoke(1, 2, 3));
    assertEquals(
        "generated code called the upcall helper without a handler: run it with"
            + " InstalledCode.invokeWithUpcall",
        e.getMessage());
    assertEquals(6, f.invokeWithUpcall((a, b, c) -> a + b + c, 1, 2, 3), "the thread is clean");
  }

  /**
   * HotSpot's JNI functions fault on a stack that breaks the ABI's alignment, so the helper
   * refuses the upcall before calling Java: the handler never runs, a second upcall of the same
   * call fails at once too, and the invoke throws.
   */
  @ParameterizedTest
  @MethodSource("conventions")
  void anUpcallFromAMisalignedStackThrowsInsteadOfCrashingTheJvm(CallingConvention cc) {
    byte[] code = TestCode.callOutMisaligned(cc, HostFunction.UPCALL.address(cc), 2);
    InstalledCode f = cache.install(new CodeCache.Function(code, Signature.longs(3), cc));
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> f.invokeWithUpcall((a, b, c) -> calls.incrementAndGet(), 1, 2, 3));
    assertEquals(
        "upcall from a misaligned stack (rsp % 16 == 8 at the call): generated code must keep rsp"
            + " 16-byte aligned at every call",
        e.getMessage());
    assertEquals(0, calls.get(), "the handler never ran");
    assertEquals(6, upcaller(cc, 1).invokeWithUpcall((a, b, c) -> a + b + c, 1, 2, 3));
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void anUpcallFromAMisalignedStackWithoutAHandlerThrowsToo(CallingConvention cc) {
    // Reported through JNI on the helper's realigned stack, which an MSVC-built shim lacks.
    assumeFalse(Platform.host().isWindows(), "the Windows shim may be built with MSVC");
    byte[] code = TestCode.callOutMisaligned(cc, HostFunction.UPCALL.address(cc), 1);
    InstalledCode f = cache.install(new CodeCache.Function(code, Signature.longs(3), cc));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.invoke(1, 2, 3));
    assertEquals(
        "upcall from a misaligned stack (rsp % 16 == 8 at the call) and without a handler:"
            + " generated code must keep rsp 16-byte aligned at every call and be run with"
            + " InstalledCode.invokeWithUpcall",
        e.getMessage());
  }
}
