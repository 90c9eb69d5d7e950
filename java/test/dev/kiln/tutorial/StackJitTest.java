package dev.kiln.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.Backend;
import dev.kiln.ir.IrParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tutorial.StackJit;

/**
 * The tutorial's examples/tutorial/StackJit.java as its users run it: every example in the
 * interpreter and through the JIT (the same output and the same error), the loader's errors, and
 * the JIT's static stack-depth check.
 */
class StackJitTest {
  static final Path EXAMPLES = Path.of("examples/tutorial");

  @TempDir Path temp;

  /** The exit status and the text StackJit printed on each stream. */
  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = StackJit.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> examples() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".stack")).sorted().toList()) {
        cases.add(Arguments.of(file.getFileName().toString(), "jit"));
        cases.add(Arguments.of(file.getFileName().toString(), "interp"));
      }
    }
    return cases.stream();
  }

  /**
   * An example's comments say how to run it ({@code ; args: 30}), each line it prints
   * ({@code ; expect: 832040}) and the error it ends with ({@code ; expect error: ...}).
   */
  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("examples")
  void exampleDoesWhatItsCommentsExpect(String name, String engine) throws IOException {
    Path file = EXAMPLES.resolve(name);
    List<String> args = new ArrayList<>(List.of(file.toString()));
    StringBuilder expectedOut = new StringBuilder();
    String expectedError = null;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("; args: ")) {
        args.addAll(List.of(line.substring("; args: ".length()).trim().split("\\s+")));
      } else if (line.startsWith("; expect: ")) {
        expectedOut.append(line.substring("; expect: ".length())).append('\n');
      } else if (line.startsWith("; expect error: ")) {
        expectedError = line.substring("; expect error: ".length());
      }
    }
    if (engine.equals("interp")) {
      args.add("--interp");
    }
    Result r = run(args.toArray(new String[0]));
    assertEquals(expectedOut.toString(), r.out(), "output of " + name);
    if (expectedError == null) {
      assertEquals("", r.err());
      assertEquals(0, r.exit());
    } else {
      assertTrue(expectedError.startsWith(name + ":"), "an expected error starts with " + name);
      assertEquals(EXAMPLES.resolve(name) + expectedError.substring(name.length()) + "\n",
          r.err());
      assertEquals(3, r.exit());
    }
  }

  private Path write(String source) throws IOException {
    Path file = temp.resolve("bad.stack");
    Files.writeString(file, source);
    return file;
  }

  /** Runs {@code source} from a temporary file; its path in stderr becomes {@code bad.stack}. */
  private Result runSource(String source, String... options) throws IOException {
    Path file = write(source);
    List<String> args = new ArrayList<>(List.of(file.toString()));
    args.addAll(List.of(options));
    Result r = run(args.toArray(new String[0]));
    return new Result(r.exit(), r.out(), r.err().replace(file.toString(), "bad.stack"));
  }

  @Test
  void aLoaderErrorNamesFileLineAndColumnAndShowsTheLineWithACaret() throws IOException {
    Result r = runSource("func main 0\n    push 1\n\tpusj 2\n    ret\n");
    assertEquals("bad.stack:3:2: error: unknown instruction 'pusj'\n\tpusj 2\n\t^\n", r.err());
    assertEquals(1, r.exit());
    assertEquals("", r.out());
  }

  static Stream<Arguments> loaderErrors() {
    return Stream.of(
        Arguments.of("push 1\n",
            "1:1: error: instruction outside a function: start one with 'func'"),
        Arguments.of("start:\n", "1:1: error: label 'start' outside a function: start one with"
            + " 'func'"),
        Arguments.of("func main\n",
            "1:1: error: a function starts with 'func NAME PARAMS', e.g. 'func fib 1'"),
        Arguments.of("func 9lives 0\n",
            "1:6: error: a function name is letters, digits and '_', not '9lives'"),
        Arguments.of("func main x\n",
            "1:11: error: the parameter count is an integer from 0 to 256, not 'x'"),
        Arguments.of("func main 0\n  push\n  ret\n", "2:3: error: 'push' takes one operand"),
        Arguments.of("func main 0\n  push 1 2\n  ret\n", "2:10: error: 'push' takes one operand"),
        Arguments.of("func main 0\n  add 1\n  ret\n", "2:7: error: 'add' takes no operand"),
        Arguments.of("func main 0\n  push 9223372036854775808\n  ret\n",
            "2:8: error: the constant is an integer from -9223372036854775808 to"
                + " 9223372036854775807, not '9223372036854775808'"),
        Arguments.of("func main 0\n  load 256\n  ret\n",
            "2:8: error: the local index is an integer from 0 to 255, not '256'"),
        Arguments.of("func main 0\n  jump nowhere\n",
            "2:8: error: no label 'nowhere' in function 'main'"),
        Arguments.of("func main 0\n  call nothing\n  ret\n", "2:8: error: no function 'nothing'"),
        Arguments.of("func main 0\n  push 1\n",
            "2:3: error: function 'main' ends with 'push': its last instruction must be ret or"
                + " jump"),
        Arguments.of("func main 0\n  push 0\n  jz out\n  ret\nout:\n",
            "5:1: error: label 'out' marks no instruction"),
        Arguments.of("func main 0\nagain:\nagain: push 0\n  ret\n",
            "3:1: error: label 'again' is already defined at line 2"),
        Arguments.of("func main 0\n  ret\nfunc main 1\n  ret\n",
            "3:6: error: function 'main' is already defined at line 1"),
        Arguments.of("func main 0 ; nothing follows\n",
            "1:6: error: function 'main' has no instructions"),
        Arguments.of("func helper 0\n  push 0\n  ret\n", "error: no function 'main'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("loaderErrors")
  void theLoaderRejectsMalformedProgramsInBothEngines(String source, String message)
      throws IOException {
    for (String[] engine : new String[][] {{}, {"--interp"}}) {
      Result r = runSource(source, engine);
      String first = r.err().lines().findFirst().orElse("");
      assertEquals(message.startsWith("error") ? "bad.stack: " + message : "bad.stack:" + message,
          first);
      assertEquals(1, r.exit());
    }
  }

  @Test
  void theJitRejectsAJumpThatReachesALabelWithAnotherStackDepthWhichTheInterpreterRuns()
      throws IOException {
    String source = """
        func main 0
            push 0
            jz skip
            push 7      ; only on the path that does not jump
        skip:
            push 1
            print
            push 0
            ret
        """;
    Result jit = runSource(source);
    assertEquals("bad.stack:4:5: error: the stack holds 1 value(s) here but 0 on another path to"
        + " line 6: the JIT needs one stack depth per instruction\n"
        + "    push 7      ; only on the path that does not jump\n    ^\n", jit.err());
    assertEquals(1, jit.exit());
    Result interp = runSource(source, "--interp");
    assertEquals("1\n", interp.out());
    assertEquals(0, interp.exit());
  }

  @Test
  void aLoopWhoseBodyLeavesAValueBehindIsRejectedAtItsBackwardJump() throws IOException {
    Result r = runSource("""
        func main 0
        top:
            push 1
            jump top
        """);
    assertEquals("bad.stack:4:5: error: the stack holds 1 value(s) here but 0 on another path to"
        + " line 3: the JIT needs one stack depth per instruction", r.err().lines().findFirst()
        .orElse(""));
    assertEquals(1, r.exit());
  }

  @Test
  void stackUnderflowIsFoundByTheJitBeforeRunningAndByTheInterpreterWhenItGetsThere()
      throws IOException {
    String source = "func main 0\n  push 5\n  print\n  push 1\n  add\n  ret\n";
    Result jit = runSource(source);
    assertEquals("bad.stack:5:3: error: operand stack underflow\n  add\n  ^\n", jit.err());
    assertEquals("", jit.out());
    assertEquals(1, jit.exit());
    Result interp = runSource(source, "--interp");
    assertEquals("5\n", interp.out());
    assertEquals("bad.stack:5: runtime error: operand stack underflow in function 'main'\n",
        interp.err());
    assertEquals(3, interp.exit());
  }

  @Test
  void aCallNeedsItsArgumentsOnTheStack() throws IOException {
    String source = "func main 0\n  push 1\n  call pair\n  ret\nfunc pair 2\n  load 1\n  ret\n";
    assertEquals("bad.stack:3:3: error: operand stack underflow",
        runSource(source).err().lines().findFirst().orElse(""));
    assertEquals("bad.stack:3: runtime error: operand stack underflow in function 'main'\n",
        runSource(source, "--interp").err());
  }

  @Test
  void moreThan256ValuesOnTheStackOverflowItInBothEngines() throws IOException {
    String source = "func main 0\n" + "  push 1\n".repeat(StackJit.MAX_STACK + 1) + "  ret\n";
    int line = StackJit.MAX_STACK + 2;
    Result jit = runSource(source);
    assertEquals("bad.stack:" + line + ":3: error: operand stack overflow (more than 256 values)",
        jit.err().lines().findFirst().orElse(""));
    assertEquals(1, jit.exit());
    Result interp = runSource(source, "--interp");
    assertEquals("bad.stack:" + line + ": runtime error: operand stack overflow (more than 256"
        + " values) in function 'main'\n", interp.err());
    assertEquals(3, interp.exit());
  }

  /** main calls down(n), which calls itself down to 0: n + 2 calls are active at the deepest. */
  private static final String DOWN = """
      func main 1
          load 0
          call down
          print
          push 0
          ret
      func down 1
          load 0
          jz bottom
          load 0
          push 1
          sub
          call down
          ret
      bottom:
          push 42
          ret
      """;

  @ParameterizedTest
  @ValueSource(strings = {"jit", "interp"})
  void theCallDepthLimitIsTenThousandActiveCallsInBothEngines(String engine) throws IOException {
    String[] mode = engine.equals("jit") ? new String[0] : new String[] {"--interp"};
    Result deepest = runSource(DOWN, with(mode, StackJit.MAX_CALL_DEPTH - 2));
    assertEquals("42\n", deepest.out());
    assertEquals(0, deepest.exit());
    Result tooDeep = runSource(DOWN, with(mode, StackJit.MAX_CALL_DEPTH - 1));
    assertEquals("", tooDeep.out());
    assertEquals("bad.stack:13: runtime error: stack overflow (more than 10000 nested calls) in"
        + " function 'down'", tooDeep.err().lines().findFirst().orElse(""));
    assertEquals(3, tooDeep.exit());
  }

  private static String[] with(String[] options, int argument) {
    List<String> all = new ArrayList<>(List.of(options));
    all.add(0, String.valueOf(argument));
    return all.toArray(new String[0]);
  }

  @Test
  void mainTakesItsParametersFromTheCommandLine() throws IOException {
    Path file = write(DOWN);
    Result missing = run(file.toString());
    assertTrue(missing.err().startsWith("StackJit: main takes 1 argument(s), 0 given\nusage: "),
        missing.err());
    assertEquals(2, missing.exit());
    Result notANumber = run(file.toString(), "ten");
    assertTrue(notANumber.err().startsWith(
        "StackJit: an argument of main is a 64-bit integer, not 'ten'\nusage: "));
    assertEquals(2, notANumber.exit());
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    for (String[][] c : new String[][][] {
        {{}, {"StackJit: no program file given"}},
        {{"fib.stack", "--fast"}, {"StackJit: unknown option --fast"}},
        {{"fib.stack", "--time-limit=soon"},
            {"StackJit: --time-limit takes seconds (more than 0), not 'soon'"}},
        {{"fib.stack", "--time-limit=0"},
            {"StackJit: --time-limit takes seconds (more than 0), not '0'"}},
        {{"fib.stack", "--dump-ir", "--interp"},
            {"StackJit: --dump-ir shows the JIT's output: drop --interp"}}}) {
      Result r = run(c[0]);
      assertEquals(c[1][0], r.err().lines().findFirst().orElse(""));
      assertTrue(r.err().contains("\nusage: StackJit FILE.stack"));
      assertEquals(2, r.exit());
    }
    Result unreadable = run(temp.resolve("missing.stack").toString());
    assertTrue(unreadable.err().startsWith("StackJit: cannot read "), unreadable.err());
    assertEquals(2, unreadable.exit());
  }

  @Test
  void dumpIrPrintsTheJitsModuleAsIrTextThatParsesBack() {
    Result r = run(EXAMPLES.resolve("loop.stack").toString(), "--dump-ir");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("function @main(i64) -> i64 @8 {"), r.out());
    // The loop's header receives the counter and the sum as block parameters: SSA, no stack.
    assertTrue(r.out().contains("(v3: i64, v4: i64):\n    v5 = icmp slt v3, v0 @16"), r.out());
    IrParser.parse(r.out()).verify();
  }

  /** As the tutorial tells its readers to run it: one source file on Kiln's classes. */
  @Test
  void theFileRunsWithTheJdksSingleFileSourceLauncher() throws Exception {
    Path kilnClasses =
        Path.of(Backend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", kilnClasses.toString(),
        EXAMPLES.resolve("StackJit.java").toString(), EXAMPLES.resolve("fib.stack").toString(),
        "20").redirectErrorStream(true).start();
    assertEquals("6765\n", new String(java.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8));
    assertEquals(0, java.waitFor());
  }

  @Test
  void statsReportTheTimeOfEachPhaseAfterTheOutput() {
    Result jit = run(EXAMPLES.resolve("loop.stack").toString(), "10", "--stats");
    assertEquals("45\n", jit.out());
    assertTrue(jit.err().matches(
        "StackJit: load \\d+\\.\\d ms, compile \\d+\\.\\d ms, run \\d+\\.\\d ms\n"), jit.err());
    Result interp = run(EXAMPLES.resolve("loop.stack").toString(), "10", "--stats", "--interp");
    assertTrue(interp.err().matches("StackJit: load \\d+\\.\\d ms, run \\d+\\.\\d ms\n"),
        interp.err());
  }
}
