package dev.kiln.bf.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.CompileOptions;
import dev.kiln.bf.BfCompiler;
import dev.kiln.bf.BfInterpreter;
import dev.kiln.bf.BfJit;
import dev.kiln.bf.BfProgram;
import dev.kiln.source.Source;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated workloads print what a Java computation of the same arithmetic prints, in the
 * interpreter and the JIT, at small sizes (the committed benchmark sizes are for bench/bf/run);
 * and the committed files are what the generator writes.
 */
class WorkloadsTest {
  private static final int TAPE = BfProgram.DEFAULT_TAPE_CELLS;

  /** Runs the program in the interpreter and the JIT; asserts they agree and returns the output. */
  private static String run(String code, String input) throws Exception {
    BfProgram program = BfCompiler.compile(new Source("w.b", code));
    ByteArrayOutputStream interpreted = new ByteArrayOutputStream();
    BfInterpreter.run(program, TAPE, stream(input), interpreted, 0);
    ByteArrayOutputStream compiled = new ByteArrayOutputStream();
    BfJit.run(program, TAPE, new CompileOptions(), stream(input), compiled, 0);
    String out = interpreted.toString(StandardCharsets.ISO_8859_1);
    assertEquals(out, compiled.toString(StandardCharsets.ISO_8859_1), "JIT against interpreter");
    return out;
  }

  private static ByteArrayInputStream stream(String input) {
    return new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void mandelbrotPrintsThePictureOfItsFixedPointArithmetic() throws Exception {
    Mandelbrot small = new Mandelbrot(16, 6, 12);
    String expected = small.expected();
    assertEquals(expected, run(small.program(), ""));
    // Points inside and points escaping after several different counts: not a flat picture.
    assertTrue(expected.contains(" ") && expected.chars().distinct().count() > 8, expected);
  }

  @Test
  void factorPrintsPrimeFactorsOfEachLine() throws Exception {
    Factor factor = new Factor(16);
    String input = "12\n97\n1\n0\n\n65535\n32768\n65521\n4";
    String expected = "12: 2 2 3\n97: 97\n1:\n0:\n65535: 3 5 17 257\n32768:"
        + " 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2\n65521: 65521\n4: 2 2\n";
    assertEquals(expected, factor.expected(input));
    assertEquals(expected, run(factor.program(), input));
  }

  @Test
  void factorWrapsNumbersWiderThanItsBits() throws Exception {
    Factor factor = new Factor(8);
    assertEquals("4: 2 2\n", factor.expected("260\n"));
    assertEquals("4: 2 2\n", run(factor.program(), "260\n"));
  }

  @Test
  void scanPrintsALetterPerRoundOfScans() throws Exception {
    Scan scan = new Scan(5, 3, 40);
    assertEquals("ABCDE\n", scan.expected());
    assertEquals(scan.expected(), run(scan.program(), ""));
  }

  @Test
  void sizesOutOfRangeAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Mandelbrot(0, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> new Mandelbrot(10, 10, 58));
    assertThrows(IllegalArgumentException.class, () -> new Factor(7));
    assertThrows(IllegalArgumentException.class, () -> new Scan(27, 1, 1));
  }

  @Test
  void committedFilesAreWhatTheGeneratorWrites() throws Exception {
    for (Map.Entry<String, String> file : Workloads.files().entrySet()) {
      // Not assertEquals: its message would print both programs, hundreds of kilobytes each.
      assertTrue(file.getValue().equals(Files.readString(Path.of("examples/bf", file.getKey()))),
          file.getKey() + " is stale: regenerate with Workloads (see its javadoc)");
    }
  }
}
