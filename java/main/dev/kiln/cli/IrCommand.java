package dev.kiln.cli;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompileStatistics;
import dev.kiln.backend.CompiledModule;
import dev.kiln.backend.Instantiation;
import dev.kiln.ir.CFunction;
import dev.kiln.ir.Callee;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instance;
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
import dev.kiln.runtime.CSymbols;
import dev.kiln.source.Source;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code kiln ir FILE.ir}: parses a module in the IR text form, verifies it and runs a function
 * without parameters ({@code @main} unless {@code --entry} names another), printing its result if
 * it has one. The module may import the {@link StandardImports} by name, and, compiled, C
 * functions of the process (libc, libm) by name.
 */
final class IrCommand implements Command {
  /** How the module runs. */
  enum Mode {
    interp,
    jit
  }

  /** What {@code --dump} prints instead of running. */
  enum Dump {
    ir,
    ir_all,
    asm
  }

  private static final Option<Mode> MODE = Option.choice("--mode",
      "interp (the reference interpreter) or jit (the x86-64 back end).", Mode.class, Mode.jit);
  private static final Option<Dump> DUMP = Option.choice("--dump",
      "Print instead of running: ir (the verified module in canonical text form), ir-all (that,"
          + " then the module after each IR pass, each under a '; after PASS' line) or asm (the"
          + " back end's machine code with the IR as comments).", Dump.class, null);
  private static final Option<Boolean> NO_OPT = Option.flag("--no-opt",
      "JIT: skip the IR-to-IR optimization passes (constant folding, dead code elimination,"
          + " ...).");
  private static final Option<Boolean> STATS = Option.flag("--stats",
      "Print to stderr the time of the compile (each IR pass, lower, regalloc, emit), of installing the code,"
          + " of the run, and the code size.");
  private static final Option<Boolean> PERF_MAP = Option.flag("--perf-map",
      "JIT: append compiled functions to /tmp/perf-PID.map for perf.");
  /** Hidden: lets the tests run Microsoft x64 code on Linux through the ms_abi path. */
  private static final Option<RunCommand.Convention> CONVENTION = Option.choice("--convention",
      "The calling convention of the generated code.", RunCommand.Convention.class,
      RunCommand.Convention.host).hide();
  private static final Option<String> ENTRY = Option.value("--entry", "NAME",
      "The function to run (without '@'); it takes no parameters.", ValueParser.text(), "main");
  private static final Option<Double> TIME_LIMIT = Option.value("--time-limit", "SECONDS",
      "Stop the program after this many seconds.", ValueParser.positiveSeconds(), null);

  private static final CommandSyntax SYNTAX = CommandSyntax.of("ir",
      "Run a module of Kiln IR text (print_i64, print_f64, putchar and getchar are provided).",
      "FILE.ir", "The IR text file.", MODE, DUMP, ENTRY, TIME_LIMIT, STATS, NO_OPT,
      PERF_MAP, CONVENTION);

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
    if (args.get(DUMP) == Dump.ir_all) {
      PrintStream out = main.out();
      out.print(module);
      Backend.optimize(module, compileOptions(args), (pass, m) -> {
        out.println();
        out.println("; after " + pass);
        out.print(m);
      });
      return Main.EXIT_OK;
    }
    String problem = unrunnable(module, args.get(ENTRY), args.get(MODE));
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
    for (Callee c : module.imports()) {
      if (c instanceof CFunction) {
        try {
          options.bindC(c.name(), CSymbols.lookup(null, c.name()));
        } catch (IllegalArgumentException e) {
          main.err().println(source.name() + ": error: " + e.getMessage());
          return Main.EXIT_COMPILE_ERROR;
        }
      }
    }
    Double limit = args.get(TIME_LIMIT);
    if (limit != null) {
      options.control(RunControl.withTimeLimit(Duration.ofNanos((long) (limit * 1e9))));
    }
    if (args.get(DUMP) == Dump.asm) {
      main.out().print(Backend.listing(module, compileOptions(args)));
      return Main.EXIT_OK;
    }
    try (Instance instance = instantiate(module, options, args, main.err())) {
      long start = System.nanoTime();
      Object result = instance.call(entry.name());
      long runNanos = System.nanoTime() - start;
      io.flush();
      if (result != null) {
        main.out().println(result);
      }
      if (args.get(STATS)) {
        main.out().flush();
        printStats(instance, runNanos, main.err());
      }
    } catch (TrapException e) {
      io.flush();
      main.err().println(source.name() + ": runtime error: " + e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    } catch (UnsupportedOperationException e) { // a C call after the fallback to the interpreter
      io.flush();
      main.err().println(source.name() + ": error: " + e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    } catch (UncheckedIOException e) { // the input could not be read (Main handles the output)
      return Main.failure(main.err(), e.getMessage());
    }
    return Main.EXIT_OK;
  }

  private static CompileOptions compileOptions(Arguments args) {
    return new CompileOptions().convention(args.get(CONVENTION).convention)
        .perfMap(args.get(PERF_MAP)).optimize(!args.get(NO_OPT));
  }

  /**
   * The module compiled, or interpreted with {@code --mode=interp} or, after one warning line,
   * when the OS refuses executable memory.
   */
  private static Instance instantiate(Module module, InstanceOptions options, Arguments args,
      PrintStream err) {
    if (args.get(MODE) == Mode.jit) {
      Instantiation run = Backend.compileOrInterpret(module, compileOptions(args), options);
      if (!run.compiled()) {
        err.println(FallbackWarning.line(run.interpretedBecause()));
        err.flush();
      }
      return run.instance();
    }
    return Interpreter.instantiate(module, options);
  }

  private static void printStats(Instance instance, long runNanos, PrintStream err) {
    if (instance instanceof CompiledModule compiled) {
      CompileStatistics s = compiled.statistics();
      StringBuilder passes = new StringBuilder();
      s.passNanos().forEach((pass, nanos) -> passes.append(String.format("%s %.3f, ", pass,
          nanos / 1e6)));
      err.printf("kiln: jit %.3f ms (%slower %.3f, regalloc %.3f, emit %.3f), install %.3f ms,"
              + " run %.3f ms, code %d bytes, %d IR instructions in %d functions,"
              + " %d spilled values%n",
          s.compileNanos() / 1e6,
          passes, s.lowerNanos() / 1e6,
          s.allocateNanos() / 1e6, s.emitNanos() / 1e6, s.installNanos() / 1e6, runNanos / 1e6,
          s.codeBytes(), s.instructions(), s.functions(), s.spilledValues());
    } else {
      err.printf("kiln: run %.3f ms (interpreter)%n", runNanos / 1e6);
    }
    err.flush();
  }

  /** Why {@code module} cannot run from {@code entry} here, or {@code null}. */
  private static String unrunnable(Module module, String entry, Mode mode) {
    for (Callee c : module.imports()) {
      if (c instanceof CFunction && mode == Mode.interp) {
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
