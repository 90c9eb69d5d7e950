package dev.kiln.bf;

import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.Arrays;
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
    char[] ops = new char[text.length()];
    int[] offsets = new int[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '+', '-', '<', '>', '.', ',', '[', ']' -> {
          ops[n] = c;
          offsets[n++] = i;
        }
        default -> {}
      }
    }
    int[] match = new int[n];
    int[] stack = new int[n];
    int depth = 0;
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      char c = ops[i];
      if (c == '[') {
        stack[depth++] = i;
      } else if (c == ']') {
        if (depth == 0) {
          errors.add(diagnostic(source, offsets[i], "unmatched ']'"));
        } else {
          int open = stack[--depth];
          match[open] = i;
          match[i] = open;
        }
      }
    }
    for (int k = 0; k < depth; k++) {
      errors.add(diagnostic(source, offsets[stack[k]], "unmatched '['"));
    }
    if (!errors.isEmpty()) {
      throw new BfSyntaxException(errors);
    }
    return new Commands(Arrays.copyOf(ops, n), Arrays.copyOf(offsets, n), match);
  }

  private static String diagnostic(Source source, int offset, String message) {
    return source.position(offset) + ": error: " + message + "\n" + source.excerpt(offset);
  }
}
