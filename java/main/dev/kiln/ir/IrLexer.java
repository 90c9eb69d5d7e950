package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;

/** Splits IR text into tokens; newlines are tokens (an instruction ends at its line's end). */
final class IrLexer {
  enum Kind {
    /** A keyword, mnemonic or type: letters, digits, '_' and '.'. */
    WORD,
    /** {@code v12}. */
    VALUE,
    /** {@code block3}. */
    BLOCK,
    /** {@code @name} or {@code @12} (a position); the text is without the '@'. */
    GLOBAL,
    /** {@code $name}; the text is without the '$'. */
    MEMORY,
    /** A decimal or {@code 0x} hex integer, or a decimal float, without sign. */
    NUMBER,
    /** One of {@code ( ) { } [ ] , : = + * - ->}. */
    PUNCT,
    NEWLINE,
    END
  }

  /** A token and where it starts (1-based line and column). */
  record Token(Kind kind, String text, int line, int column) {
    boolean is(String punctOrWord) {
      return (kind == Kind.PUNCT || kind == Kind.WORD) && text.equals(punctOrWord);
    }

    @Override
    public String toString() {
      return switch (kind) {
        case NEWLINE -> "end of line";
        case END -> "end of input";
        case GLOBAL -> "'@" + text + "'";
        case MEMORY -> "'$" + text + "'";
        default -> "'" + text + "'";
      };
    }
  }

  private IrLexer() {}

  static List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    int line = 1;
    int lineStart = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      int column = i - lineStart + 1;
      if (c == '\n') {
        out.add(new Token(Kind.NEWLINE, "\n", line, column));
        line++;
        lineStart = ++i;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        i++;
      } else if (c == ';') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '>') {
        out.add(new Token(Kind.PUNCT, "->", line, column));
        i += 2;
      } else if ("(){}[],:=+*-".indexOf(c) >= 0) {
        out.add(new Token(Kind.PUNCT, String.valueOf(c), line, column));
        i++;
      } else if (c == '@' || c == '$') {
        int end = word(text, i + 1);
        if (end == i + 1) {
          throw new IrSyntaxException(line, column, "expected a name after '" + c + "'");
        }
        out.add(new Token(c == '@' ? Kind.GLOBAL : Kind.MEMORY, text.substring(i + 1, end), line,
            column));
        i = end;
      } else if (Character.isDigit(c)) {
        int end = number(text, i);
        out.add(new Token(Kind.NUMBER, text.substring(i, end), line, column));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = word(text, i);
        String w = text.substring(i, end);
        Kind kind = numbered(w, "v") ? Kind.VALUE : numbered(w, "block") ? Kind.BLOCK : Kind.WORD;
        out.add(new Token(kind, w, line, column));
        i = end;
      } else {
        throw new IrSyntaxException(line, column, "unexpected character '" + c + "'");
      }
    }
    out.add(new Token(Kind.NEWLINE, "\n", line, n - lineStart + 1));
    out.add(new Token(Kind.END, "", line, n - lineStart + 1));
    return out;
  }

  /** Whether {@code w} is {@code prefix} and one or more digits ({@code v12}, {@code block3}). */
  private static boolean numbered(String w, String prefix) {
    return w.length() > prefix.length() && w.startsWith(prefix) && digits(w, prefix.length());
  }

  /** Whether {@code s} has only ASCII digits from {@code from} on. */
  static boolean digits(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static int word(String text, int i) {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
        break;
      }
      i++;
    }
    return i;
  }

  /** {@code 0x1F}, {@code 42}, {@code 1.5}, {@code 1.0E-5}. */
  private static int number(String text, int i) {
    int n = text.length();
    if (text.startsWith("0x", i) || text.startsWith("0X", i)) {
      i += 2;
      while (i < n && Character.digit(text.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i + 1 < n && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
      i++;
      while (i < n && Character.isDigit(text.charAt(i))) {
        i++;
      }
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
        j++;
      }
      if (j < n && Character.isDigit(text.charAt(j))) {
        i = j;
        while (i < n && Character.isDigit(text.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }
}
