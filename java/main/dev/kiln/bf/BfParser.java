package dev.kiln.bf;

import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the eight commands of a Brainfuck source (everything else is a comment) and matches the
 * brackets with an explicit stack, so a million nested loops cost no Java recursion.
 */
public final class BfParser {
  private BfParser() {}

  /** The commands of the source, in order, with the index of each one's matching bracket. */
  public record Commands(char[] ops, int[] offsets, int[] match) {}

  public static Commands parse(Source source) throws BfSyntaxException {
    String text = source.text();
    // counted first, so that each array is made once at its size: a large program is nearly all
    // commands, and every array a cold JVM fills is fresh memory it faults in page by page
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      n += isCommand(text.charAt(i)) ? 1 : 0;
    }
    char[] ops = new char[n];
    int[] offsets = new int[n];
    n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isCommand(c)) {
        ops[n] = c;
        offsets[n++] = i;
      }
    }
    // the open brackets form a stack linked through their entries of match, -1 at its bottom
    int[] match = new int[n];
    int open = -1;
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      char c = ops[i];
      if (c == '[') {
        match[i] = open;
        open = i;
      } else if (c == ']') {
        if (open < 0) {
          errors.add(diagnostic(source, offsets[i], "unmatched ']'"));
        } else {
          int outer = match[open];
          match[open] = i;
          match[i] = open;
          open = outer;
        }
      }
    }
    List<String> unclosed = new ArrayList<>();
    for (int k = open; k >= 0; k = match[k]) {
      unclosed.add(diagnostic(source, offsets[k], "unmatched '['"));
    }
    for (int k = unclosed.size() - 1; k >= 0; k--) { // outermost first
      errors.add(unclosed.get(k));
    }
    if (!errors.isEmpty()) {
      throw new BfSyntaxException(errors);
    }
    return new Commands(ops, offsets, match);
  }

  private static boolean isCommand(char c) {
    return switch (c) {
      case '+', '-', '<', '>', '.', ',', '[', ']' -> true;
      default -> false;
    };
  }

  private static String diagnostic(Source source, int offset, String message) {
    return source.position(offset) + ": error: " + message + "\n" + source.excerpt(offset);
  }
}
