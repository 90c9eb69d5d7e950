package dev.kiln.lang;

/** One compile error: a character offset into the source and a message. */
public record Diagnostic(int offset, String message) {
  /**
   * The error as rustc and clang print it: {@code FILE:LINE:COL: error: MESSAGE}, the source line,
   * and a caret under the column (tabs kept so the caret lines up in a terminal).
   */
  public String format(Source source) {
    int line = source.line(offset);
    int column = source.column(offset);
    String text = source.lineText(line);
    StringBuilder caret = new StringBuilder();
    for (int i = 0; i < column - 1 && i < text.length(); i++) {
      caret.append(text.charAt(i) == '\t' ? '\t' : ' ');
    }
    caret.append('^');
    return source.name() + ":" + line + ":" + column + ": error: " + message + "\n"
        + text + "\n" + caret + "\n";
  }
}
