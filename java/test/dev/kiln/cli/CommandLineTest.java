package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end through {@link Main#execute}: help, version, and a usage error
 * (exit 2, {@code kiln: MESSAGE} and a one-line usage) for every kind of bad argument.
 */
class CommandLineTest {
  private static final String RUN_USAGE = "usage: kiln run FILE [--mode=interp|jit] [--time-limit=SECONDS]"
      + " [--max-memory=MIB] [--dump=bytecode|ir|asm] [--stats] [--perf-map] [--compile-after=N]"
      + " (see 'kiln --help')\n";

  @TempDir Path dir;

  private String hello() throws IOException {
    Path file = dir.resolve("hello.kiln");
    Files.writeString(file, "fn main() { print(42); }\n");
    return file.toString();
  }

  private static void assertUsageError(String message, String usage, KilnCli r) {
    assertEquals(Main.EXIT_USAGE, r.exit(), r.stderr());
    assertEquals("kiln: " + message + "\n" + usage, r.stderr());
    assertEquals("", r.stdout());
  }

  @Test
  void versionPrintsTheVersion() {
    for (String flag : new String[] {"--version", "-V"}) {
      KilnCli r = KilnCli.run(flag);
      assertEquals(0, r.exit());
      assertTrue(r.stdout().matches("kiln (dev|[0-9][^\\s]*)\n"), r.stdout());
      assertEquals("", r.stderr());
    }
  }

  @Test
  void helpListsTheCommands() {
    for (String flag : new String[] {"--help", "-h"}) {
      KilnCli r = KilnCli.run(flag);
      assertEquals(0, r.exit());
      assertTrue(r.stdout().startsWith("Usage: kiln asm|bf|ir|run ARGUMENTS\n"), r.stdout());
      assertTrue(r.stdout().contains("\n  -V, --version   Print version information and exit.\n"), r.stdout());
      assertTrue(r.stdout().contains("\n  asm   Assemble x86-64"), r.stdout());
      assertTrue(r.stdout().contains("\n  bf    Run a Brainfuck program"), r.stdout());
      assertTrue(r.stdout().contains("\n  run   Compile and run a Kiln program.\n"), r.stdout());
    }
  }

  @Test
  void kilnAlonePrintsHelpAndIsAUsageError() {
    KilnCli r = KilnCli.run();
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.stderr().startsWith("Usage: kiln asm|bf|ir|run ARGUMENTS\n"), r.stderr());
    assertTrue(r.stderr().endsWith(
        "kiln: missing command\nusage: kiln asm|bf|ir|run ARGUMENTS (see 'kiln --help')\n"), r.stderr());
  }

  @Test
  void anUnknownCommandOrTopLevelOptionIsAUsageError() {
    String usage = "usage: kiln asm|bf|ir|run ARGUMENTS (see 'kiln --help')\n";
    assertUsageError("unknown command: 'frob'", usage, KilnCli.run("frob", "x"));
    assertUsageError("unknown option: '--frob'", usage, KilnCli.run("--frob"));
  }

  @Test
  void runHelpListsEveryVisibleOptionWithItsDefault() {
    KilnCli r = KilnCli.run("run", "--help");
    assertEquals(0, r.exit());
    String help = r.stdout();
    assertTrue(help.startsWith("Usage: kiln run FILE [--mode=interp|jit]"), help);
    assertTrue(help.contains("\n      FILE                     The Kiln source file.\n"), help);
    assertTrue(help.contains("\n      --mode=interp|jit        interp or jit (default: jit).\n"), help);
    assertTrue(help.contains("\n      --time-limit=SECONDS     Stop the program after this many seconds.\n"), help);
    assertTrue(help.contains("\n      --max-memory=MIB         Cap on the memory of all arrays, in MiB (default: 1024).\n"), help);
    assertTrue(help.contains("\n      --dump=bytecode|ir|asm   Print a listing instead of running"), help);
    assertTrue(help.contains("\n      --stats                  Print to stderr the time"), help);
    assertTrue(help.contains("\n      --perf-map               JIT: append compiled functions"), help);
    assertTrue(help.contains("\n      --compile-after=N        JIT: compile the program after N calls"), help);
    assertTrue(help.contains("\n  -h, --help                   Show this help message and exit.\n"), help);
    assertTrue(!help.contains("--convention"), "hidden options stay hidden:\n" + help);
  }

  @Test
  void bfAndAsmHelpListTheirOptions() {
    String bf = KilnCli.run("bf", "-h").stdout();
    assertTrue(bf.startsWith("Usage: kiln bf FILE.b [--mode=jit|interp] [--time-limit=SECONDS] [--tape=CELLS]"
        + " [--dump=ir|kiln-ir|asm] [--stats] [--perf-map]\n"), bf);
    assertTrue(bf.contains("\n      --mode=jit|interp       execution mode (default: jit)\n"), bf);
    assertTrue(bf.contains("\n      --dump=ir|kiln-ir|asm   print the program instead"), bf);
    KilnCli asm = KilnCli.run("asm", "--help");
    assertEquals(0, asm.exit());
    assertEquals(String.join("\n",
        "Usage: kiln asm FILE.s",
        "Assemble x86-64 Intel-syntax assembly and print the bytes.",
        "      FILE.s   assembly source (.intel_syntax noprefix)",
        "  -h, --help   Show this help message and exit.",
        ""), asm.stdout());
  }

  @Test
  void optionValuesMayFollowAsTheNextArgument() throws IOException {
    KilnCli r = KilnCli.run("run", "--mode", "interp", hello(), "--time-limit", "5", "--max-memory", "8");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("42\n", r.stdout());
  }

  @Test
  void doubleDashLetsAFileNameStartWithADash() throws IOException {
    Path dashed = dir.resolve("-x.kiln");
    Files.writeString(dashed, "fn main() { print(7); }\n");
    KilnCli r = KilnCli.run("run", "--mode=interp", "--", dashed.toString());
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("7\n", r.stdout());
  }

  @Test
  void everyKindOfBadArgumentIsAUsageErrorWithOneLineOfUsage() throws IOException {
    String file = hello();
    assertUsageError("missing FILE", RUN_USAGE, KilnCli.run("run"));
    assertUsageError("unexpected argument: 'extra'", RUN_USAGE, KilnCli.run("run", file, "extra"));
    assertUsageError("unknown option: '--frobnicate'", RUN_USAGE, KilnCli.run("run", file, "--frobnicate"));
    assertUsageError("option '--mode' should be given only once", RUN_USAGE,
        KilnCli.run("run", file, "--mode=jit", "--mode", "interp"));
    assertUsageError("invalid value for option '--mode': expected one of interp, jit, not 'fast'",
        RUN_USAGE, KilnCli.run("run", file, "--mode=fast"));
    assertUsageError("invalid value for option '--time-limit': expected a positive number of seconds,"
        + " not 'abc'", RUN_USAGE, KilnCli.run("run", file, "--time-limit=abc"));
    assertUsageError("invalid value for option '--time-limit': expected a positive number of seconds,"
        + " not '-1'", RUN_USAGE, KilnCli.run("run", file, "--time-limit=-1"));
    assertUsageError("invalid value for option '--max-memory': expected a positive whole number of"
        + " MiB, not '0'", RUN_USAGE, KilnCli.run("run", file, "--max-memory=0"));
    assertUsageError("missing value for option '--dump' (bytecode|ir|asm)", RUN_USAGE,
        KilnCli.run("run", file, "--dump"));
    assertUsageError("option '--stats' takes no value", RUN_USAGE, KilnCli.run("run", file, "--stats=yes"));
    assertUsageError("invalid value for option '--time-limit': expected a positive number of seconds,"
            + " not '0'",
        "usage: kiln bf FILE.b [--mode=jit|interp] [--time-limit=SECONDS] [--tape=CELLS]"
            + " [--dump=ir|kiln-ir|asm] [--stats] [--perf-map] (see 'kiln --help')\n",
        KilnCli.run("bf", "examples/bf/hello.b", "--time-limit=0"));
    assertUsageError("missing FILE.s", "usage: kiln asm FILE.s (see 'kiln --help')\n", KilnCli.run("asm"));
  }
}
