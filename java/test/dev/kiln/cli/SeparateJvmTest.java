package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line in a JVM of its own, where what the OS does matters: the JVM's heap, a pipe
 * whose reader goes away, a full device.
 */
class SeparateJvmTest {
  private static final Path LARGE_FRAMES =
      Path.of("java/test-resources/conformance/limits/stack_overflow_large_frames.kiln");

  @TempDir Path dir;

  private static ProcessBuilder kiln(String heap, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The depth limit does not depend on the heap: the conformance suite's frame, under 64 MiB. */
  @Test
  void largeFramesOverflowAtTheSameFrameUnderA64MibHeap() throws IOException, InterruptedException {
    Process p = kiln("-Xmx64m", "run", "--mode=interp", LARGE_FRAMES.toString()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ended");
    String out = text(p.getInputStream().readAllBytes());
    String err = text(p.getErrorStream().readAllBytes());
    assertEquals("2081\n2082\n2083\n", out, err);
    assertEquals(LARGE_FRAMES + ":1507:12: runtime error: stack overflow\n", err);
    assertEquals(Main.EXIT_RUNTIME_ERROR, p.exitValue());
  }

  /** {@code kiln run forever.kiln | head -1}: the run ends quietly once the reader has gone. */
  @ParameterizedTest
  @ValueSource(strings = {"--mode=interp", "--mode=jit"})
  void aClosedPipeEndsAProgramPrintingForever(String mode) throws IOException, InterruptedException {
    Path program = dir.resolve("forever.kiln");
    Files.writeString(program, "fn main() {\n  let i = 0;\n  while true { print(i); i += 1; }\n}\n");
    Process p = kiln("-Xmx256m", "run", mode, program.toString()).start();
    try {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertEquals("0", out.readLine());
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the run ended after the pipe closed");
      assertEquals("", text(p.getErrorStream().readAllBytes()));
      assertEquals(Main.EXIT_CLOSED_PIPE, p.exitValue());
    } finally {
      p.destroyForcibly(); // a run that did not end must not outlive the test
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aFullDeviceIsReportedWithTheOsMessage() throws IOException, InterruptedException {
    Process p = kiln("-Xmx256m", "run", "examples/hello.kiln")
        .redirectOutput(new File("/dev/full")).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the run ended");
    assertEquals("kiln: cannot write output: No space left on device\n",
        text(p.getErrorStream().readAllBytes()));
    assertEquals(Main.EXIT_FAILURE, p.exitValue());
  }
}
