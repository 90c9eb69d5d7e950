package dev.kiln.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The program's standard output: a character buffer that formats values itself (no String per
 * int) and is flushed at exit and before any error message, so output printed before an error
 * stays printed.
 */
public final class Output {
  private static final char[] TRUE = "true".toCharArray();
  private static final char[] FALSE = "false".toCharArray();
  private static final char[] LONG_MIN = Long.toString(Long.MIN_VALUE).toCharArray();

  private final Writer sink;
  private final char[] buffer = new char[1 << 14];
  private int count;

  public Output(Writer sink) {
    this.sink = sink;
  }

  /** Writes {@code v} in decimal. */
  public void printInt(long v) {
    if (v == Long.MIN_VALUE) {
      printText(LONG_MIN);
      return;
    }
    reserve(20);
    if (v < 0) {
      buffer[count++] = '-';
      v = -v;
    }
    int end = count + digits(v);
    int at = end;
    do {
      buffer[--at] = (char) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    count = end;
  }

  /** Writes {@code v} exactly as Java's {@link Double#toString(double)} does. */
  public void printFloat(double v) {
    printText(Double.toString(v).toCharArray());
  }

  public void printBool(boolean v) {
    printText(v ? TRUE : FALSE);
  }

  /** Writes text as is (a string literal, escapes already processed). */
  public void printText(char[] text) {
    if (text.length > buffer.length) {
      flushBuffer();
      write(text, text.length);
      return;
    }
    reserve(text.length);
    System.arraycopy(text, 0, buffer, count, text.length);
    count += text.length;
  }

  /** Ends one argument of {@code print}: a space between arguments, a newline after the last. */
  public void separator(boolean last) {
    reserve(1);
    buffer[count++] = last ? '\n' : ' ';
  }

  /** Writes everything buffered through to the sink. */
  public void flush() {
    flushBuffer();
    try {
      sink.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int digits(long v) {
    int n = 1;
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  private void reserve(int n) {
    if (count + n > buffer.length) {
      flushBuffer();
    }
  }

  private void flushBuffer() {
    write(buffer, count);
    count = 0;
  }

  private void write(char[] chars, int n) {
    try {
      sink.write(chars, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
