package dev.kiln.conformance;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every annotated Kiln program of the conformance suite ({@code
 * java/test-resources/conformance/**}) and every example ({@code examples/*.kiln}) in every
 * available execution mode, and checks stdout, stderr and the exit code against the program's
 * annotations (see {@link KilnProgram}).
 */
class ConformanceTest {
  /**
   * The execution modes every program runs in: a mode is the {@code --mode} value, then any
   * further options. The JIT runs a program as users run it (compiled before it runs, being
   * small), handed over from the interpreter after five calls and back edges, and with code
   * generated for the Microsoft x64 convention, through the runtime's ms_abi path, so both
   * conventions are tested on Linux.
   */
  static final List<String> MODES = List.of("interp", "jit", "jit --compile-after=5",
      "jit --convention=windows-x64");

  /**
   * A safety net only: the slowest program (the time-limit test) needs about a second, so a
   * program still running after this is hung, and the suite goes on without it.
   */
  private static final Duration HANG = Duration.ofSeconds(60);

  private static final List<String> PROGRAM_DIRS =
      List.of("java/test-resources/conformance", "examples");

  @TestFactory
  Stream<DynamicTest> programs() {
    Path root = ProjectRoot.find();
    List<KilnProgram> programs =
        PROGRAM_DIRS.stream().flatMap(d -> kilnFiles(root.resolve(d))).map(KilnProgram::parse)
            .toList();
    assertTrue(programs.size() > 0, "no .kiln programs found under " + root);
    return programs.stream()
        .flatMap(p -> MODES.stream().filter(p::runsIn).map(mode -> test(root, p, mode)));
  }

  private static DynamicTest test(Path root, KilnProgram program, String mode) {
    // Named by the path from the project root and the mode, so a failure says where to look.
    String name = root.relativize(program.path()) + " [" + mode + "]";
    return DynamicTest.dynamicTest(
        name, program.path().toUri(), () -> check(name, program, mode));
  }

  private static void check(String name, KilnProgram program, String mode) {
    KilnRun run =
        assertTimeoutPreemptively(
            HANG, () -> KilnRun.of(program, mode), () -> name + ": still running after " + HANG);
    String actual = "\n--- stdout ---\n" + run.stdout() + "--- stderr ---\n" + run.stderr();
    assertAll(
        name,
        () -> assertEquals(program.expectedStdout(), run.stdout(), name + ": stdout" + actual),
        () -> checkStderr(program, run, name + ": stderr" + actual),
        () -> assertEquals(program.expectedExit(), run.exit(), name + ": exit code" + actual));
  }

  private static void checkStderr(KilnProgram program, KilnRun run, String context) {
    if (program.expectedErrors().isEmpty()) {
      assertEquals("", run.stderr(), context + "\n(no error expected: stderr must be empty)");
      return;
    }
    for (String expected : program.expectedErrors()) {
      if (!run.stderr().contains(expected)) {
        fail(context + "\nexpected stderr to contain: " + expected);
      }
    }
  }

  private static Stream<Path> kilnFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(f -> f.toString().endsWith(".kiln")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
