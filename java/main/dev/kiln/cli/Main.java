package dev.kiln.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code kiln} command line: the top of the pipeline. Each subcommand is a class of its own;
 * this class only wires them together and maps outcomes to exit codes (docs/language.md: 0
 * success, 1 compile error, 2 usage error, 3 runtime error) and, outside the program's reach,
 * {@link #EXIT_FAILURE} and {@link #EXIT_CLOSED_PIPE}.
 *
 * <p>The arguments are parsed by Kiln's own small {@link CommandLineParser}, not a library: every
 * run of a Kiln program pays for the parser's set-up (see there).
 */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_COMPILE_ERROR = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_RUNTIME_ERROR = 3;
  /**
   * Kiln could not finish for a reason that is not the program's: standard output could not be
   * written ({@code kiln: cannot write output: REASON}), or the compiler failed (out of memory,
   * an internal error), each reported on one line.
   */
  public static final int EXIT_FAILURE = 4;
  /**
   * Standard output was a pipe whose reader has gone ({@code kiln run P | head -1}): the run stops
   * quietly with 128 + SIGPIPE, the status a shell reports for {@code yes} in {@code yes | head -1},
   * so scripts that recognise a closed pipe recognise Kiln's too.
   */
  public static final int EXIT_CLOSED_PIPE = 141;
  /** Bytes of standard output gathered before a write to the OS. */
  private static final int OUTPUT_BUFFER_BYTES = 1 << 13;

  private static final String DESCRIPTION =
      "Kiln: a small, fast, honest JIT compiler toolkit for the JVM.";
  private static final Option<Boolean> VERSION =
      Option.flag("--version", "Print version information and exit.").alias("-V");
  /** The subcommands' names, in the order {@code kiln --help} lists them. */
  static final List<String> COMMAND_NAMES = List.of("asm", "bf", "ir", "run");

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  private Main(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /**
   * Standard output is the raw file descriptor: System.out, a PrintStream, hides write errors. A
   * bug of Kiln's own reaches the user as one line asking for a report, not a Java stack trace.
   */
  public static void main(String[] args) {
    int code;
    try {
      code = execute(args, System.in, new FileOutputStream(FileDescriptor.out), System.err);
    } catch (RuntimeException | Error e) {
      code = failure(System.err, "internal error: " + e + " (please report it)");
    }
    System.exit(code);
  }

  /** {@link #execute(String[], InputStream, OutputStream, PrintStream)} with an empty input. */
  public static int execute(String[] args, OutputStream out, PrintStream err) {
    return execute(args, InputStream.nullInputStream(), out, err);
  }

  /**
   * Runs the command line in-process on the given streams and returns the exit code. Tests call
   * this directly instead of forking a JVM per program. Commands reach the streams through
   * {@link #in()}, {@link #out()} and {@link #err()}. A write to {@code out} that fails stops
   * the command: {@link #EXIT_CLOSED_PIPE} for a closed pipe, else {@link #EXIT_FAILURE} with
   * one line on {@code err}.
   */
  public static int execute(String[] args, InputStream in, OutputStream out, PrintStream err) {
    PrintStream checked = new PrintStream(
        new BufferedOutputStream(new UncheckedOutputStream(out), OUTPUT_BUFFER_BYTES), false);
    int code;
    try {
      code = new Main(in, checked, err).dispatch(List.of(args));
      checked.flush();
    } catch (OutputFailure e) {
      code = e.closedPipe() ? EXIT_CLOSED_PIPE : failure(err, "cannot write output: " + e.getMessage());
    } catch (OutOfMemoryError e) {
      code = failure(err, "out of memory");
    }
    err.flush();
    return code;
  }

  /** Reports {@code kiln: MESSAGE} and gives {@link #EXIT_FAILURE}. */
  static int failure(PrintStream err, String message) {
    err.println("kiln: " + message);
    return EXIT_FAILURE;
  }

  /**
   * {@code kiln --help}, {@code kiln --version}, or a command with its arguments. A usage error
   * is reported as {@code kiln: MESSAGE} and the usage of the command (or of {@code kiln}) on one
   * line.
   */
  private int dispatch(List<String> args) {
    String usage = topSynopsis();
    try {
      if (args.isEmpty()) {
        err.print(topHelp());
        throw new UsageError("missing command");
      }
      String first = args.get(0);
      if (Option.HELP.isNamed(first)) {
        out.print(topHelp());
        return EXIT_OK;
      }
      if (VERSION.isNamed(first)) {
        out.println(version());
        return EXIT_OK;
      }
      Command command = command(first);
      usage = command.syntax().synopsis();
      Arguments parsed = CommandLineParser.parse(command.syntax(), args.subList(1, args.size()));
      if (parsed.helpRequested()) {
        out.print(HelpText.of(command.syntax()));
        return EXIT_OK;
      }
      return command.run(parsed, this);
    } catch (UsageError e) {
      err.println("kiln: " + e.getMessage());
      err.println("usage: " + usage + " (see 'kiln --help')");
      return EXIT_USAGE;
    }
  }

  private static Command command(String name) {
    if (name.startsWith("-")) {
      throw new UsageError("unknown option: '" + name + "'");
    }
    Command command = commandNamed(name);
    if (command == null) {
      throw new UsageError("unknown command: '" + name + "'");
    }
    return command;
  }

  /**
   * The command of one of {@link #COMMAND_NAMES}, or null for another name. Only the command run
   * is made: a command's class initialises its options (their enums and value parsers), which a
   * run of another command need not pay for.
   */
  static Command commandNamed(String name) {
    return switch (name) {
      case "asm" -> new AsmCommand();
      case "bf" -> new BfCommand();
      case "ir" -> new IrCommand();
      case "run" -> new RunCommand();
      default -> null;
    };
  }

  /** {@code kiln asm|bf|ir|run ARGUMENTS}. */
  private static String topSynopsis() {
    return "kiln " + String.join("|", COMMAND_NAMES) + " ARGUMENTS";
  }

  private static String topHelp() {
    List<HelpText.Row> commands = new ArrayList<>();
    for (String name : COMMAND_NAMES) {
      Command command = commandNamed(name);
      commands.add(new HelpText.Row("  " + command.syntax().name(), command.syntax().description()));
    }
    return "Usage: " + topSynopsis() + "\n       kiln --help | --version\n" + DESCRIPTION + "\n"
        + HelpText.table(List.of(HelpText.row(Option.HELP), HelpText.row(VERSION)))
        + "Commands:\n" + HelpText.table(commands)
        + "'kiln COMMAND --help' lists a command's options.\n";
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

  /**
   * {@code kiln VERSION}, from what Maven wrote into the jar (one source of truth, pom.xml): the
   * manifest on the classpath ({@code java -jar}), the module descriptor on the module path.
   */
  private static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    ModuleDescriptor module = Main.class.getModule().getDescriptor();
    if (v == null && module != null) {
      v = module.rawVersion().orElse(null);
    }
    return "kiln " + (v != null ? v : "dev");
  }
}
