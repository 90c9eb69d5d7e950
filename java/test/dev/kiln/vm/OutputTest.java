package dev.kiln.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
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
