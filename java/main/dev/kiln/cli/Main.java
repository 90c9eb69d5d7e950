package dev.kiln.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code kiln} command line: the top of the pipeline. Each subcommand is a class of its own;
 * this class only wires them together and maps outcomes to exit codes (LANGUAGE.md: 0 success,
 * 1 compile error, 2 usage error, 3 runtime error).
 *
 * <p>The commands declare their options with picocli's programmatic API ({@link CommandSpec},
 * {@code OptionSpec}) rather than its annotations: reading annotations reflectively is most of
 * picocli's set-up time, and every run of a Kiln program pays for the set-up (README,
 * "Start-up").
 */
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_COMPILE_ERROR = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_RUNTIME_ERROR = 3;

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final CommandSpec spec;

  private Main(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.spec =
        CommandSpecs.withHelpOptions(
                CommandSpecs.command(this, "Kiln: a small, fast, honest JIT compiler toolkit for the JVM."))
            .name("kiln")
            .versionProvider(new Version());
  }

  /** The command line with its subcommands, in the order {@code kiln --help} lists them. */
  private CommandLine commandLine() {
    return new CommandLine(spec)
        .addSubcommand("asm", new AsmCommand().spec())
        .addSubcommand("bf", new BfCommand(this).spec())
        .addSubcommand("run", new RunCommand().spec());
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.in, System.out, System.err));
  }

  /** {@link #execute(String[], InputStream, PrintStream, PrintStream)} with an empty input. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, InputStream.nullInputStream(), out, err);
  }

  /**
   * Runs the command line in-process on the given streams and returns the exit code. Tests call
   * this directly instead of forking a JVM per program. Subcommands reach the streams through
   * {@link #in()}, {@link #out()} and {@link #err()} of the {@code Main} they are built with, or
   * through picocli's {@code getOut()} and {@code getErr()}.
   */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandLine cl = new Main(in, out, err).commandLine();
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

  /** The command's synopsis on one line (picocli wraps it at the usage width). */
  private static String usageLine(CommandLine cl) {
    return cl.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
  }

  /** Standard input of this invocation (programs such as Brainfuck's ',' read it). */
  public InputStream in() {
    return in;
  }

  /** Standard output of this invocation: raw bytes, so a program's output is passed unchanged. */
  public PrintStream out() {
    return out;
  }

  /** Standard error of this invocation: diagnostics only. */
  public PrintStream err() {
    return err;
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
