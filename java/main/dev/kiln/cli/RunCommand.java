package dev.kiln.cli;

import dev.kiln.bytecode.Disassembler;
import dev.kiln.bytecode.Program;
import dev.kiln.interp.Interpreter;
import dev.kiln.jit.KilnJit;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.ExecutableMemoryDeniedException;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code kiln run FILE}: compiles a Kiln program and runs it. */
public final class RunCommand implements Callable<Integer> {
  /** How a program runs. */
  enum Mode {
    interp,
    jit
  }

  /** What {@code --dump} lists instead of running. */
  enum Dump {
    bytecode,
    asm
  }

  /** Code generation's calling convention: the host's, or another one the runtime can call. */
  enum Convention {
    host(CallingConvention.host()),
    system_v(CallingConvention.SYSTEM_V),
    windows_x64(CallingConvention.WINDOWS_X64);

    final CallingConvention convention;

    Convention(CallingConvention convention) {
      this.convention = convention;
    }
  }

  /** The mode without {@code --mode}. */
  static final Mode DEFAULT_MODE = Mode.jit;

  private final PositionalParamSpec fileParameter =
      PositionalParamSpec.builder()
          .paramLabel("FILE")
          .required(true)
          .description("The Kiln source file.")
          .type(String.class)
          .build();

  private final OptionSpec modeOption =
      OptionSpec.builder("--mode")
          .paramLabel("MODE")
          .description("interp or jit (default: ${DEFAULT-VALUE}).")
          .type(Mode.class)
          .initialValue(DEFAULT_MODE)
          .build();

  private final OptionSpec timeLimitOption =
      OptionSpec.builder("--time-limit")
          .paramLabel("SECONDS")
          .description("Stop the program after this many seconds.")
          .type(Double.class)
          .build();

  private final OptionSpec maxMemoryOption =
      OptionSpec.builder("--max-memory")
          .paramLabel("MIB")
          .description("Cap on the memory of all arrays, in MiB (default: ${DEFAULT-VALUE}).")
          .type(long.class)
          .initialValue((long) Limits.DEFAULT_MAX_MEMORY_MIB)
          .build();

  private final OptionSpec dumpOption =
      OptionSpec.builder("--dump")
          .paramLabel("WHAT")
          .description(
              "Print a listing instead of running: bytecode, or asm (the JIT's machine code).")
          .type(Dump.class)
          .build();

  private final OptionSpec statsOption =
      OptionSpec.builder("--stats")
          .description(
              "Print to stderr the time of the front end (parse, check, bytecode) and of the run;"
                  + " with the JIT also of its compile (register allocation, code generation,"
                  + " assembly), of installing the code in executable memory, and the code size.")
          .type(boolean.class)
          .initialValue(false)
          .build();

  private final OptionSpec perfMapOption =
      OptionSpec.builder("--perf-map")
          .description("JIT: append compiled functions to /tmp/perf-PID.map for perf.")
          .type(boolean.class)
          .initialValue(false)
          .build();

  /** Hidden: lets the tests run the JIT's Microsoft x64 code on Linux through the ms_abi path. */
  private final OptionSpec conventionOption =
      OptionSpec.builder("--convention")
          .hidden(true)
          .type(Convention.class)
          .converters(new ConventionConverter())
          .initialValue(Convention.host)
          .build();

  private final CommandSpec spec =
      CommandSpecs.withHelpOptions(
          CommandSpecs.command(this, "Compile and run a Kiln program.",
              fileParameter, modeOption, timeLimitOption, maxMemoryOption, dumpOption,
              statsOption, perfMapOption, conventionOption));

  RunCommand() {
    spec.usageMessage()
        .width(120)
        .customSynopsis(
            "kiln run FILE [--mode=interp|jit] [--time-limit=SECONDS] [--max-memory=MIB]"
                + " [--dump=bytecode|asm] [--stats] [--perf-map]");
  }

  /** The command's picocli model (built in code: see {@link Main}). */
  CommandSpec spec() {
    return spec;
  }

  /** Accepts {@code windows-x64} and {@code system-v} as written on the command line. */
  static final class ConventionConverter implements CommandLine.ITypeConverter<Convention> {
    @Override
    public Convention convert(String value) {
      return Convention.valueOf(value.replace('-', '_'));
    }
  }

  /** What the command line asked for, read from the specs above when the command runs. */
  private record Options(String file, Mode mode, Double timeLimit, long maxMemoryMib, Dump dump,
      boolean stats, boolean perfMap, CallingConvention convention) {}

