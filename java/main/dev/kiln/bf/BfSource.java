package dev.kiln.bf;

/** A Brainfuck source file: its name as given by the user and its text, for diagnostics. */
public record BfSource(String name, String text) {

  /** 1-based line of a character offset. */
  public int line(int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** 1-based column of a character offset. */
  public int column(int offset) {
    int start = text.lastIndexOf('\n', offset - 1) + 1;
    return offset - start + 1;
  }

  /** {@code FILE:LINE:COL} of a character offset. */
  public String position(int offset) {
    return name + ":" + line(offset) + ":" + column(offset);
  }

  /** The source line containing the offset, followed by a caret line pointing at it. */
  public String excerpt(int offset) {
    int start = text.lastIndexOf('\n', offset - 1) + 1;
    int end = text.indexOf('\n', offset);
    String lineText = text.substring(start, end < 0 ? text.length() : end);
    return lineText + "\n" + " ".repeat(offset - start) + "^";
  }
}
