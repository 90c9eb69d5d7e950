package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a Kiln program in the interpreter and compiled by the JIT before it runs, for both calling
 * conventions, and compares.
 */
final class BothModes {
  private BothModes() {}

  /**
   * Asserts that the JIT's code for both conventions (host and Windows x64) prints, reports and exits
   * exactly as the interpreter does, with {@code exit}; returns the interpreter's outcome.
   */
  static KilnCli assertSame(Path dir, String source, int exit, String... options) throws IOException {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, source);
    KilnCli expected = KilnCli.run(command(file, "--mode=interp", options));
    assertEquals(exit, expected.exit(), expected.stderr());
    String[] compiled = new String[options.length + 2];
    compiled[0] = "--compile-after=0";
    System.arraycopy(options, 0, compiled, 2, options.length);
    for (String convention : List.of("host", "windows-x64")) {
      compiled[1] = "--convention=" + convention;
      assertEquals(expected, KilnCli.run(command(file, "--mode=jit", compiled)), convention);
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
