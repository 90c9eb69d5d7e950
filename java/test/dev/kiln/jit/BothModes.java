package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a Kiln program in the interpreter and compiled, by the JIT and on the back end
 * ({@code --mode=jit-ir}), for both conventions, and compares.
 */
final class BothModes {
  private BothModes() {}

  /**
   * Asserts that both compiled modes (host and Windows x64 conventions) print, report and exit
   * exactly as the interpreter does, with {@code exit}; returns the interpreter's outcome.
   */
  static KilnCli assertSame(Path dir, String source, int exit, String... options) throws IOException {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, source);
    KilnCli expected = KilnCli.run(command(file, "--mode=interp", options));
    assertEquals(exit, expected.exit(), expected.stderr());
    for (String mode : List.of("--mode=jit", "--mode=jit-ir")) {
      for (String convention : List.of("host", "windows-x64")) {
        String[] withMode = new String[options.length + 1];
        withMode[0] = mode;
        System.arraycopy(options, 0, withMode, 1, options.length);
        assertEquals(expected, KilnCli.run(command(file, "--convention=" + convention, withMode)),
            mode + " " + convention);
      }
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
