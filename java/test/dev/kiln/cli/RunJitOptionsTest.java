package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JIT's options of {@code kiln run}: --dump=ir and asm, --stats, --perf-map, --compile-after,
 * --convention.
 */
class RunJitOptionsTest {
  private static final String PROGRAM = """
      fn square(x: float) -> float { return x * x; }
      fn main() {
          let s = 0;
          for i in 0..10 { s += i; }
          print(s, square(1.5));
      }
      """;

  @TempDir Path dir;
  private KilnCli last;

  private int run(String... options) throws IOException {
    Path file = dir.resolve("p.kiln");
    Files.writeString(file, PROGRAM);
    String[] args = new String[2 + options.length];
    args[0] = "run";
    args[1] = file.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    last = KilnCli.run(args);
    return last.exit();
  }

  /** The JIT's phases: the front end, lowering to IR, the back end's compile, install, run. */
  @Test
  void jitIsTheDefaultMode() throws IOException {
    assertEquals(0, run("--stats"));
    assertEquals("45 2.25\n", last.stdout());
    assertTrue(last.stderr().matches(
        "kiln: front end [0-9.]+ ms \\(parse, check, bytecode\\), lower [0-9.]+ ms \\(bytecode to"
            + " IR\\), compile [0-9.]+ ms \\(passes [0-9.]+ \\(inlining [0-9.]+, [a-z0-9 .,-]+\\), select [0-9.]+, allocate [0-9.]+, emit"
            + " [0-9.]+\\), install [0-9.]+ ms, run [0-9.]+ ms, code [0-9]+ bytes\\R"),
        last.stderr());
  }

  @Test
  void statsOfTheInterpreterAreTheFrontEndAndTheRun() throws IOException {
    assertEquals(0, run("--mode=interp", "--stats"));
    assertEquals("45 2.25\n", last.stdout());
    assertTrue(last.stderr().matches(
        "kiln: front end [0-9.]+ ms \\(parse, check, bytecode\\), run [0-9.]+ ms \\(interpreter\\)\\R"),
        last.stderr());
  }

  @Test
  void dumpAsmListsEachFunctionWithItsIr() throws IOException {
    assertEquals(0, run("--dump=asm"));
    String listing = last.stdout();
    assertTrue(listing.contains("; function @square (f64) -> f64\n"), listing);
    assertTrue(listing.contains("; function @main"), listing);
    assertTrue(listing.contains("mulsd"), listing);
    assertTrue(listing.contains("= fmul "), listing);
  }

  @Test
  void dumpIrListsTheModuleTheProgramLowersTo() throws IOException {
    assertEquals(0, run("--dump=ir"));
    assertTrue(last.stdout().contains("function @square(f64) -> f64"), last.stdout());
    assertTrue(last.stdout().contains("fmul"), last.stdout());
  }

  @Test
  void perfMapNamesTheCompiledFunctions() throws IOException {
    Path map = Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
    assertEquals(0, run("--perf-map"));
    String text = Files.readString(map);
    Files.delete(map);
    assertTrue(text.matches("(?s).*[0-9a-f]+ [0-9a-f]+ kiln-ir:@square\\n.*"), text);
    assertTrue(text.contains(" kiln-ir:@main\n"), text);
  }

  @Test
  void theWindowsConventionRunsTheSameProgram() throws IOException {
    assertEquals(0, run("--convention=windows-x64"));
    assertEquals("45 2.25\n", last.stdout());
    assertEquals(2, run("--convention=vax"));
  }

  @Test
  void compiledBeforeItRunsTheJitReportsItsPhases() throws IOException {
    assertEquals(0, run("--compile-after=0", "--stats"));
    assertEquals("45 2.25\n", last.stdout());
    assertTrue(last.stderr().contains(", lower "), last.stderr());
  }

  @Test
  void aProgramThatEndsBeforeItIsCompiledReportsTheInterpreter() throws IOException {
    assertEquals(0, run("--compile-after=1000000", "--stats"));
    assertEquals("45 2.25\n", last.stdout());
    assertTrue(last.stderr().matches("kiln: front end [0-9.]+ ms \\(parse, check, bytecode\\), run"
        + " [0-9.]+ ms \\(interpreter: the program ended before it was compiled\\)\\R"),
        last.stderr());
    assertEquals(2, run("--compile-after=-1"));
    assertTrue(last.stderr().contains(
        "expected a whole number of calls and back edges from 0 to"), last.stderr());
  }

  @Test
  void helpListsTheModesTheListingsAndWhenTheJitCompiles() throws IOException {
    last = KilnCli.run("run", "--help");
    assertTrue(last.stdout().contains("--mode=interp|jit "), last.stdout());
    assertTrue(last.stdout().contains("--dump=bytecode|ir|asm "), last.stdout());
    assertTrue(last.stdout().contains("--compile-after=N "), last.stdout());
    assertEquals(2, run("--mode=warp"));
    assertTrue(last.stderr().contains("expected one of interp, jit, not 'warp'"), last.stderr());
    assertEquals(2, run("--mode=jit-ir"));
  }
}
