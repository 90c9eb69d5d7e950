package dev.kiln.lang;

import dev.kiln.source.Source;

/** One compile error: a character offset into the source and a message. */
public record Diagnostic(int offset, String message) {
  /**
   * The error as rustc and clang print it: {@code FILE:LINE:COL: error: MESSAGE}, the source line,
   * and a caret under the column.
   */
  public String format(Source source) {
    return source.position(offset) + ": error: " + message + "\n" + source.excerpt(offset) + "\n";
  }
}
