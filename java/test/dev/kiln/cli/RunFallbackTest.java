package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run} and {@code kiln ir} where the JIT cannot run: they run the program in the
 * interpreter after one warning line that says why. The refusal of executable memory is the OS's, as the shim sees it:
 * a child JVM runs with {@code LD_PRELOAD} of the test library {@code
 * native/test/deny_exec_preload.c}, which fails the shim's executable mappings with EACCES.
 */
@EnabledOnOs(OS.LINUX)
class RunFallbackTest {
  private static final Path DENY_EXEC = Path.of("target", "cmake", "libkiln_deny_exec.so");

  @TempDir Path dir;

  @Test
  void runsTheInterpreterAfterOneWarningWhenExecutableMemoryIsRefused() throws Exception {
    assumeTrue(Files.exists(DENY_EXEC), "the native build makes " + DENY_EXEC);
    String stderr = runFib20(Map.of("LD_PRELOAD", DENY_EXEC.toAbsolutePath().toString()));
    assertRefusedThenInterpreted(stderr);
  }

  /** Handed over from the interpreter, the JIT's refusal leaves the interpreter going on. */
  @Test
  void aProgramHandedOverKeepsRunningInTheInterpreterAfterTheWarning() throws Exception {
    assumeTrue(Files.exists(DENY_EXEC), "the native build makes " + DENY_EXEC);
    String stderr = runFib20(Map.of("LD_PRELOAD", DENY_EXEC.toAbsolutePath().toString()),
        List.of("--compile-after=100"));
    assertRefusedThenInterpreted(stderr);
  }

  @Test
  void aMissingNativeLibraryOverrideIsNamedInTheWarning() throws Exception {
    Path missing = dir.resolve("libkiln.so");
    String stderr = runFib20(Map.of(), "-Dkiln.native.path=" + missing);
    assertEquals(FallbackWarning.line("the arrays could not be mapped in native memory (cannot load"
            + " -Dkiln.native.path=" + missing + ": no such file)"),
        stderr.split("\n")[0]);
  }

  @Test
  void kilnIrRunsTheInterpreterAfterOneWarningToo() throws Exception {
    assumeTrue(Files.exists(DENY_EXEC), "the native build makes " + DENY_EXEC);
    Path file = dir.resolve("p.ir");
    Files.writeString(file, """
        import @print_i64(i64)
        function @main() -> i64 {
        block0:
            v0 = iconst 42
            call @print_i64(v0)
            v1 = iconst 0
            v2 = udiv v0, v1 @9
            return v2
        }
        """);
    Run r = kiln(Map.of("LD_PRELOAD", DENY_EXEC.toAbsolutePath().toString()), List.of(),
        "ir", file.toString());
    assertEquals(Main.EXIT_RUNTIME_ERROR, r.exit, r.stderr);
    assertEquals("42\n", r.stdout);
    String[] lines = r.stderr.split("\n");
    assertEquals(2, lines.length, r.stderr);
    assertTrue(lines[0].matches("kiln: warning: .*Permission denied.*; running the interpreter"
        + " \\(the launchers run it faster with --mode=interp\\)"), lines[0]);
    assertEquals(file + ": runtime error: division by zero in @main at position 9", lines[1]);
  }

  /** The warning that executable memory was refused, then the interpreter's error. */
  private static void assertRefusedThenInterpreted(String stderr) {
    String[] lines = stderr.split("\n");
    assertEquals(2, lines.length, stderr);
    assertTrue(lines[0].matches("kiln: warning: .*Permission denied.*; running the interpreter"
        + " \\(the launchers run it faster with --mode=interp\\)"), lines[0]);
    assertTrue(lines[1].endsWith("p.kiln:2:56: runtime error: index out of bounds: index 2, length 2"), lines[1]);
  }

  /**
   * Runs {@code kiln run} on a program printing fib(20), then failing on an index, in a child JVM
   * with the given environment and JVM options; checks the interpreter's output and exit status
   * and returns the standard error.
   */
  private String runFib20(Map<String, String> environment, String... jvmOptions) throws Exception {
    return runFib20(environment, List.of(), jvmOptions);
  }

  /** As {@link #runFib20(Map, String...)}, with options of {@code kiln run}. */
  private String runFib20(Map<String, String> environment, List<String> runOptions,
      String... jvmOptions) throws Exception {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, """
        fn fib(n: int) -> int { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }
        fn main() { print(fib(20)); let a = new int[2]; print(a[2]); }
        """);
    List<String> args = new ArrayList<>(List.of("run", file.toString()));
    args.addAll(runOptions);
    Run r = kiln(environment, List.of(jvmOptions), args.toArray(String[]::new));
    // The interpreter's output and error, after the single warning.
    assertEquals(Main.EXIT_RUNTIME_ERROR, r.exit, r.stderr);
    assertEquals("6765\n", r.stdout);
    return r.stderr;
  }

  private record Run(int exit, String stdout, String stderr) {}

  /** Runs kiln with {@code args} in a child JVM with the given environment and JVM options. */
  private Run kiln(Map<String, String> environment, List<String> jvmOptions, String... args)
      throws Exception {
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED")); // as the launchers run it: JDK 24+ warns without
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder kiln = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    kiln.environment().putAll(environment);
    Process child = kiln.start();
    child.getOutputStream().close();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
    return new Run(child.exitValue(), read(out), read(err));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
