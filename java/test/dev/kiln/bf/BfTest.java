package dev.kiln.bf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Brainfuck semantics as LANGUAGE.md states them, one rule a test. */
class BfTest {
  static byte[] run(String program, byte[] input) throws BfSyntaxException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BfInterpreter.run(
        BfCompiler.compile(new BfSource("t.b", program)), new ByteArrayInputStream(input), out, 0);
    return out.toByteArray();
  }

  static String run(String program) throws BfSyntaxException {
    return new String(run(program, new byte[0]), StandardCharsets.ISO_8859_1);
  }

  @Test
  void printsHelloWithNestedLoops() throws Exception {
    // 8*9 = 72 'H', then 'i' = 72 + 33, then '!' = 33 from the second cell.
    String hello = "++++++++[>+++++++++<-]>. >++++[>++++++++<-]>+ <<+++++++++++++++++++++++++++++++++. >>.";
    assertEquals("Hi!", run(hello));
  }

  @Test
  void cellsWrapModulo256() throws Exception {
    assertArrayEquals(new byte[] {(byte) 255}, run("-.", new byte[0]));
    assertArrayEquals(new byte[] {0}, run("+".repeat(256) + ".", new byte[0]));
  }

  @Test
  void clearLoopWorksFromEitherDirection() throws Exception {
    assertArrayEquals(new byte[] {0, 0, 5}, run("+++++[-].---[+].+++++.", new byte[0]));
  }

  @Test
  void echoesInputAndLeavesTheCellAtEndOfInput() throws Exception {
    // The input ends in a NUL that stops the loop: at end of input ',' would keep the 'c'.
    byte[] input = "abc\0".getBytes(StandardCharsets.ISO_8859_1);
    assertArrayEquals("abc".getBytes(StandardCharsets.ISO_8859_1), run(",[.,]", input));
    assertArrayEquals(new byte[] {3}, run("+++,.", new byte[0]));
  }

  @Test
  void multiplyLoopComputesProducts() throws Exception {
    // 7 * 6 = 42 via [->++++++<], and the source cell ends at zero.
    assertArrayEquals(new byte[] {42, 0}, run("+++++++[->++++++<]>.<.", new byte[0]));
  }

  @Test
  void scanLoopFindsTheNextZeroCell() throws Exception {
    assertArrayEquals(new byte[] {9}, run("+>+>+>>+++++++++<<<<[>]>.", new byte[0]));
  }

  @Test
  void ignoresEverythingButTheEightCommands() throws Exception {
    assertEquals("A", run("this is a comment: 65 = 5*13\n+++++[>+++++++++++++<-]>."));
  }

  @Test
  void readingLeftOfTheTapeIsARuntimeErrorWithPosition() {
    BfRuntimeException e = assertThrows(BfRuntimeException.class, () -> run("+\n<+"));
    assertEquals("t.b:2:2: runtime error: cell index out of range: -1 (the tape has 30000 cells)", e.getMessage());
  }

  @Test
  void writingRightOfTheTapeIsARuntimeError() {
    BfRuntimeException e =
        assertThrows(BfRuntimeException.class, () -> run(">".repeat(30_000) + "-"));
    assertTrue(e.getMessage().contains("cell index out of range: 30000"), e.getMessage());
  }

  @Test
  void outputBeforeAnErrorIsKept() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BfProgram p = BfCompiler.compile(new BfSource("t.b", "+.<<."));
    assertThrows(
        BfRuntimeException.class,
        () -> BfInterpreter.run(p, new ByteArrayInputStream(new byte[0]), out, 0));
    assertArrayEquals(new byte[] {1}, out.toByteArray());
  }

  @Test
  void reportsEveryUnmatchedBracket() {
    BfSyntaxException e = assertThrows(BfSyntaxException.class, () -> run("[]]\n+["));
    assertEquals(2, e.diagnostics().size());
    assertEquals("t.b:1:3: error: unmatched ']'\n[]]\n  ^", e.diagnostics().get(0));
    assertEquals("t.b:2:2: error: unmatched '['\n+[\n ^", e.diagnostics().get(1));
  }

  @Test
  void endlessLoopStopsAtTheTimeLimit() throws Exception {
    BfProgram p = BfCompiler.compile(new BfSource("t.b", "+[]"));
    long start = System.nanoTime();
    BfRuntimeException e =
        assertThrows(
            BfRuntimeException.class,
            () -> BfInterpreter.run(p, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), 100_000_000L));
    assertEquals("t.b:1:3: runtime error: time limit exceeded", e.getMessage());
    assertTrue(System.nanoTime() - start < 2_000_000_000L);
  }

  @Test
  void deeplyNestedLoopsNeedNoRecursion() throws Exception {
    assertEquals("", run("[".repeat(200_000) + "]".repeat(200_000)));
  }
}
