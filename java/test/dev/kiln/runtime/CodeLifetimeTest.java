package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Code that other installed code calls by address stays installed while a caller is: the address
 * a JIT keeps in generated code or in a call table never outlives the code it points to, however
 * the callee's own handle goes (closed, or collected with its Cleaner).
 */
class CodeLifetimeTest {
  private static final Signature NO_ARGUMENTS = Signature.longs(0);

  private final CodeCache cache = new CodeCache();

  @AfterEach
  void close() {
    cache.close();
  }

  /** What a JIT keeps of a callee after dropping its handle: the address and nothing else. */
  private record Forgotten(
      long address, CodeAllocation pages, WeakReference<InstalledCode> handle) {
    /** Collects until the handle is gone and its Cleaner has released it. */
    void awaitRelease() throws InterruptedException {
      for (int i = 0; i < 500 && (handle.get() != null || pages.handles > 0); i++) {
        System.gc();
        Thread.sleep(10);
      }
      assertTrue(handle.get() == null && pages.handles == 0, "the callee's handle was released");
    }
  }

  private Forgotten forgottenCallee(InstalledCode[] handoff, int value) {
    InstalledCode callee = cache.install(TestCode.constant(value), NO_ARGUMENTS);
    handoff[0] = callee;
    return new Forgotten(callee.address(), callee.allocation(), new WeakReference<>(callee));
  }

  @Test
  void aCalleeWhoseHandleWasCollectedStaysCallableThroughItsCaller() throws InterruptedException {
    InstalledCode[] handoff = new InstalledCode[1];
    Forgotten callee = forgottenCallee(handoff, 42);
    InstalledCode caller =
        cache.install(TestCode.jumpTo(callee.address()), NO_ARGUMENTS, handoff[0]);
    handoff[0] = null;
    callee.awaitRelease();
    assertEquals(42, caller.invoke0());
    assertTrue(callee.pages().live);
    caller.close();
    assertFalse(callee.pages().live, "the callee is freed with its last caller");
  }

  @Test
  void aCallTableFilledAfterInstallKeepsItsCalleeThroughAddCallee() throws InterruptedException {
    CallingConvention cc = CallingConvention.host();
    InstalledCode caller =
        cache.install(TestCode.jumpThroughTable(cc), Signature.longs(1));
    InstalledCode[] handoff = new InstalledCode[1];
    Forgotten callee = forgottenCallee(handoff, 7);
    caller.addCallee(handoff[0]);
    handoff[0] = null;
    try (NativeMemory table = NativeMemory.allocate(8)) {
      table.buffer().putLong(0, callee.address());
      callee.awaitRelease();
      assertEquals(7, caller.invoke1(table.address()));
    }
  }

  @Test
  void closingACalleeThatLiveCodeCallsClosesTheHandleAndDefersTheFree() {
    InstalledCode callee = cache.install(TestCode.constant(5), NO_ARGUMENTS);
    InstalledCode caller = cache.install(TestCode.jumpTo(callee.address()), NO_ARGUMENTS, callee);
    callee.close();
    assertFalse(callee.isOpen());
    IllegalStateException e = assertThrows(IllegalStateException.class, callee::invoke0);
    assertTrue(e.getMessage().endsWith("it can no longer be invoked"), e.getMessage());
    assertThrows(IllegalStateException.class, callee::address);
    assertEquals(5, caller.invoke0(), "the code stays while its caller is installed");
    assertTrue(callee.allocation().live);
    caller.close();
    assertFalse(callee.allocation().live);
  }

  @Test
  void codeThatCallsItselfBackIsFreedOnceNoOpenHandleReachesIt() {
    InstalledCode even = cache.install(TestCode.constant(0), NO_ARGUMENTS);
    InstalledCode odd = cache.install(TestCode.constant(1), NO_ARGUMENTS);
    even.addCallee(odd);
    odd.addCallee(even);
    even.close();
    assertTrue(even.allocation().live, "odd still calls it");
    assertEquals(1, odd.invoke0());
    odd.close();
    assertFalse(even.allocation().live);
    assertFalse(odd.allocation().live);
  }

  @Test
  void functionsInstalledTogetherKeepTheirCalleesAsAUnit() {
    InstalledCode callee = cache.install(TestCode.constant(3), NO_ARGUMENTS);
    byte[] jump = TestCode.jumpTo(callee.address());
    List<InstalledCode> module =
        cache.installAll(
            List.of(
                new CodeCache.Function(
                    jump, NO_ARGUMENTS, CallingConvention.host(), List.of(callee)),
                new CodeCache.Function(TestCode.constant(4), NO_ARGUMENTS)));
    callee.close();
    assertEquals(3, module.get(0).invoke0());
    module.get(0).close();
    assertTrue(callee.allocation().live, "the module's other handle keeps it, and its callee");
    module.get(1).close();
    assertFalse(callee.allocation().live);
  }

  @Test
  void aCalleeMustBeOpenAndInTheSameCache() {
    InstalledCode closed = cache.install(TestCode.constant(1), NO_ARGUMENTS);
    closed.close();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> cache.install(TestCode.jumpTo(0), NO_ARGUMENTS, closed));
    assertTrue(e.getMessage().startsWith("the installed code at 0x"), e.getMessage());
    InstalledCode caller = cache.install(TestCode.constant(2), NO_ARGUMENTS);
    assertThrows(IllegalStateException.class, () -> caller.addCallee(closed));
    try (CodeCache other = new CodeCache()) {
      InstalledCode foreign = other.install(TestCode.constant(3), NO_ARGUMENTS);
      IllegalArgumentException wrongCache =
          assertThrows(IllegalArgumentException.class, () -> caller.addCallee(foreign));
      assertEquals(
          "cannot depend on " + foreign + ": it is installed in another code cache",
          wrongCache.getMessage());
    }
    caller.close();
    InstalledCode open = cache.install(TestCode.constant(4), NO_ARGUMENTS);
    assertThrows(IllegalStateException.class, () -> caller.addCallee(open));
  }

  @Test
  void closingTheCacheFreesCallersAndCalleesAlike() {
    InstalledCode callee = cache.install(TestCode.constant(6), NO_ARGUMENTS);
    InstalledCode caller = cache.install(TestCode.jumpTo(callee.address()), NO_ARGUMENTS, callee);
    cache.close();
    assertThrows(IllegalStateException.class, caller::invoke0);
    assertFalse(callee.allocation().live);
  }
}
