package dev.kiln.bf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.source.Source;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Brainfuck semantics as LANGUAGE.md states them, one rule a test. Every program runs on every
 * engine (interpreter, JIT, JIT in the Windows convention); they must agree on output and error.
 */
class BfTest {
  static byte[] run(String program, byte[] input) throws BfSyntaxException {
    return run(program, input, 0);
  }

  /** Runs on all engines; returns their common output or throws their common runtime error. */
  static byte[] run(String program, byte[] input, long timeLimitNanos) throws BfSyntaxException {
    BfProgram p = BfCompiler.compile(new Source("t.b", program));
    byte[] firstOut = null;
    BfRuntimeException firstError = null;
    for (BfDifferentialTest.Engine engine : BfDifferentialTest.engines(timeLimitNanos)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BfRuntimeException error = null;
      try {
        engine.run(p, new ByteArrayInputStream(input), out);
      } catch (BfRuntimeException e) {
        error = e;
      }
      if (firstOut == null) {
        firstOut = out.toByteArray();
        firstError = error;
      } else {
        assertArrayEquals(firstOut, out.toByteArray(), engine + " output");
        assertEquals(
            firstError == null ? null : firstError.getMessage(),
            error == null ? null : error.getMessage(),
            engine + " error");
      }
    }
    if (firstError != null) {
      throw firstError;
    }
    return firstOut;
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
  void aMultiplyLoopMayCountUpToTheWrap() throws Exception {
    // [+>++<] runs 256 - 250 = 6 times: 2 * 6 = 12, the cell wrapping to zero
    assertArrayEquals(new byte[] {12, 0}, run("------[+>++<]>.<.", new byte[0]));
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
    BfProgram p = BfCompiler.compile(new Source("t.b", "+.<<."));
    for (BfDifferentialTest.Engine engine : BfDifferentialTest.engines(0)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThrows(
          BfRuntimeException.class,
          () -> engine.run(p, new ByteArrayInputStream(new byte[0]), out),
          engine.toString());
      assertArrayEquals(new byte[] {1}, out.toByteArray(), engine.toString());
    }
  }

  @Test
  void longOutputCrossesTheJitOutputBufferIntact() throws Exception {
    // 100 x 100 prints of a counter cell: 10,000 bytes 0, 1, ..., 255, 0, ...: more than two
    // drains of the JIT's 4 KiB output buffer.
    String counter = ">++++++++++[<++++++++++>-]<[>>++++++++++[<++++++++++>-]<[>>.+<<-]<-]";
    byte[] out = run(counter, new byte[0]);
    assertEquals(10_000, out.length);
    for (int i = 0; i < out.length; i++) {
      assertEquals((byte) i, out[i], "byte " + i);
    }
  }

  @Test
  void reportsEveryUnmatchedBracket() {
    BfSyntaxException e = assertThrows(BfSyntaxException.class, () -> run("[]]\n+["));
    assertEquals(2, e.diagnostics().size());
    assertEquals("t.b:1:3: error: unmatched ']'\n[]]\n  ^", e.diagnostics().get(0));
    assertEquals("t.b:2:2: error: unmatched '['\n+[\n ^", e.diagnostics().get(1));
  }

  @Test
  void reportsUnclosedBracketsOutermostFirst() {
    BfSyntaxException e = assertThrows(BfSyntaxException.class, () -> run("[[[]+["));
    assertEquals(List.of("t.b:1:1: error: unmatched '['\n[[[]+[\n^",
        "t.b:1:2: error: unmatched '['\n[[[]+[\n ^",
        "t.b:1:6: error: unmatched '['\n[[[]+[\n     ^"), e.diagnostics());
  }

  @Test
  void endlessLoopStopsAtTheTimeLimit() {
    long start = System.nanoTime();
    BfRuntimeException e =
        assertThrows(BfRuntimeException.class, () -> run("+[]", new byte[0], 100_000_000L));
    assertEquals("t.b:1:3: runtime error: time limit exceeded", e.getMessage());
    // Three engines, each stopped within the limit plus its poll latency.
    assertTrue(System.nanoTime() - start < 3_000_000_000L);
  }

  @Test
  void deeplyNestedLoopsNeedNoRecursion() throws Exception {
    assertEquals("", run("[".repeat(20_000) + "]".repeat(20_000)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BfInterpreter.run(BfCompiler.compile(new Source("t.b", "[".repeat(200_000) + "]".repeat(200_000))),
        BfProgram.DEFAULT_TAPE_CELLS, new ByteArrayInputStream(new byte[0]), out, 0);
    assertEquals(0, out.size());
  }

  @Test
  void tapeOfOtherSizesEndsWhereItSays() throws Exception {
    for (BfDifferentialTest.Engine engine : BfDifferentialTest.engines(0)) {
      BfProgram p = BfCompiler.compile(new Source("t.b", "+.>+.>+."));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BfRuntimeException e = assertThrows(BfRuntimeException.class,
          () -> engine.run(p, 2, new ByteArrayInputStream(new byte[0]), out), engine.toString());
      assertEquals("t.b:1:7: runtime error: cell index out of range: 2 (the tape has 2 cells)",
          e.getMessage(), engine.toString());
      assertArrayEquals(new byte[] {1, 1}, out.toByteArray(), engine.toString());
    }
  }
}
