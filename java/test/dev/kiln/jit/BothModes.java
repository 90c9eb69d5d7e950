package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a Kiln program in the interpreter and compiled for both conventions, and compares. */
final class BothModes {
  private BothModes() {}

  /**
   * Asserts that the JIT (host and Windows x64 conventions) prints, reports and exits exactly as
   * the interpreter does, with {@code exit}; returns the interpreter's outcome.
   */
  static KilnCli assertSame(Path dir, String source, int exit, String... options) throws IOException {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, source);
    KilnCli expected = KilnCli.run(command(file, "--mode=interp", options));
    assertEquals(exit, expected.exit(), expected.stderr());
    for (String convention : List.of("host", "windows-x64")) {
      assertEquals(expected, KilnCli.run(command(file, "--convention=" + convention, options)), convention);
    }
    return expected;
  }

  private static String[] command(Path file, String mode, String... options) {
    String[] args = new String[3 + options.length];
    args[0] = "run";
    args[1] = file.toString();
    args[2] = mode;
    System.arraycopy(options, 0, args, 3, options.length);
    return args;
  }
}
