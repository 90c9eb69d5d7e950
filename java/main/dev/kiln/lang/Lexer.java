package dev.kiln.lang;

import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits Kiln source into tokens. A malformed token is reported and skipped, so lexing always
 * reaches the end of the file and the parser still sees the rest.
 */
final class Lexer {
  private static final Map<String, TokenKind> KEYWORDS =
      Map.ofEntries(
          Map.entry("fn", TokenKind.FN),
          Map.entry("let", TokenKind.LET),
          Map.entry("if", TokenKind.IF),
          Map.entry("else", TokenKind.ELSE),
          Map.entry("while", TokenKind.WHILE),
          Map.entry("for", TokenKind.FOR),
          Map.entry("in", TokenKind.IN),
          Map.entry("break", TokenKind.BREAK),
          Map.entry("continue", TokenKind.CONTINUE),
          Map.entry("return", TokenKind.RETURN),
          Map.entry("true", TokenKind.TRUE),
          Map.entry("false", TokenKind.FALSE),
          Map.entry("new", TokenKind.NEW),
          Map.entry("int", TokenKind.INT),
          Map.entry("float", TokenKind.FLOAT),
          Map.entry("bool", TokenKind.BOOL));

  private static final int SHORTEST_KEYWORD;
  private static final int LONGEST_KEYWORD;

  static {
    int shortest = Integer.MAX_VALUE;
    int longest = 0;
    for (String k : KEYWORDS.keySet()) {
      shortest = Math.min(shortest, k.length());
      longest = Math.max(longest, k.length());
    }
    SHORTEST_KEYWORD = shortest;
    LONGEST_KEYWORD = longest;
  }

  /** Operators, longest first so that {@code >>>=} wins over {@code >>} and {@code >}. */
  private static final String[] OPERATORS = {
    ">>>=", ">>>", "<<=", ">>=", "->", "..", "<<", ">>", "==", "!=", "<=", ">=", "&&", "||",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "(", ")", "{", "}", "[", "]", ",", ";", ":", "+", "-", "*", "/", "%", "&", "|", "^", "~",
    "!", "=", "<", ">"
  };

  private static final TokenKind[] OPERATOR_KINDS = {
    TokenKind.USHR_ASSIGN, TokenKind.USHR, TokenKind.SHL_ASSIGN, TokenKind.SHR_ASSIGN,
    TokenKind.ARROW, TokenKind.DOTDOT, TokenKind.SHL, TokenKind.SHR, TokenKind.EQ, TokenKind.NE,
    TokenKind.LE, TokenKind.GE, TokenKind.AND_AND, TokenKind.OR_OR,
    TokenKind.PLUS_ASSIGN, TokenKind.MINUS_ASSIGN, TokenKind.STAR_ASSIGN, TokenKind.SLASH_ASSIGN,
    TokenKind.PERCENT_ASSIGN, TokenKind.AMP_ASSIGN, TokenKind.PIPE_ASSIGN, TokenKind.CARET_ASSIGN,
    TokenKind.LPAREN, TokenKind.RPAREN, TokenKind.LBRACE, TokenKind.RBRACE, TokenKind.LBRACKET,
    TokenKind.RBRACKET, TokenKind.COMMA, TokenKind.SEMI, TokenKind.COLON, TokenKind.PLUS,
    TokenKind.MINUS, TokenKind.STAR, TokenKind.SLASH, TokenKind.PERCENT, TokenKind.AMP,
    TokenKind.PIPE, TokenKind.CARET, TokenKind.TILDE, TokenKind.BANG, TokenKind.ASSIGN,
    TokenKind.LT, TokenKind.GT
  };

  /**
   * For each ASCII character, the indices in {@link #OPERATORS} of the operators starting with it,
   * longest first: one lookup instead of trying all 44 operators at every punctuation character.
   * Filled in two passes over the operators, not one per character: the JVM interprets this
   * initializer, on every run.
   */
  private static final int[][] OPERATORS_BY_FIRST_CHAR = new int[128][];

  static {
    int[] counts = new int[OPERATORS_BY_FIRST_CHAR.length];
    for (String op : OPERATORS) {
      counts[op.charAt(0)]++;
    }
    for (int c = 0; c < counts.length; c++) {
      OPERATORS_BY_FIRST_CHAR[c] = new int[counts[c]];
      counts[c] = 0;
    }
    for (int i = 0; i < OPERATORS.length; i++) {
      int c = OPERATORS[i].charAt(0);
      OPERATORS_BY_FIRST_CHAR[c][counts[c]++] = i;
    }
  }

  private final String text;
  /**
   * The text as an array: lexing reads every character, and an array access is one bytecode where
   * {@code charAt} is a chain of calls, which matters while the JVM still interprets this code.
   */
  private final char[] chars;
  private final int length;
  private final Reporter reporter;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  Lexer(Source source, Reporter reporter) {
    this.text = source.text();
    this.chars = text.toCharArray();
    this.length = chars.length;
    this.reporter = reporter;
  }

