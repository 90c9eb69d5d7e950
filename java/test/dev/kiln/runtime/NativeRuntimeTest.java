package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link NativeRuntime#loadInBackground}: memory and code work as before, however often it is
 * called. (A failed load still reaches the first use: RunFallbackTest runs the CLI, which calls
 * it, with a missing library.)
 */
class NativeRuntimeTest {
  @Test
  void memoryAndCodeWorkAfterItAsBefore() {
    NativeRuntime.loadInBackground();
    NativeRuntime.loadInBackground();
    try (NativeMemory m = NativeMemory.allocate(4096)) {
      m.buffer().putLong(0, 42);
      assertEquals(42, m.buffer().getLong(0));
    }
    byte[] increment = {0x48, (byte) 0x8d, 0x47, 0x01, (byte) 0xc3}; // lea rax, [rdi+1]; ret
    try (CodeCache cache = new CodeCache()) {
      InstalledCode code = cache.install(
          new CodeCache.Function(increment, Signature.longs(1), CallingConvention.SYSTEM_V));
      assertEquals(8L, code.invoke1(7L));
    }
  }
}
