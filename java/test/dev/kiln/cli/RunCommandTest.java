package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String program, String... options) throws IOException {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, program);
    String[] args = new String[options.length + 2];
    args[0] = "run";
    args[1] = file.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    return Main.execute(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runsAProgram() throws IOException {
    assertEquals(0, run("fn main() { print(\"fib\", 1 + 2, 0.5, true); }"));
    assertEquals("fib 3 0.5 true\n", stdout());
    assertEquals("", stderr());
  }

  @Test
  void compileErrorsExitOne() throws IOException {
    assertEquals(1, run("fn main() {\n  print(x);\n}\n"));
    assertTrue(stderr().endsWith("p.kiln:2:9: error: undefined variable 'x'\n  print(x);\n        ^\n"),
        stderr());
  }

  @Test
  void runtimeErrorsExitThreeAfterTheOutput() throws IOException {
    assertEquals(3, run("fn main() {\n  print(1);\n  let z = 0;\n  print(1 % z);\n}\n"));
    assertEquals("1\n", stdout());
    assertTrue(stderr().endsWith("p.kiln:4:11: runtime error: division by zero\n"), stderr());
  }

  @Test
  void limitsAreOptions() throws IOException {
    assertEquals(3, run("fn main() { while true { } }", "--time-limit=0.2"));
    assertTrue(stderr().contains("runtime error: time limit exceeded"), stderr());
    assertEquals(3, run("fn main() { let a = new int[200000]; }", "--max-memory=1"));
    assertTrue(stderr().contains("runtime error: out of memory"), stderr());
  }

  @Test
  void usageErrorsExitTwoWithAHint() throws IOException {
    assertEquals(2, run("fn main() { }", "--mode=jit"));
    assertTrue(stderr().startsWith("kiln: --mode=jit is not available"), stderr());
    assertTrue(stderr().contains("usage: kiln run FILE"), stderr());
    assertEquals(2, run("fn main() { }", "--time-limit=-1"));
    assertEquals(2, run("fn main() { }", "--frobnicate"));
    assertEquals(2, Main.execute(new String[] {"run", dir.resolve("missing.kiln").toString()},
        new PrintStream(out), new PrintStream(err)));
    assertTrue(stderr().contains("no such file"), stderr());
  }

  @Test
  void dumpsBytecode() throws IOException {
    assertEquals(0, run("fn main() { print(1); }", "--dump=bytecode"));
    assertTrue(stdout().contains("fn #0 main() -> void"), stdout());
    assertTrue(stdout().contains("PRINT_I"), stdout());
  }
}
