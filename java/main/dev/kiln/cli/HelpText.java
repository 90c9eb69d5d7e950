package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders help: a usage line, the description, then a two-column table whose second column (the
 * descriptions, wrapped) starts at the same place on every row.
 */
final class HelpText {
  private static final int WIDTH = 100;

  private HelpText() {}

  /** A row of the table: the left column as written ({@code "  -h, --help"}), its description. */
  record Row(String term, String description) {}

  /** {@code kiln COMMAND --help}: usage, description, the parameter and every visible option. */
  static String of(CommandSyntax syntax) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("      " + syntax.parameter(), syntax.parameterDescription()));
    for (Option<?> option : syntax.options()) {
      if (!option.hidden()) {
        rows.add(row(option));
      }
    }
    return "Usage: " + syntax.synopsis() + "\n" + syntax.description() + "\n" + table(rows);
  }

  /** An option's row: its names, and its description with its default, if it has one. */
  static Row row(Option<?> option) {
    String names = (option.shortName() == null ? "    " : option.shortName() + ", ") + option.synopsis();
    Object value = option.defaultValue();
    String description = option.description();
    if (option.takesValue() && value != null) {
      // Inside the description's closing period, if it has one.
      boolean period = description.endsWith(".");
      description = (period ? description.substring(0, description.length() - 1) : description)
          + " (default: " + (value instanceof Enum<?> e ? ValueParser.spelling(e) : value) + ")"
          + (period ? "." : "");
    }
    return new Row("  " + names, description);
  }

  /** The rows, one per line (more where a description wraps), descriptions aligned. */
  static String table(List<Row> rows) {
    int column = 0;
    for (Row row : rows) {
      column = Math.max(column, row.term().length() + 3);
    }
    StringBuilder text = new StringBuilder();
    for (Row row : rows) {
      text.append(row.term()).append(" ".repeat(column - row.term().length()));
      wrap(row.description(), column, text);
    }
    return text.toString();
  }

  /** Appends {@code words} from {@code column} on, wrapped at {@link #WIDTH}, indented after the first line. */
  private static void wrap(String words, int column, StringBuilder text) {
    int at = column;
    boolean first = true;
    for (String word : words.split(" ")) {
      if (!first && at + 1 + word.length() > WIDTH) {
        text.append('\n').append(" ".repeat(column + 2));
        at = column + 2;
      } else if (!first) {
        text.append(' ');
        at++;
      }
      text.append(word);
      at += word.length();
      first = false;
    }
    text.append('\n');
  }
}
