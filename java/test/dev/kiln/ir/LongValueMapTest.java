package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongValueMapTest {
  private static Value value(int id) {
    return new Value(null, Type.I64, id);
  }

  @Test
  void keepsWhatWasPutIncludingKeyZeroAndNegativeKeys() {
    LongValueMap map = new LongValueMap();
    Value zero = value(0);
    Value negative = value(1);
    map.put(0, zero);
    map.put(-1, negative);
    assertSame(zero, map.get(0));
    assertSame(negative, map.get(-1));
    assertNull(map.get(1));
  }

  @Test
  void aSecondPutReplaces() {
    LongValueMap map = new LongValueMap();
    Value first = value(0);
    Value second = value(1);
    map.put(7L << 32 | 3, first);
    map.put(7L << 32 | 3, second);
    assertSame(second, map.get(7L << 32 | 3));
  }

  @Test
  void agreesWithAHashMapThroughManyGrowths() {
    LongValueMap map = new LongValueMap();
    Map<Long, Value> expected = new HashMap<>();
    Random random = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      // (block, variable) keys as the builder makes them, blocks and variables both dense
      long key = (long) random.nextInt(2000) << 32 | random.nextInt(64);
      Value v = value(i);
      map.put(key, v);
      expected.put(key, v);
    }
    for (Map.Entry<Long, Value> e : expected.entrySet()) {
      assertSame(e.getValue(), map.get(e.getKey()));
    }
    assertNull(map.get(2000L << 32));
  }
}
