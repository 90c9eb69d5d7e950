package dev.kiln.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Positions and the caret excerpt of diagnostics, whatever the line endings and characters. */
class SourceTest {
  @Test
  void lfCrlfAndALoneCrEachEndALine() {
    Source s = new Source("t", "a\nbb\r\nccc\rdddd");
    assertEquals(4, s.line(s.text().indexOf('d')));
    assertEquals(3, s.line(s.text().indexOf('c')));
    assertEquals(2, s.column(s.text().indexOf("b") + 1));
    assertEquals("bb", s.lineText(2));
    assertEquals("ccc", s.lineText(3));
    assertEquals("dddd", s.lineText(4));
    assertEquals("t:3:2", s.position(s.text().indexOf("cc") + 1));
  }

  @Test
  void crOnlyFileHasOneLinePerCr() {
    Source s = new Source("t", "x\ry\rz\r");
    assertEquals("t:3:1", s.position(4));
    assertEquals("z", s.lineText(3));
    assertEquals("", s.lineText(4));
  }

  @Test
  void emptyLinesBetweenBreaksCount() {
    Source s = new Source("t", "\r\n\r\n\n\r\rx");
    assertEquals(6, s.line(s.text().length() - 1));
  }

  @Test
  void controlCharactersAreEscapedAndTheCaretStaysUnderItsCharacter() {
    Source s = new Source("t", "a\0b\u0007c!");
    assertEquals("a\\x00b\\x07c!\n           ^", s.excerpt(5));
    assertEquals("a\\x00b\\x07c!\n ^", s.excerpt(1));
  }

  @Test
  void invisibleFormatCharactersAreShown() {
    Source s = new Source("t", "x\u202Ey");
    assertEquals("x<U+202E>y\n         ^", s.excerpt(2));
  }

  @Test
  void tabsStayTabsInTheCaretLine() {
    assertEquals("\tx\n\t^", new Source("t", "\tx").excerpt(1));
  }

  @Test
  void aLongLineIsCutAroundTheCaret() {
    String line = "0123456789".repeat(30_000);
    Source s = new Source("t", line);
    int offset = 150_005;
    String[] excerpt = s.excerpt(offset).split("\n");
    assertTrue(excerpt[0].startsWith("...") && excerpt[0].endsWith("..."), excerpt[0]);
    assertTrue(excerpt[0].length() <= Source.MAX_EXCERPT_CHARS, excerpt[0]);
    int caret = excerpt[1].indexOf('^');
    assertEquals(line.charAt(offset), excerpt[0].charAt(caret), "the caret points at its character");
  }

  @Test
  void aLongLineKeepsItsStartOrEndWhenTheCaretIsNearThem() {
    String line = "x".repeat(500) + "END";
    Source s = new Source("t", line);
    String[] end = s.excerpt(line.length() - 1).split("\n");
    assertTrue(end[0].startsWith("...") && end[0].endsWith("END"), end[0]);
    assertEquals('D', end[0].charAt(end[1].indexOf('^')));
    String[] start = s.excerpt(0).split("\n");
    assertTrue(!start[0].startsWith("...") && start[0].endsWith("..."), start[0]);
    assertEquals("^", start[1]);
  }

  @Test
  void aCaretAtTheEndOfALongLineIsAfterItsLastCharacter() {
    String line = "y".repeat(500);
    String[] excerpt = new Source("t", line + "\n").excerpt(line.length()).split("\n");
    assertEquals(excerpt[0].length(), excerpt[1].indexOf('^'));
  }
}
