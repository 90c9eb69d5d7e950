package dev.kiln.cli;

import dev.kiln.ir.CFunction;
import dev.kiln.ir.Callee;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.IrSyntaxException;
import dev.kiln.ir.IrVerificationException;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.StandardImports;
import dev.kiln.ir.TrapException;
import dev.kiln.source.Source;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code kiln ir FILE.ir}: parses a module in the IR text form, verifies it and runs a function
 * without parameters ({@code @main} unless {@code --entry} names another), printing its result if
 * it has one. The module may import the {@link StandardImports} by name.
 */
final class IrCommand implements Command {
  /** How the module runs; the compiled back end adds its mode here. */
  enum Mode {
    interp
  }

  /** What {@code --dump} prints instead of running. */
  enum Dump {
    ir
  }

  private static final Option<Mode> MODE = Option.choice("--mode",
      "interp (the reference interpreter; compiled modes come with the IR back end).", Mode.class,
      Mode.interp);
  private static final Option<Dump> DUMP = Option.choice("--dump",
      "Print the verified module in canonical text form instead of running it.", Dump.class,
      null);
  private static final Option<String> ENTRY = Option.value("--entry", "NAME",
      "The function to run (without '@'); it takes no parameters.", ValueParser.text(), "main");
  private static final Option<Double> TIME_LIMIT = Option.value("--time-limit", "SECONDS",
      "Stop the program after this many seconds.", ValueParser.positiveSeconds(), null);

  private static final CommandSyntax SYNTAX = CommandSyntax.of("ir",
      "Run a module of Kiln IR text (print_i64, print_f64, putchar and getchar are provided).",
      "FILE.ir", "The IR text file.", MODE, DUMP, ENTRY, TIME_LIMIT);

  @Override
  public CommandSyntax syntax() {
    return SYNTAX;
  }

  @Override
  public int run(Arguments args, Main main) {
    Source source = new Source(args.parameter(), SourceFiles.read(args.parameter()));
    PrintStream err = main.err();
    Module module;
    try {
      module = IrParser.parse(source.text());
      module.verify();
    } catch (IrSyntaxException e) {
      err.println(diagnostic(source, e.line(), e.column(), e.reason()));
      return Main.EXIT_COMPILE_ERROR;
    } catch (IrVerificationException e) {
      for (IrVerificationException.Problem p : e.problems()) {
        err.println(diagnostic(source, p.line(), p.column(), p.toString()));
      }
      return Main.EXIT_COMPILE_ERROR;
    }
    if (args.get(DUMP) == Dump.ir) {
      main.out().print(module);
      return Main.EXIT_OK;
    }
    String problem = unrunnable(module, args.get(ENTRY));
    if (problem != null) {
      err.println(source.name() + ": error: " + problem);
      return Main.EXIT_COMPILE_ERROR;
    }
    return execute(module, (Function) module.findCallee(args.get(ENTRY)), args, source, main);
  }

  private static int execute(Module module, Function entry, Arguments args, Source source,
      Main main) {
    StandardImports io = new StandardImports(main.in(), main.out());
    InstanceOptions options;
    try {
      options = io.bind(module, new InstanceOptions());
    } catch (IllegalArgumentException e) { // a standard import declared with another signature
      main.err().println(source.name() + ": error: " + e.getMessage());
      return Main.EXIT_COMPILE_ERROR;
    }
    Double limit = args.get(TIME_LIMIT);
    if (limit != null) {
      options.control(RunControl.withTimeLimit(Duration.ofNanos((long) (limit * 1e9))));
    }
    try (Interpreter instance = Interpreter.instantiate(module, options)) {
      Object result = instance.call(entry.name());
      io.flush();
      if (result != null) {
        main.out().println(result);
      }
    } catch (TrapException e) {
      io.flush();
      main.err().println(source.name() + ": runtime error: " + e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    } catch (UncheckedIOException e) { // the input could not be read (Main handles the output)
      return Main.failure(main.err(), e.getMessage());
    }
    return Main.EXIT_OK;
  }

  /** Why {@code module} cannot run from {@code entry} here, or {@code null}. */
  private static String unrunnable(Module module, String entry) {
    for (Callee c : module.imports()) {
      if (c instanceof CFunction) {
        return "@" + c.name() + " is a C function: the interpreter cannot call C functions";
      }
      if (c instanceof JavaFunction && !StandardImports.provides(c.name())) {
        return "import @" + c.name() + " is unknown: kiln ir provides " + StandardImports.list();
      }
    }
    if (!(module.findCallee(entry) instanceof Function f)) {
      return "no function @" + entry + " to run (--entry names another)";
    }
    if (!f.signature().params().isEmpty()) {
      return "@" + entry + " takes parameters; kiln ir runs a function without any";
    }
    return null;
  }

  /** {@code FILE:LINE:COL: error: MESSAGE}, then the line and a caret when the place is known. */
  private static String diagnostic(Source source, int line, int column, String message) {
    if (line <= 0) {
      return source.name() + ": error: " + message;
    }
    return source.name() + ":" + line + ":" + column + ": error: " + message + "\n"
        + source.excerpt(line, column);
  }
}