  List<Token> tokens() {
    while (true) {
      skipSpaceAndComments();
      if (pos >= length) {
        tokens.add(new Token(TokenKind.EOF, "", length));
        return tokens;
      }
      char c = chars[pos];
      if (isIdentStart(c)) {
        identifier();
      } else if (isDigit(c)) {
        number();
      } else if (c == '"') {
        string();
      } else if (!operator()) {
        reporter.error(pos, "unexpected character '" + Source.printable(text.codePointAt(pos)) + "'");
        pos += Character.charCount(text.codePointAt(pos));
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < length) {
      char c = chars[pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else if (c == '/' && pos + 1 < length && chars[pos + 1] == '/') {
        while (pos < length && chars[pos] != '\n' && chars[pos] != '\r') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private void identifier() {
    int start = pos;
    boolean lowercase = true;
    while (pos < length && isIdentPart(chars[pos])) {
      lowercase &= chars[pos] >= 'a' && chars[pos] <= 'z';
      pos++;
    }
    String word = text.substring(start, pos);
    // Every keyword is lowercase letters: other words skip the lookup (and hashing).
    boolean keyword = lowercase && pos - start >= SHORTEST_KEYWORD && pos - start <= LONGEST_KEYWORD;
    tokens.add(new Token(keyword ? KEYWORDS.getOrDefault(word, TokenKind.IDENT) : TokenKind.IDENT, word, start));
  }

  /**
   * {@code 123}, {@code 0xff}, {@code 1_000}, {@code 1.5}, {@code 2e10}, {@code 1.5e-3}. A dot
   * makes a float only when a digit follows, so {@code 0..n} is a range, not {@code 0.} and
   * {@code .n}. Range checks happen in the parser, which knows about a leading minus.
   */
  private void number() {
    int start = pos;
    if (chars[pos] == '0' && pos + 1 < length && (chars[pos + 1] == 'x' || chars[pos + 1] == 'X')) {
      pos += 2;
      while (pos < length && (Character.digit(chars[pos], 16) >= 0 || chars[pos] == '_')) {
        pos++;
      }
      finishNumber(start, TokenKind.INT_LIT);
      return;
    }
    digits();
    TokenKind kind = TokenKind.INT_LIT;
    if (pos + 1 < length && chars[pos] == '.' && isDigit(chars[pos + 1])) {
      pos++;
      digits();
      kind = TokenKind.FLOAT_LIT;
    }
    if (pos < length && (chars[pos] == 'e' || chars[pos] == 'E')) {
      int save = pos++;
      if (pos < length && (chars[pos] == '+' || chars[pos] == '-')) {
        pos++;
      }
      if (pos < length && isDigit(chars[pos])) {
        digits();
        kind = TokenKind.FLOAT_LIT;
      } else {
        pos = save;
      }
    }
    finishNumber(start, kind);
  }

  private void finishNumber(int start, TokenKind kind) {
    // A letter glued to a number (12abc, 0xfg) is one malformed token, not two tokens.
    if (pos < length && isIdentPart(chars[pos])) {
      while (pos < length && isIdentPart(chars[pos])) {
        pos++;
      }
      reporter.error(start, "invalid number literal '" + text.substring(start, pos) + "'");
      tokens.add(new Token(kind, "0", start));
      return;
    }
    String literal = text.substring(start, pos);
    boolean separated = literal.indexOf('_') >= 0;
    if (separated && (literal.endsWith("_") || literal.contains("__")) || literal.equalsIgnoreCase("0x")) {
      reporter.error(start, "invalid number literal '" + literal + "'");
      literal = "0";
    }
    tokens.add(new Token(kind, separated ? literal.replace("_", "") : literal, start));
  }

  private void digits() {
    while (pos < length) {
      char c = chars[pos];
      if (!isDigit(c) && c != '_') {
        return;
      }
      pos++;
    }
  }

  private void string() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= length || chars[pos] == '\n' || chars[pos] == '\r') {
        reporter.error(start, "unterminated string literal");
        break;
      }
      char c = chars[pos++];
      if (c == '"') {
        break;
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char e = pos < length ? chars[pos] : ' ';
      switch (e) {
        case 'n': value.append('\n'); break;
        case 't': value.append('\t'); break;
        case '"': value.append('"'); break;
        case '\\': value.append('\\'); break;
        default: reporter.error(pos - 1, "unknown escape sequence '\\" + e + "'");
      }
      pos++;
    }
    tokens.add(new Token(TokenKind.STRING_LIT, value.toString(), start));
  }

  private boolean operator() {
    char c = chars[pos];
    if (c >= OPERATORS_BY_FIRST_CHAR.length) {
      return false;
    }
    for (int i : OPERATORS_BY_FIRST_CHAR[c]) {
      if (text.startsWith(OPERATORS[i], pos)) {
        tokens.add(new Token(OPERATOR_KINDS[i], OPERATORS[i], pos));
        pos += OPERATORS[i].length();
        return true;
      }
    }
    return false;
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
