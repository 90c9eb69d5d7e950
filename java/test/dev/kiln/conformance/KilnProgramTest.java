package dev.kiln.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotation reader the conformance suite depends on. */
class KilnProgramTest {
  @TempDir Path dir;

  private KilnProgram parse(String source) throws IOException {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, source);
    return KilnProgram.parse(file);
  }

  @Test
  void expectLinesFormStdoutInOrderIncludingTrailingAnnotationsAndEmptyLines() throws IOException {
    KilnProgram p =
        parse("fn main() {\n    print(1); // expect: 1\n    // expect:\n}\n// expect:  two spaces\n");
    assertEquals("1\n\n two spaces\n", p.expectedStdout());
    assertEquals(0, p.expectedExit());
    assertTrue(p.expectedErrors().isEmpty());
  }

  @Test
  void errorsExitArgsAndModesAreRead() throws IOException {
    KilnProgram p =
        parse(
            "// expect-error: 4:13: runtime error: division by zero\n"
                + "// expect-error:       ^\n// exit: 3\n"
                + "// args: --time-limit=1  --max-memory=1\n// modes: interp\n");
    assertEquals(
        List.of("4:13: runtime error: division by zero", "      ^"), p.expectedErrors());
    assertEquals(3, p.expectedExit());
    assertEquals(List.of("--time-limit=1", "--max-memory=1"), p.args());
    assertTrue(p.runsIn("interp"));
    assertFalse(p.runsIn("jit"));
  }

  @Test
  void everyModeRunsWhenNoModesLineLimitsThem() throws IOException {
    assertTrue(parse("fn main() { }\n").runsIn("jit"));
  }

  @Test
  void anExpectedErrorWithoutAnExitCodeIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> parse("// expect-error: error: missing main\n"));
  }

  @Test
  void aMalformedExitCodeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> parse("// exit: three\n"));
  }
}
