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
  private static final long E9 = 1_000_000_000L;
  /** "00", "01", ..., "99": the two digits of each number below 100. */
  private static final char[] PAIRS = new char[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (char) ('0' + i / 10);
      PAIRS[2 * i + 1] = (char) ('0' + i % 10);
    }
  }

  private final Writer sink;
  private final char[] buffer = new char[1 << 14];
  private int count;

  public Output(Writer sink) {
    this.sink = sink;
  }

  /**
   * Writes {@code v} in decimal. At most two 64-bit divisions (by 10^9) split it into chunks below
   * 10^9, whose digits come two at a time from {@link #PAIRS}, dividing by 100 with a multiply
   * and a shift: printing must be fast in HotSpot's C1 code too, which compiles a division by a
   * constant to {@code idiv} (tens of cycles for 64 bits) where C2 multiplies, and the JIT mode
   * leaves its upcalls to C1 (see the launcher), so a digit-at-a-time loop would dominate a
   * program that prints many ints.
   */
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
    if (v < E9) {
      digits((int) v, length((int) v));
      return;
    }
    long high = v / E9;
    int low = (int) (v - high * E9);
    if (high < E9) {
      digits((int) high, length((int) high));
    } else {
      int top = (int) (high / E9); // at most 9: Long.MAX_VALUE < 10^19
      digits(top, 1);
      digits((int) (high - top * E9), 9);
    }
    digits(low, 9);
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

  /** The number of decimal digits of {@code x}, 0 <= x < 10^9. */
  private static int length(int x) {
    int n = 1;
    for (int p = 10; n < 9 && x >= p; p *= 10) {
      n++;
    }
    return n;
  }

  /** Appends the last {@code n} decimal digits of {@code x} (0 <= x < 10^9), zero-padded. */
  private void digits(int x, int n) {
    int at = count + n;
    while (at - count >= 2) {
      // x / 100 for every 0 <= x < 2^32: 0x51EB851F = ceil(2^37 / 100), the multiplier gcc uses
      // (Granlund and Montgomery, "Division by invariant integers using multiplication", 1994).
      int q = (int) ((x * 0x51EB851FL) >>> 37);
      int r = x - q * 100;
      buffer[--at] = PAIRS[2 * r + 1];
      buffer[--at] = PAIRS[2 * r];
      x = q;
    }
    if (at > count) {
      buffer[--at] = (char) ('0' + x);
    }
    count += n;
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
