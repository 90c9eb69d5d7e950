package dev.kiln.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeadlineTest {
  @Test
  void aDeadlineExpiresWhenItsTimeHasPassed() throws InterruptedException {
    // ten seconds: not expired however loaded the machine is between these lines
    Deadline later = Deadline.after(10);
    assertFalse(later.expired());
    assertTrue(later.remainingNanos() > 0 && later.remainingNanos() <= 10_000_000_000L);
    Deadline d = Deadline.after(0.01);
    Thread.sleep(20);
    assertTrue(d.expired());
    assertTrue(d.remainingNanos() < 0);
  }

  /**
   * 1e12 s is 10^21 ns, which saturates to Long.MAX_VALUE nanoseconds: the sum with
   * System.nanoTime() wraps, and the comparisons, being differences, still see it centuries away.
   */
  @Test
  void aDeadlineCenturiesAwayDoesNotExpire() {
    for (double seconds : new double[] {3e8, 1e10, 1e12, 1e300, Double.MAX_VALUE}) {
      Deadline d = Deadline.after(seconds);
      assertFalse(d.expired(), seconds + " s");
      assertTrue(d.remainingNanos() > 2.9e17, seconds + " s");
    }
  }
}
