package dev.kiln.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kiln} command line: the top of the pipeline. Each subcommand is a class of its own;
 * this class only wires them together and maps outcomes to exit codes (LANGUAGE.md: 0 success,
 * 1 compile error, 2 usage error, 3 runtime error).
 */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Kiln: a small, fast, honest JIT compiler toolkit for the JVM.",
    subcommands = {RunCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_COMPILE_ERROR = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_RUNTIME_ERROR = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /**
   * Runs the command line in-process, writing to the given streams, and returns the exit code.
   * Tests call this directly instead of forking a JVM per program.
   */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter w = ex.getCommandLine().getErr();
          w.println("kiln: " + ex.getMessage());
          w.println("usage: " + usageLine(ex.getCommandLine()) + " (see 'kiln --help')");
          w.flush();
          return EXIT_USAGE;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String usageLine(CommandLine cl) {
    return cl.getHelp().synopsis(0).strip();
  }

  @Override
  public void run() {
    // 'kiln' alone: print the usage and fail as a usage error.
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Reads the version Maven filtered into the jar, so there is one source of truth: pom.xml. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"kiln " + (v != null ? v : "dev")};
    }
  }
}
