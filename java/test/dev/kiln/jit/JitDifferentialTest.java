package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs random well-typed programs ({@link RandomProgramGenerator}) in the interpreter and in the
 * JIT (both calling conventions) and requires identical stdout, stderr and exit codes. {@code
 * -Dkiln.jit.random.count=N} runs N programs (default 300), {@code -Dkiln.jit.random.seed=S}
 * starts at seed S; every failing program is saved under {@code target/jit-repro/} to rerun
 * with {@code kiln run}.
 */
class JitDifferentialTest {
  private static final Path REPRO = Path.of("target", "jit-repro");

  private record Outcome(int exit, String stdout, String stderr) {}

  @Test
  void randomProgramsBehaveAsInTheInterpreter() throws IOException {
    int count = Integer.getInteger("kiln.jit.random.count", 300);
    long first = Long.getLong("kiln.jit.random.seed", 1);
    Path dir = Files.createTempDirectory("kiln-jit-random");
    List<String> failures = new ArrayList<>();
    int errors = 0;
    for (long seed = first; seed < first + count; seed++) {
      String source = RandomProgramGenerator.generate(seed);
      Path file = dir.resolve("random-" + seed + ".kiln");
      Files.writeString(file, source);
      Outcome expected = run(file, "--mode=interp");
      assertNotEquals(1, expected.exit(), () -> "the generator wrote a bad program:\n" + expected.stderr() + source);
      errors += expected.exit() == 3 ? 1 : 0;
      for (String convention : List.of("host", "windows-x64")) {
        Outcome actual = run(file, "--mode=jit", "--convention=" + convention);
        if (!actual.equals(expected)) {
          Files.createDirectories(REPRO);
          Path saved = REPRO.resolve(file.getFileName());
          Files.writeString(saved, source);
          failures.add(saved + " (" + convention + "): expected " + expected + ", got " + actual);
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

  private static Outcome run(Path file, String... options) {
    List<String> argv = new ArrayList<>(List.of("run", file.toString(), "--max-memory=16"));
    argv.addAll(List.of(options));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.execute(argv.toArray(String[]::new), o, e);
    }
    return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
