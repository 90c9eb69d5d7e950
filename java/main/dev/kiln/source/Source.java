package dev.kiln.source;

import java.util.Arrays;

/**
 * A source file as both front ends (Kiln and Brainfuck) report positions in it: its name as given
 * on the command line, its text, line/column lookup, and the {@code FILE:LINE:COL} and caret
 * excerpt of a diagnostic.
 */
public final class Source {
  private final String name;
  private final String text;
  private final int[] lineStarts;

  public Source(String name, String text) {
    this.name = name;
    this.text = text;
    int[] starts = new int[16];
    int n = 1;
    // indexOf scans in one call; a charAt loop costs a call per character while the JVM is cold.
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
      }
      starts[n++] = i + 1;
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
    int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') {
      end--;
    }
    return text.substring(start, Math.max(start, end));
  }

  /** {@code FILE:LINE:COL} of character offset {@code offset}. */
  public String position(int offset) {
    int line = line(offset);
    return name + ":" + line + ":" + column(offset, line);
  }

  /**
   * The line holding {@code offset} and, under it, a caret at its column, as rustc and clang print
   * them (tabs kept in the caret line so that it lines up in a terminal).
   */
  public String excerpt(int offset) {
    int line = line(offset);
    return excerpt(line, column(offset, line));
  }

  /** {@link #excerpt(int)} of a 1-based line and column (a tool that counted them itself). */
  public String excerpt(int line, int column) {
    String text = lineText(line);
    StringBuilder caret = new StringBuilder();
    for (int i = 0; i < column - 1 && i < text.length(); i++) {
      caret.append(text.charAt(i) == '\t' ? '\t' : ' ');
    }
    return text + "\n" + caret.append('^');
  }
}
