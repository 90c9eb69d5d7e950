package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln bf}: the command-line contract of LANGUAGE.md for Brainfuck. */
class BfCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int bf(String program, String input, String... options) throws IOException {
    Path file = dir.resolve("p.b");
    Files.writeString(file, program);
    String[] args = new String[2 + options.length];
    args[0] = "bf";
    args[1] = file.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    return Main.execute(
        args,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
        new PrintStream(out, true),
        new PrintStream(err, true));
  }

  @Test
  void runsTheExample() {
    int code =
        Main.execute(
            new String[] {"bf", "examples/bf/hello.b"},
            new PrintStream(out, true),
            new PrintStream(err, true));
    assertEquals(0, code, err.toString());
    assertEquals("Hello, Kiln!\n", out.toString(StandardCharsets.ISO_8859_1));
    assertEquals("", err.toString());
  }

  @Test
  void readsStandardInput() throws IOException {
    // Upper-cases letters: subtract 32 from each byte read until NUL.
    assertEquals(0, bf(",[--------------------------------.,]", "kiln\0"));
    assertEquals("KILN", out.toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void unmatchedBracketIsACompileError() throws IOException {
    assertEquals(1, bf("+[.", ""));
    assertTrue(err.toString().contains("p.b:1:2: error: unmatched '['"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void runtimeErrorKeepsEarlierOutputAndExitsThree() throws IOException {
    assertEquals(3, bf("++++++++[>++++++++<-]>+.<<+", ""));
    assertEquals("A", out.toString(StandardCharsets.ISO_8859_1));
    assertTrue(err.toString().contains("p.b:1:27: runtime error: cell index out of range: -1"), err.toString());
  }

  @Test
  void timeLimitStopsAnEndlessLoop() throws IOException {
    assertEquals(3, bf("+[]", "", "--time-limit=0.2"));
    assertTrue(err.toString().contains("runtime error: time limit exceeded"), err.toString());
  }

  @Test
  void missingFileIsAUsageError() {
    int code =
        Main.execute(
            new String[] {"bf", dir.resolve("nope.b").toString()},
            new PrintStream(out, true),
            new PrintStream(err, true));
    assertEquals(2, code);
    assertTrue(err.toString().contains("cannot read"), err.toString());
  }

  @Test
  void unknownDumpIsAUsageError() throws IOException {
    assertEquals(2, bf("+", "", "--dump=hex"));
    assertTrue(err.toString().contains("--dump"), err.toString());
  }

  @Test
  void dumpShowsTheOptimisedIr() throws IOException {
    assertEquals(0, bf("+++[->++<]", "", "--dump=ir"));
    String ir = out.toString();
    assertTrue(ir.contains("mul   1, 2"), ir);
    assertTrue(ir.contains("set   0, 0"), ir);
  }

  @Test
  void tapeSetsTheNumberOfCells() throws IOException {
    assertEquals(3, bf("+.>+.>+.", "", "--tape=2"));
    assertEquals("\1\1", out.toString(StandardCharsets.ISO_8859_1));
    assertTrue(err.toString().contains(
        "p.b:1:7: runtime error: cell index out of range: 2 (the tape has 2 cells)"), err.toString());
  }

  @Test
  void tapeOfNoCellsTooManyOrNotANumberIsAUsageError() throws IOException {
    for (String bad : new String[] {"0", "-5", "268435457", "many"}) {
      err.reset();
      assertEquals(2, bf("+", "", "--tape=" + bad), bad);
      assertTrue(err.toString().contains("expected a whole number of cells from 1 to 268,435,456"),
          err.toString());
    }
  }

  @Test
  void statsReportEachPhaseOnStandardError() throws IOException {
    assertEquals(0, bf("++++++++[>++++++++<-]>+.", "", "--stats"));
    assertEquals("A", out.toString(StandardCharsets.ISO_8859_1));
    assertTrue(err.toString().matches("(?s)kiln: front end [0-9.]+ ms \\(parse, fold\\),"
        + " lower [0-9.]+ ms \\(to Kiln IR\\), passes [0-9.]+ ms \\(inlining [0-9.]+,"
        + " tail-recursion [0-9.]+(, [a-z-]+ [0-9.]+)*\\), compile .*"
        + " run [0-9.]+ ms, code [0-9]+ bytes.*\n"), err.toString());
  }

  @Test
  void perfMapNamesTheCompiledProgram() throws IOException {
    Path map = Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
    assertEquals(0, bf("+++.", "", "--perf-map"));
    String text = Files.readString(map);
    Files.delete(map);
    assertTrue(text.matches("(?s).*[0-9a-f]+ [0-9a-f]+ kiln-ir:@run\\n.*"), text);
  }

  @Test
  void dumpShowsTheLoweredKilnIr() throws IOException {
    assertEquals(0, bf("+.", "", "--dump=kiln-ir"));
    String ir = out.toString(StandardCharsets.ISO_8859_1);
    assertTrue(ir.contains("memory $tape 30000"), ir);
    assertTrue(ir.contains("function @run()"), ir);
  }
}
