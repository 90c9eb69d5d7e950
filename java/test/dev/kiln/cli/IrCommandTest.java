package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln ir}: running IR text, its output, errors and exit codes. */
class IrCommandTest {
  private static final String HELLO = """
      import @print_i64(i64)
      import @putchar(i64)
      function @main() -> i64 {
      block0:
          v0 = iconst 72
          call @putchar(v0)
          v1 = iconst 105
          call @putchar(v1)
          v2 = iconst 10
          call @putchar(v2)
          call @print_i64(v0)
          return v1
      }
      """;

  @TempDir Path dir;

  private KilnCli ir(String text, String... options) throws IOException {
    Path file = dir.resolve("p.ir");
    Files.writeString(file, text);
    String[] args = new String[2 + options.length];
    args[0] = "ir";
    args[1] = file.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    return KilnCli.run(args);
  }

  private String file() {
    return dir.resolve("p.ir").toString();
  }

  @Test
  void runsTheExample() {
    assertEquals(new KilnCli(0, "Hello, Kiln!\n0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n55\n", ""),
        KilnCli.run("ir", "examples/ir/hello.ir"));
  }

  @Test
  void runsMainAndPrintsItsResult() throws IOException {
    KilnCli r = ir(HELLO);
    assertEquals(new KilnCli(0, "Hi\n72\n105\n", ""), r);
  }

  @Test
  void entryChoosesTheFunction() throws IOException {
    KilnCli r = ir(HELLO + """
        function @other() -> f64 {
        block0:
            v0 = fconst 2.5
            return v0
        }
        """, "--entry=other");
    assertEquals(new KilnCli(0, "2.5\n", ""), r);
  }

