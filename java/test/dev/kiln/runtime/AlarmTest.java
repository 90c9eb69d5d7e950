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
    // On a loaded machine this thread may stall between raise and close for longer than the
    // delay, and then the alarm rightly rings: the check counts only when close came in time,
    // with longer delays tried when it did not.
    for (long delayMillis = 50; delayMillis <= 3_200; delayMillis *= 4) {
      ByteBuffer flags = ByteBuffer.allocate(1);
      long start = System.nanoTime();
      Alarm.raise(flags, 0, delayMillis * 1_000_000L).close();
      if (System.nanoTime() - start < delayMillis * 500_000L) {
        Thread.sleep(2 * delayMillis);
        assertEquals(0, flags.get(0));
        return;
      }
    }
    throw new AssertionError("could not close an alarm within half its delay");
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
