package dev.kiln.source;

import java.util.Arrays;

/**
 * A source file as both front ends (Kiln and Brainfuck) report positions in it: its name as given
 * on the command line, its text, line/column lookup, and the {@code FILE:LINE:COL} and caret
 * excerpt of a diagnostic. A line ends at {@code \n}, {@code \r\n} or a lone {@code \r}.
 */
public final class Source {
  /** Lines longer than this (in characters) are echoed only around the caret. */
  static final int MAX_EXCERPT_CHARS = 120;
  /** Characters kept on each side of the caret in a shortened line. */
  private static final int EXCERPT_CONTEXT = 50;
  private static final String ELLIPSIS = "...";

  private final String name;
  private final String text;
  private final int[] lineStarts;

  public Source(String name, String text) {
    this.name = name;
    this.text = text;
    int[] starts = new int[16];
    int n = 1;
    // indexOf scans in one call; a charAt loop costs a call per character while the JVM is cold.
    int lf = text.indexOf('\n');
    int cr = text.indexOf('\r');
    while (lf >= 0 || cr >= 0) {
      int end; // the last character of the break
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        end = cr + 1 == lf ? lf : cr; // CRLF is one break
        cr = text.indexOf('\r', cr + 1);
      } else {
        end = lf;
      }
      if (lf >= 0 && lf <= end) {
        lf = text.indexOf('\n', lf + 1);
      }
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
      }
      starts[n++] = end + 1;
    }
    this.lineStarts = Arrays.copyOf(starts, n);
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /** The 1-based line of character offset {@code offset}. */
  public int line(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return (i >= 0 ? i : -i - 2) + 1;
  }

  /** The 1-based column (in characters) of character offset {@code offset}. */
  public int column(int offset) {
    return column(offset, line(offset));
  }

  /** The column of {@code offset}, whose 1-based line {@link #line} already found. */
  public int column(int offset, int line) {
    return offset - lineStarts[line - 1] + 1;
  }

  /** The text of 1-based line {@code line}, without its line terminator. */
  public String lineText(int line) {
    int start = lineStarts[line - 1];
    if (line == lineStarts.length) {
      return text.substring(start);
    }
    int end = lineStarts[line] - 1; // the line's break, or the \n of a CRLF
    if (end > start && text.charAt(end) == '\n' && text.charAt(end - 1) == '\r') {
      end--;
    }
    return text.substring(start, end);
  }

  /** {@code FILE:LINE:COL} of character offset {@code offset}. */
  public String position(int offset) {
    int line = line(offset);
    return name + ":" + line + ":" + column(offset, line);
  }

  /**
   * The line holding {@code offset} and, under it, a caret at its column, as rustc and clang print
   * them: tabs kept in the caret line so that it lines up in a terminal, control and invisible
   * format characters escaped ({@link #escape}), and a line longer than {@link
   * #MAX_EXCERPT_CHARS} cut to the part around the caret, with {@code ...} where it was cut.
   */
  public String excerpt(int offset) {
    int line = line(offset);
    return excerpt(line, column(offset, line));
  }

  /** {@link #excerpt(int)} of a 1-based line and column (a tool that counted them itself). */
  public String excerpt(int line, int column) {
    String text = lineText(line);
    int caretAt = Math.min(column - 1, text.length());
    int from = 0;
    int to = text.length();
    if (to > MAX_EXCERPT_CHARS) {
      from = startOfCodePoint(text, Math.max(0, Math.min(caretAt, to - EXCERPT_CONTEXT) - EXCERPT_CONTEXT));
      to = startOfCodePoint(text, Math.min(to, from + 2 * EXCERPT_CONTEXT));
    }
    StringBuilder shown = new StringBuilder(from > 0 ? ELLIPSIS : "");
    StringBuilder caret = new StringBuilder(" ".repeat(shown.length()));
    for (int i = from; i < to; ) {
      int c = text.codePointAt(i);
      String escaped = escape(c);
      shown.append(escaped != null ? escaped : Character.toString(c));
      if (i < caretAt) {
        caret.append(c == '\t' ? "\t" : " ".repeat(escaped != null ? escaped.length() : 1));
      }
      i += Character.charCount(c);
    }
    if (to < text.length()) {
      shown.append(ELLIPSIS);
    }
    return shown + "\n" + caret.append('^');
  }

  /** {@code i}, or {@code i - 1} if {@code i} would split a surrogate pair. */
  private static int startOfCodePoint(String text, int i) {
    return i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i)) ? i - 1 : i;
  }

  /**
   * How a diagnostic shows code point {@code c} when a terminal would not show it as itself:
   * control characters other than tab as {@code \xNN} ({@code \x00} for NUL), invisible format
   * characters (zero-width space, bidirectional overrides that could make code read differently
   * from how it runs, a byte-order mark) as {@code <U+NNNN>}; null for any other character.
   */
  public static String escape(int c) {
    switch (Character.getType(c)) {
      case Character.CONTROL:
        return c == '\t' ? null : String.format("\\x%02x", c);
      case Character.FORMAT:
        return String.format("<U+%04X>", c);
      default:
        return null;
    }
  }

  /** {@code c} as a diagnostic shows it: itself, or its {@link #escape}. */
  public static String printable(int c) {
    String escaped = escape(c);
    return escaped != null ? escaped : Character.toString(c);
  }
}
