package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The depth limit does not depend on the JVM's heap: a recursion of large frames overflows at the
 * same frame in an interpreter whose JVM has a 64 MiB heap as in the conformance suite's run in
 * every mode (limits/stack_overflow_large_frames.kiln), and quickly.
 */
class SmallHeapTest {
  private static final Path PROGRAM =
      Path.of("java/test-resources/conformance/limits/stack_overflow_large_frames.kiln");

  @Test
  void largeFramesOverflowAtTheSameFrameUnderA64MibHeap() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "--mode=interp", PROGRAM.toString())).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ended");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals("2081\n2082\n2083\n", out, err);
    assertEquals(PROGRAM + ":1507:12: runtime error: stack overflow\n", err);
    assertEquals(Main.EXIT_RUNTIME_ERROR, p.exitValue());
  }
}
