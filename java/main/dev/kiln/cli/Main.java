package dev.kiln.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code kiln} command line: the top of the pipeline. Each subcommand is a class of its own;
 * this class only wires them together and maps outcomes to exit codes (LANGUAGE.md: 0 success,
 * 1 compile error, 2 usage error, 3 runtime error).
 *
 * <p>The arguments are parsed by Kiln's own small {@link CommandLineParser}, not a library: every
 * run of a Kiln program pays for the parser's set-up (see there for the numbers).
 */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_COMPILE_ERROR = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_RUNTIME_ERROR = 3;

  private static final String DESCRIPTION =
      "Kiln: a small, fast, honest JIT compiler toolkit for the JVM.";
  private static final Option<Boolean> VERSION =
      Option.flag("--version", "Print version information and exit.").alias("-V");
  /** The subcommands, in the order {@code kiln --help} lists them. */
  private static final List<Command> COMMANDS =
      List.of(new AsmCommand(), new BfCommand(), new IrCommand(), new RunCommand());

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  private Main(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
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
   * this directly instead of forking a JVM per program. Commands reach the streams through
   * {@link #in()}, {@link #out()} and {@link #err()}.
   */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    int code = new Main(in, out, err).dispatch(List.of(args));
    out.flush();
    err.flush();
    return code;
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
    for (Command command : COMMANDS) {
      if (command.syntax().name().equals(name)) {
        return command;
      }
    }
    throw new UsageError("unknown command: '" + name + "'");
  }

  /** {@code kiln asm|bf|ir|run ARGUMENTS}. */
  private static String topSynopsis() {
    List<String> names = new ArrayList<>();
    for (Command command : COMMANDS) {
      names.add(command.syntax().name());
    }
    return "kiln " + String.join("|", names) + " ARGUMENTS";
  }

  private static String topHelp() {
    List<HelpText.Row> commands = new ArrayList<>();
    for (Command command : COMMANDS) {
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

  /** {@code kiln VERSION}, read from what Maven filtered into the jar: one source of truth, pom.xml. */
  private static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return "kiln " + (v != null ? v : "dev");
  }
}
