package dev.kiln.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LimitsTest {
  @Test
  void aFrameTakesOneLevelPer32SlotsOrPartAtLeastOneAtMostAll() {
    assertEquals(1, Limits.frameLevels(0));
    assertEquals(1, Limits.frameLevels(1));
    assertEquals(1, Limits.frameLevels(32));
    assertEquals(2, Limits.frameLevels(33));
    assertEquals(48, Limits.frameLevels(1505));
    assertEquals(Limits.MAX_CALL_DEPTH, Limits.frameLevels(Integer.MAX_VALUE));
  }

  @Test
  void theLevelsBoundTheSlotsOfAChain() {
    assertEquals(3_200_000, Limits.MAX_STACK_SLOTS);
  }
}
