package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a {@code kiln run} in a fresh JVM does without: the JVM's lambda machinery, and
 * FutureTask, whose initialisation starts its VarHandle machinery. The first lambda or method
 * reference a JVM links costs that machinery's start-up, milliseconds while the JVM still
 * interprets it, and every later one its own bootstrap; so the path of a run, from the command
 * line through the front end, the lowering, the back end's passes and the run-time glue, links
 * none (docs/performance.md).
 */
class ColdRunTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"hello", "fib", "primes", "quicksort", "mandelbrot", "nbody"})
  void aRunLinksNoLambdaAndLoadsNoFutureTask(String example)
      throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info:file=" + log,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "examples/" + example + ".kiln"));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ended");
    assertEquals(Main.EXIT_OK, p.exitValue());
    List<String> linked = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.contains("$$Lambda") || line.contains("java.lang.invoke.LambdaMetafactory")
          || line.contains("java.util.concurrent.FutureTask ")) {
        linked.add(line);
      }
    }
    assertEquals(List.of(), linked);
  }
}