  @Test
  void readsStandardInput() throws IOException {
    Path file = dir.resolve("echo.ir");
    Files.writeString(file, """
        import @getchar() -> i64
        import @putchar(i64)
        function @main() {
        block0:
            jump block1
        block1:
            v0 = call @getchar()
            v1 = iconst 0
            v2 = icmp slt v0, v1
            brif v2, block3, block2
        block2:
            call @putchar(v0)
            jump block1
        block3:
            return
        }
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.execute(new String[] {"ir", file.toString()},
        new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)), new PrintStream(out),
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, code);
    assertEquals("abc", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aTrapIsARuntimeErrorAfterTheOutput() throws IOException {
    KilnCli r = ir("""
        import @print_i64(i64)
        function @main() {
        block0:
            v0 = iconst 1
            call @print_i64(v0)
            v1 = iconst 0
            v2 = sdiv v0, v1 @12
            return
        }
        """);
    assertEquals(new KilnCli(3, "1\n",
        file() + ": runtime error: division by zero in @main at position 12\n"), r);
  }

  @Test
  void anEndlessLoopStopsAtTheTimeLimit() throws IOException {
    KilnCli r = ir("function @main() {\nblock0:\n    jump block1\nblock1:\n    jump block1\n}\n",
        "--time-limit=0.1");
    assertEquals(new KilnCli(3, "", file() + ": runtime error: time limit exceeded in @main\n"),
        r);
  }

  @Test
  void aSyntaxErrorPointsAtItsPlace() throws IOException {
    KilnCli r = ir("function @main() {\nblock0:\n    v0 = iconst x\n    return\n}\n");
    assertEquals(new KilnCli(1, "", file() + ":3:17: error: expected an integer, found 'x'\n"
        + "    v0 = iconst x\n"
        + "                ^\n"), r);
  }

  @Test
  void verificationErrorsPointAtTheirInstructions() throws IOException {
    KilnCli r = ir("""
        function @main() -> i64 {
        block0:
            v0 = fconst 1.0
            return v0
        }
        """);
    assertEquals(new KilnCli(1, "", file() + ":4:5: error: @main block0: return v0: returned"
        + " value v0 is f64, expected i64\n"
        + "    return v0\n"
        + "    ^\n"), r);
  }

  @Test
  void importsMustBeStandard() throws IOException {
    KilnCli r = ir("import @launch(i64)\nfunction @main() {\nblock0:\n    return\n}\n");
    assertEquals(1, r.exit());
    assertEquals(file() + ": error: import @launch is unknown: kiln ir provides @getchar() -> i64,"
        + " @print_f64(f64), @print_i64(i64), @putchar(i64)\n", r.stderr());
    r = ir("import @print_i64(f64)\nfunction @main() {\nblock0:\n    return\n}\n");
    assertEquals(new KilnCli(1, "", file()
        + ": error: import @print_i64 must be declared (i64), not (f64)\n"), r);
    r = ir("import c @kiln_none(i64) -> i64\nfunction @main() {\nblock0:\n    return\n}\n");
    assertEquals(new KilnCli(1, "", file()
        + ": error: C function kiln_none not found in the process\n"), r);
    r = ir("""
        import c @labs(i64) -> i64
        function @main() -> i64 {
        block0:
            v0 = iconst -42
            v1 = call @labs(v0)
            return v1
        }
        """);
    assertEquals(new KilnCli(0, "42\n", ""), r);
    r = ir("import c @abs(i64) -> i64\nfunction @main() {\nblock0:\n    return\n}\n",
        "--mode=interp");
    assertEquals(new KilnCli(1, "", file()
        + ": error: @abs is a C function: the interpreter cannot call C functions\n"), r);
  }

  @Test
  void theEntryMustExistAndTakeNoParameters() throws IOException {
    KilnCli r = ir("function @f(i64) {\nblock0(v0: i64):\n    return\n}\n");
    assertEquals(new KilnCli(1, "", file()
        + ": error: no function @main to run (--entry names another)\n"), r);
    r = ir("function @f(i64) {\nblock0(v0: i64):\n    return\n}\n", "--entry=f");
    assertEquals(new KilnCli(1, "", file()
        + ": error: @f takes parameters; kiln ir runs a function without any\n"), r);
  }

  @Test
  void everyModeAndConventionRunsTheSame() throws IOException {
    String trapping = HELLO.replace("return v1", "v3 = iconst 0\n    v4 = sdiv v1, v3 @7\n"
        + "    return v4");
    for (String[] options : new String[][] {{}, {"--mode=interp"}, {"--mode=jit"},
        {"--convention=windows-x64"}, {"--convention=system-v"}}) {
      assertEquals(new KilnCli(0, "Hi\n72\n105\n", ""), ir(HELLO, options));
      assertEquals(new KilnCli(3, "Hi\n72\n", file()
          + ": runtime error: division by zero in @main at position 7\n"), ir(trapping, options));
    }
  }

  @Test
  void dumpAsmListsTheMachineCodeWithTheIr() throws IOException {
    KilnCli r = ir(HELLO, "--dump=asm");
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().contains("entry stub"), r.stdout());
    assertTrue(r.stdout().contains("; function @main () -> i64"), r.stdout());
    assertTrue(r.stdout().contains("; call @putchar(v0)"), r.stdout());
  }

  @Test
  void statsReportTheCompileAndTheRun() throws IOException {
    KilnCli r = ir(HELLO, "--stats");
    assertEquals("Hi\n72\n105\n", r.stdout());
    assertTrue(r.stderr().matches("kiln: jit [0-9.]+ ms \\(inlining [0-9.]+, tail-recursion [0-9.]+,"
        + " guards [0-9.]+, fold [0-9.]+, strength [0-9.]+, params [0-9.]+, promote [0-9.]+,"
        + " gvn [0-9.]+, mem [0-9.]+, licm [0-9.]+,"
        + " ifconv [0-9.]+, loop-bce [0-9.]+, loop-room [0-9.]+, unroll [0-9.]+, bce [0-9.]+,"
        + " idle-arms [0-9.]+, carry [0-9.]+, iv-products [0-9.]+, remat [0-9.]+, sink [0-9.]+,"
        + " depth [0-9.]+, bits [0-9.]+, dce [0-9.]+, thread [0-9.]+, bitcast [0-9.]+,"
        + " lower [0-9.]+, regalloc [0-9.]+, emit [0-9.]+\\), install [0-9.]+ ms, run [0-9.]+ ms,"
        + " code [0-9]+ bytes, 8 IR instructions"
        + " in 1 functions, 0 spilled values\n"), r.stderr());
    r = ir(HELLO, "--stats", "--mode=interp");
    assertTrue(r.stderr().matches("kiln: run [0-9.]+ ms \\(interpreter\\)\n"), r.stderr());
  }

  @Test
  void dumpPrintsTheCanonicalText() throws IOException {
    KilnCli r = ir("function @main() {\nblock3:  ; entry\n    return\n}\n", "--dump=ir");
    assertEquals(new KilnCli(0, "function @main() {\nblock0:\n    return\n}\n", ""), r);
  }

  @Test
  void usageErrors() throws IOException {
    KilnCli r = ir(HELLO, "--mode=fast");
    assertEquals(2, r.exit());
    assertTrue(r.stderr().startsWith(
        "kiln: invalid value for option '--mode': expected one of interp, jit, not 'fast'\n"),
        r.stderr());
    r = KilnCli.run("ir", dir.resolve("missing.ir").toString());
    assertEquals(2, r.exit());
    assertTrue(r.stderr().contains("no such file"), r.stderr());
  }

  @Test
  void aFailedWriteIsAnError() throws IOException {
    Path file = dir.resolve("p.ir");
    Files.writeString(file, HELLO);
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new String[] {"ir", file.toString()}, broken, new PrintStream(err));
    assertEquals(Main.EXIT_FAILURE, code);
    assertEquals("kiln: cannot write output: disk full\n", err.toString());
  }

  @Test
  void dumpIrAllPrintsTheModuleAfterEachPass() throws IOException {
    KilnCli r = ir("""
        function @main() -> i64 {
        block0:
            v0 = iconst 2
            v1 = iconst 3
            v2 = imul v0, v1
            return v2
        }
        """, "--dump=ir-all");
    assertEquals(0, r.exit(), r.stderr());
    String input = """
        function @main() -> i64 {
        block0:
            v0 = iconst 2
            v1 = iconst 3
            v2 = imul v0, v1
            return v2
        }
        """;
    String folded = input.replace("imul v0, v1", "iconst 6");
    String clean = """
        function @main() -> i64 {
        block0:
            v0 = iconst 6
            return v0
        }
        """;
    assertEquals(input + "\n; after inlining\n" + input + "\n; after tail-recursion\n" + input
        + "\n; after guards\n" + input + "\n; after fold\n" + folded
        + "\n; after strength\n" + folded + "\n; after params\n" + folded
        + "\n; after promote\n" + folded
        + "\n; after gvn\n" + folded + "\n; after mem\n" + folded + "\n; after licm\n" + folded
        + "\n; after ifconv\n" + folded + "\n; after loop-bce\n" + folded
        + "\n; after loop-room\n" + folded
        + "\n; after unroll\n" + folded + "\n; after bce\n" + folded
        + "\n; after idle-arms\n" + folded + "\n; after carry\n" + folded + "\n; after iv-products\n" + folded
        + "\n; after remat\n" + folded + "\n; after sink\n" + folded
        + "\n; after depth\n" + folded + "\n; after bits\n" + folded
        + "\n; after dce\n" + clean
        + "\n; after thread\n" + clean + "\n; after bitcast\n" + clean,
        r.stdout());
  }

  @Test
  void noOptCompilesTheModuleWithoutThePasses() throws IOException {
    String program = """
        function @main() -> i64 {
        block0:
            v0 = iconst 2
            v1 = iconst 3
            v2 = imul v0, v1
            return v2
        }
        """;
    KilnCli optimized = ir(program, "--dump=asm");
    KilnCli plain = ir(program, "--dump=asm", "--no-opt");
    assertEquals(0, plain.exit(), plain.stderr());
    assertFalse(optimized.stdout().contains("imul"), optimized.stdout());
    assertTrue(plain.stdout().contains("imul"), plain.stdout());
    assertEquals("6\n", ir(program, "--no-opt").stdout());
    assertEquals("6\n", ir(program).stdout());
  }

  @Test
  void helpDescribesTheOptions() {
    KilnCli r = KilnCli.run("ir", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.stdout().startsWith("Usage: kiln ir FILE.ir [--mode=interp|jit] [--dump=ir|ir-all|asm]"
        + " [--entry=NAME] [--time-limit=SECONDS] [--stats] [--no-opt] [--perf-map]\n"), r.stdout());
  }
}