  @Override
  public Integer call() {
    Options o = new Options(fileParameter.getValue(), modeOption.getValue(), timeLimitOption.getValue(),
        maxMemoryOption.getValue(), dumpOption.getValue(), statsOption.getValue(),
        perfMapOption.getValue(), conventionOption.<Convention>getValue().convention);
    CommandLine cl = spec.commandLine();
    if (o.timeLimit() != null && !(o.timeLimit() > 0)) {
      throw new CommandLine.ParameterException(cl, "--time-limit must be a positive number of seconds");
    }
    if (o.maxMemoryMib() <= 0) {
      throw new CommandLine.ParameterException(cl, "--max-memory must be a positive number of MiB");
    }
    Source source = new Source(o.file(), SourceFiles.read(o.file(), cl));
    return compileAndRun(o, source, cl.getOut(), cl.getErr());
  }

  private static int compileAndRun(Options o, Source source, PrintWriter out, PrintWriter err) {
    Program program;
    long frontEndStart = System.nanoTime();
    try {
      program = FrontEnd.compile(source);
    } catch (CompileErrors e) {
      err.print(e.format());
      err.flush();
      return Main.EXIT_COMPILE_ERROR;
    }
    long frontEndNanos = System.nanoTime() - frontEndStart;
    if (o.dump() == Dump.bytecode) {
      out.print(Disassembler.listing(program));
      out.flush();
      return Main.EXIT_OK;
    }
    if (o.dump() == Dump.asm) {
      out.print(KilnJit.listing(program, o.convention()));
      out.flush();
      return Main.EXIT_OK;
    }
    Output output = new Output(out);
    Deadline deadline = o.timeLimit() == null ? Deadline.none() : Deadline.after(o.timeLimit());
    try (Heap heap = new Heap(Math.min(o.maxMemoryMib(), Long.MAX_VALUE >> 20) << 20)) {
      if (o.mode() == Mode.jit) {
        runJit(o, program, frontEndNanos, heap, output, deadline, err);
      } else {
        interpret(o.stats(), program, frontEndNanos, heap, output, deadline, err);
      }
      output.flush();
      return Main.EXIT_OK;
    } catch (KilnRuntimeError e) {
      output.flush();
      err.println(RuntimeErrors.format(source.name(), program, e));
      err.flush();
      return Main.EXIT_RUNTIME_ERROR;
    }
  }

  /**
   * Runs compiled code; falls back to the interpreter with one warning line if the OS refuses
   * executable memory or the arrays could not be put in native memory.
   */
  private static void runJit(Options o, Program program, long frontEndNanos, Heap heap, Output output,
      Deadline deadline, PrintWriter err) {
    String refused;
    if (heap.isNative()) {
      try {
        KilnJit.Stats measured = KilnJit.run(program, o.convention(), heap, output, deadline, o.perfMap());
        if (o.stats()) {
          printJitStats(frontEndNanos, measured, output, err);
        }
        return;
      } catch (ExecutableMemoryDeniedException e) {
        refused = e.getMessage();
      }
    } else {
      refused = "the arrays could not be mapped in native memory";
    }
    err.println("kiln: warning: " + refused + "; running the interpreter");
    err.flush();
    interpret(o.stats(), program, frontEndNanos, heap, output, deadline, err);
  }

  private static void printJitStats(long frontEndNanos, KilnJit.Stats measured, Output output,
      PrintWriter err) {
    output.flush();
    err.printf("kiln: front end %.3f ms (parse, check, bytecode), jit %.3f ms (allocate, generate,"
            + " assemble), install %.3f ms, run %.3f ms, code %d bytes%n",
        frontEndNanos / 1e6, measured.compileNanos() / 1e6, measured.installNanos() / 1e6,
        measured.runNanos() / 1e6, measured.codeBytes());
    err.flush();
  }

  private static void interpret(boolean stats, Program program, long frontEndNanos, Heap heap,
      Output output, Deadline deadline, PrintWriter err) {
    long start = System.nanoTime();
    new Interpreter(program, heap, output, deadline).run();
    if (stats) {
      long runNanos = System.nanoTime() - start;
      output.flush();
      err.printf("kiln: front end %.3f ms (parse, check, bytecode), run %.3f ms (interpreter)%n",
          frontEndNanos / 1e6, runNanos / 1e6);
      err.flush();
    }
  }
}
