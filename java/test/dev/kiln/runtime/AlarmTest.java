package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AlarmTest {
  @Test
  void raisesTheFlagAfterTheDelay() throws InterruptedException {
    try (NativeMemory memory = NativeMemory.allocate(64)) {
      ByteBuffer flags = memory.buffer();
      long start = System.nanoTime();
      try (Alarm alarm = Alarm.raise(flags, 8, 50_000_000L)) {
        assertEquals(0, flags.get(8), "not before the delay");
        while (flags.get(8) == 0) {
          assertTrue(System.nanoTime() - start < 5_000_000_000L, "the alarm never rang");
          Thread.sleep(1);
        }
        assertTrue(System.nanoTime() - start >= 50_000_000L, "rang early");
        assertEquals(0, flags.get(7) + flags.get(9), "only its own byte");
      }
    }
  }

  @Test
  void closingBeforeTheDelayCancelsIt() throws InterruptedException {
    ByteBuffer flags = ByteBuffer.allocate(1);
    Alarm.raise(flags, 0, 30_000_000L).close();
    Thread.sleep(100);
    assertEquals(0, flags.get(0));
  }

  @Test
  void noneNeverRings() {
    Alarm.NONE.close();
  }

  @Test
  void aFlagOutsideTheBufferIsRejected() {
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> Alarm.raise(ByteBuffer.allocate(4), 4, 0));
    assertEquals("flag offset 4 is outside the buffer of 4 bytes", e.getMessage());
  }
}
