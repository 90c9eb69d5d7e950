package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
  @Test
  void javaAndGeneratedCodeShareTheMemory() {
    try (NativeMemory memory = NativeMemory.allocate(100);
        CodeCache cache = new CodeCache()) {
      assertEquals(Shim.pageSize(), memory.size(), "rounded up to a page");
      ByteBuffer buffer = memory.buffer();
      assertEquals(ByteOrder.nativeOrder(), buffer.order());
      assertEquals(memory.size(), buffer.capacity());
      assertEquals(0, buffer.getLong(8), "fresh memory is zeroed");
      buffer.putLong(0, 1234);
      InstalledCode f =
          cache.install(TestCode.loadAndStore(CallingConvention.host()), Signature.longs(1));
      assertEquals(1234, f.invoke1(memory.address()));
      assertEquals(42, buffer.getLong(8));
      assertEquals(42, memory.buffer().getLong(8), "every view sees the same memory");
    }
  }

  @Test
  void aClosedRegionRefusesNewAccessButOldViewsStaySafe() {
    NativeMemory memory = NativeMemory.allocate(4096);
    ByteBuffer view = memory.buffer();
    view.putLong(0, 99);
    memory.close();
    memory.close(); // idempotent
    assertFalse(memory.isOpen());
    assertThrows(IllegalStateException.class, memory::address);
    assertThrows(IllegalStateException.class, memory::buffer);
    view.putLong(0, 7); // still mapped while the view is reachable: no crash
    assertEquals(7, view.getLong(0));
  }
}
