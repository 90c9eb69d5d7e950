package dev.kiln.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.source.Source;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LexerTest {
  private Reporter reporter;

  private List<Token> lex(String text) {
    Source source = new Source("t.kiln", text);
    reporter = new Reporter(source);
    return new Lexer(source, reporter).tokens();
  }

  private String kinds(String text) {
    return lex(text).stream().map(t -> t.kind().name()).collect(Collectors.joining(" "));
  }

  @Test
  void longestOperatorWins() {
    assertEquals("IDENT USHR_ASSIGN INT_LIT SEMI EOF", kinds("a >>>= 3;"));
    assertEquals("IDENT SHR IDENT GE IDENT EOF", kinds("a >> b >= c"));
    assertEquals("ARROW DOTDOT AND_AND OR_OR NE EOF", kinds("-> .. && || !="));
  }

  @Test
  void rangeIsNotAFloat() {
    assertEquals("INT_LIT DOTDOT IDENT EOF", kinds("0..n"));
    assertEquals("FLOAT_LIT FLOAT_LIT FLOAT_LIT EOF", kinds("1.5 2e10 1.5e-3"));
  }

  @Test
  void numberLiteralsDropUnderscoresAndKeepHex() {
    List<Token> t = lex("1_000_000 0xff");
    assertEquals("1000000", t.get(0).text());
    assertEquals("0xff", t.get(1).text());
    assertFalse(reporter.hasErrors());
  }

  @Test
  void keywordsAndCommentsAreRecognised() {
    assertEquals("FN IDENT LPAREN RPAREN LBRACE RBRACE EOF", kinds("fn main() { } // fn x"));
    assertEquals("INT FLOAT BOOL NEW TRUE FALSE EOF", kinds("int float bool new true false"));
  }

  @Test
  void stringEscapesAreProcessed() {
    assertEquals("a\tb\n\"\\", lex("\"a\\tb\\n\\\"\\\\\"").get(0).text());
  }

  @Test
  void malformedTokensAreReportedAndLexingContinues() {
    assertEquals("IDENT IDENT EOF", kinds("a # b"));
    assertTrue(reporter.hasErrors());
    lex("\"abc");
    assertTrue(reporter.hasErrors());
    lex("\"a\\qb\"");
    assertTrue(reporter.hasErrors());
    lex("12abc");
    assertTrue(reporter.hasErrors());
  }
}
