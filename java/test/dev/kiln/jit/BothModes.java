package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a Kiln program in the interpreter and compiled, by the JIT and on the back end
 * ({@code --mode=jit-ir}, compiled from its first call or back edge), for both conventions, and
 * compares.
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
    for (List<String> mode : List.of(List.of("--mode=jit"),
        List.of("--mode=jit-ir", "--compile-after=0"))) {
      for (String convention : List.of("host", "windows-x64")) {
        String[] withMode = new String[options.length + mode.size()];
        for (int k = 0; k < mode.size(); k++) {
          withMode[k] = mode.get(k);
        }
        System.arraycopy(options, 0, withMode, mode.size(), options.length);
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
