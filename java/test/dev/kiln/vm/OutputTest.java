package dev.kiln.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputTest {
  @Test
  void formatsValuesLikeLanguageMdSays() {
    StringWriter w = new StringWriter();
    Output out = new Output(w);
    out.printInt(Long.MIN_VALUE);
    out.separator(false);
    out.printInt(-120);
    out.separator(false);
    out.printFloat(1e10);
    out.separator(false);
    out.printFloat(-0.0);
    out.separator(false);
    out.printBool(true);
    out.separator(false);
    out.printText("a\tb".toCharArray());
    out.separator(true);
    assertEquals("", w.toString(), "nothing is written before a flush");
    out.flush();
    assertEquals("-9223372036854775808 -120 1.0E10 -0.0 true a\tb\n", w.toString());
  }

  @Test
  void intsPrintAsLongToStringDoesAtEveryLengthAndChunkBoundary() {
    List<Long> values = new ArrayList<>(List.of(0L, -0L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, (long) Integer.MAX_VALUE, 1L << 32, (1L << 32) - 1));
    for (long p = 1; p > 0; p *= 10) { // up to 10^18; 10^19 wraps negative
      for (long v : new long[] {p - 1, p, p + 1, 2 * p - 1}) {
        values.add(v);
        values.add(-v);
      }
    }
    Random random = new Random(20261124);
    for (int i = 0; i < 20_000; i++) {
      values.add(random.nextLong() >> random.nextInt(64)); // every magnitude, both signs
    }
    StringWriter w = new StringWriter();
    Output out = new Output(w);
    StringBuilder expected = new StringBuilder();
    for (long v : values) {
      out.printInt(v);
      out.separator(true);
      expected.append(v).append('\n');
    }
    out.flush();
    assertEquals(expected.toString(), w.toString());
  }

  @Test
  void longOutputSpansBufferFlushes() {
    StringWriter w = new StringWriter();
    Output out = new Output(w);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      out.printInt(i);
      out.separator(true);
      expected.append(i).append('\n');
    }
    out.flush();
    assertEquals(expected.toString(), w.toString());
  }
}
