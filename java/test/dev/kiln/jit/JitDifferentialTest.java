package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs random well-typed programs ({@link RandomProgramGenerator}) in the interpreter and in the
 * JIT, and requires identical stdout, stderr and exit codes. Each compiles through every IR pass;
 * it runs compiled from its first call or back edge, and handed over from the interpreter after
 * 17 of them, wherever in the program that falls: its frames resume in compiled code at loop
 * headers. {@code -Dkiln.jit.random.count=N} runs N programs (default 100), {@code
 * -Dkiln.jit.random.seed=S} starts at seed S; every failing program is saved under {@code
 * target/jit-repro/} to rerun with {@code kiln run}.
 */
class JitDifferentialTest {
  private static final Path REPRO = Path.of("target", "jit-repro");

  @Test
  void randomProgramsBehaveAsInTheInterpreter() throws IOException {
    compareWithInterpreter(Integer.getInteger("kiln.jit.random.count", 100),
        List.of(List.of("--compile-after=0"), List.of("--compile-after=17")));
  }

  private static void compareWithInterpreter(int count, List<List<String>> modes)
      throws IOException {
    long first = Long.getLong("kiln.jit.random.seed", 1);
    Path dir = Files.createTempDirectory("kiln-jit-random");
    List<String> failures = new ArrayList<>();
    int errors = 0;
    for (long seed = first; seed < first + count; seed++) {
      String source = RandomProgramGenerator.generate(seed);
      Path file = dir.resolve("random-" + seed + ".kiln");
      Files.writeString(file, source);
      KilnCli expected = run(file, List.of("--mode=interp"));
      assertNotEquals(1, expected.exit(), () -> "the generator wrote a bad program:\n" + expected.stderr() + source);
      errors += expected.exit() == 3 ? 1 : 0;
      for (List<String> mode : modes) {
        KilnCli actual = run(file, mode);
        if (!actual.equals(expected)) {
          Files.createDirectories(REPRO);
          Path saved = REPRO.resolve(file.getFileName());
          Files.writeString(saved, source);
          failures.add(saved + " " + mode + ": expected " + expected + ", got " + actual);
        }
      }
      Files.delete(file);
    }
    Files.delete(dir);
    assertEquals(List.of(), failures);
    // The generator must exercise the error paths too, but not drown the rest in them.
    assertNotEquals(0, errors);
    assertNotEquals(count, errors);
  }

  private static KilnCli run(Path file, List<String> options) {
    List<String> argv = new ArrayList<>(List.of("run", file.toString(), "--max-memory=16"));
    argv.addAll(options);
    return KilnCli.run(argv.toArray(String[]::new));
  }
}
