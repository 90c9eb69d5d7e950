package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misuse is reported with an exception and a clear message, never by a crash. */
class BadCallTest {
  private final CallingConvention host = CallingConvention.host();
  private final CodeCache cache = new CodeCache();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void invokingAClosedHandleThrows() {
    InstalledCode f = cache.install(TestCode.increment(host), Signature.longs(1));
    assertEquals(2, f.invoke1(1));
    f.close();
    f.close(); // idempotent
    assertFalse(f.isOpen());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.invoke1(1));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> f.invoke(1));
    assertThrows(IllegalStateException.class, f::address);
  }

  @Test
  void closingTheCacheClosesItsHandles() {
    InstalledCode f = cache.install(TestCode.increment(host), Signature.longs(1));
    cache.close();
    assertThrows(IllegalStateException.class, () -> f.invoke1(1));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> cache.install(TestCode.increment(host), Signature.longs(1)));
    assertEquals("the code cache is closed", e.getMessage());
  }

  @Test
  void aHandleSharingPagesStaysUsableWhenItsNeighbourCloses() {
    List<InstalledCode> fs =
        cache.installAll(
            List.of(
                new CodeCache.Function(TestCode.constant(1), Signature.longs(0)),
                new CodeCache.Function(TestCode.constant(2), Signature.longs(0))));
    fs.get(0).close();
    assertEquals(2, fs.get(1).invoke0());
    assertThrows(IllegalStateException.class, () -> fs.get(0).invoke0());
  }

  @Test
  void wrongArgumentCountOrTypeThrows() {
    InstalledCode f = cache.install(TestCode.increment(host), Signature.longs(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> f.invoke2(1, 2));
    assertEquals(
        "cannot call a function of type (long) -> long as (long, long) -> long", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> f.invoke());
    assertThrows(IllegalArgumentException.class, () -> f.invoke(1, 2, 3, 4, 5, 6, 7));
    assertThrows(IllegalArgumentException.class, () -> f.invokeForDouble(1));
    assertThrows(IllegalArgumentException.class, () -> f.invokeWithDoubles(1.0));
  }

  @Test
  void badSizesAndSignaturesThrow() {
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class, () -> cache.install(new byte[0], Signature.longs(0)));
    assertEquals("code size must be between 1 and 1073741824 bytes, got 0", empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Signature.longs(7));
    assertThrows(IllegalArgumentException.class, () -> Signature.doubles(-1));
    assertThrows(IllegalArgumentException.class, () -> cache.installAll(List.of()));
    assertThrows(NullPointerException.class, () -> cache.install(null, Signature.longs(0)));
    assertThrows(
        IllegalArgumentException.class, () -> new CodeCache(0, CodeCache.Mapping.SINGLE_VIEW));
  }

  @Test
  void hugeNativeMemoryIsRefusedBeforeTheOsIsAsked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.allocate(1L << 40));
    assertTrue(
        e.getMessage().startsWith("native memory size must be between 1 and"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NativeMemory.allocate(0));
  }

  @Test
  void theShimRejectsRangesItCannotHaveMapped() {
    // The public API never passes such values; the shim checks them anyway.
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shim.protectExecute(0, Shim.pageSize()));
    assertTrue(e.getMessage().contains("invalid address or size"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Shim.unmap(1, Shim.pageSize()));
    assertThrows(IllegalArgumentException.class, () -> Shim.mapReadWrite(0));
    NativeMemoryException os =
        assertThrows(NativeMemoryException.class, () -> Shim.mapReadWrite(1L << 60));
    assertTrue(os.getMessage().startsWith("mapping read-write memory of"), os.getMessage());
  }
}
