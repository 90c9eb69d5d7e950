package dev.kiln.cli;

import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompileStatistics;
import dev.kiln.bytecode.Disassembler;
import dev.kiln.bytecode.Program;
import dev.kiln.interp.Interpreter;
import dev.kiln.jit.KilnJit;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.CompilerFailure;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.ExecutableMemoryDeniedException;
import dev.kiln.runtime.NativeRuntime;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code kiln run FILE}: compiles a Kiln program and runs it. */
public final class RunCommand implements Command {
  /** How a program runs. */
  enum Mode {
    interp,
    /** Kiln lowered to the IR and compiled by the back end, after a start in the interpreter. */
    jit
  }

  /** What {@code --dump} lists instead of running. */
  enum Dump {
    bytecode,
    ir,
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

  private static final Option<Mode> MODE =
      Option.choice("--mode", "interp or jit.", Mode.class, DEFAULT_MODE);
  private static final Option<Double> TIME_LIMIT = Option.value("--time-limit", "SECONDS",
      "Stop the program after this many seconds.", ValueParser.positiveSeconds(), null);
  private static final Option<Long> MAX_MEMORY = Option.value("--max-memory", "MIB",
      "Cap on the memory of all arrays, in MiB.", ValueParser.positiveWholeNumber("MiB"),
      (long) Limits.DEFAULT_MAX_MEMORY_MIB);
  private static final Option<Dump> DUMP = Option.choice("--dump",
      "Print a listing instead of running: bytecode, ir (the IR the JIT compiles), or asm (the"
          + " JIT's machine code, with the IR as comments).", Dump.class, null);
  private static final Option<Boolean> STATS = Option.flag("--stats",
      "Print to stderr the time of the front end (parse, check, bytecode) and of the run;"
          + " with the JIT also of lowering the bytecode to IR, of the compile (the passes,"
          + " instruction selection, register allocation, emission), of installing the code in"
          + " executable memory, and the code size.");
  private static final Option<Boolean> PERF_MAP = Option.flag("--perf-map",
      "JIT: append compiled functions to /tmp/perf-PID.map for perf.");
  /** The calls and back edges the interpreter runs first; default {@link KilnJit#tierUpAfter}. */
  private static final Option<Long> COMPILE_AFTER = Option.value("--compile-after", "N",
      "JIT: compile the program after N calls and back edges in the interpreter (0: before it"
          + " runs). Default: 0 for a program under " + KilnJit.LARGE_PROGRAM_WORDS
          + " bytecode words, else its word count.",
      ValueParser.wholeNumberIn("calls and back edges", 0, Long.MAX_VALUE), null);
  /** Hidden: lets the tests run the JIT's Microsoft x64 code on Linux through the ms_abi path. */
  private static final Option<Convention> CONVENTION = Option.choice("--convention",
      "The calling convention of the generated code.", Convention.class, Convention.host).hide();

  private static final CommandSyntax SYNTAX = CommandSyntax.of("run",
      "Compile and run a Kiln program.", "FILE", "The Kiln source file.",
      MODE, TIME_LIMIT, MAX_MEMORY, DUMP, STATS, PERF_MAP, COMPILE_AFTER, CONVENTION);

  @Override
  public CommandSyntax syntax() {
    return SYNTAX;
  }

  @Override
  public int run(Arguments args, Main main) {
    if (args.get(DUMP) == null) {
      NativeRuntime.loadInBackground(); // for the arrays' memory, while the front end runs
    }
    Source source = new Source(args.parameter(), SourceFiles.read(args.parameter()));
    return compileAndRun(args, source, main.out(), main.err());
  }

  private static int compileAndRun(Arguments args, Source source, PrintStream out, PrintStream err) {
    Program program;
    long frontEndStart = System.nanoTime();
    try {
      program = FrontEnd.compile(source);
    } catch (CompileErrors e) {
      err.print(e.format());
      err.flush();
      return Main.EXIT_COMPILE_ERROR;
    } catch (CompilerFailure e) {
      return Main.failure(err, e.getMessage());
    }
    long frontEndNanos = System.nanoTime() - frontEndStart;
    if (args.get(DUMP) == Dump.bytecode) {
      out.print(Disassembler.listing(program));
      out.flush();
      return Main.EXIT_OK;
    }
    long heapBytes = Math.min(args.get(MAX_MEMORY), Long.MAX_VALUE >> 20) << 20;
    if (args.get(DUMP) == Dump.ir) {
      out.print(KilnJit.listing(program, Math.min(heapBytes, Heap.MAX_BYTES)));
      out.flush();
      return Main.EXIT_OK;
    }
    if (args.get(DUMP) == Dump.asm) {
      out.print(KilnJit.asmListing(program, Math.min(heapBytes, Heap.MAX_BYTES),
          new CompileOptions().convention(args.get(CONVENTION).convention)));
      out.flush();
      return Main.EXIT_OK;
    }
    // UTF-8 whatever the locale: the source was read as UTF-8, so its strings print as written.
    Output output = new Output(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    Double timeLimit = args.get(TIME_LIMIT);
    Deadline deadline = timeLimit == null ? Deadline.none() : Deadline.after(timeLimit);
    try (Heap heap = new Heap(heapBytes)) {
      if (args.get(MODE) == Mode.jit) {
        runJit(args, program, frontEndNanos, heap, output, deadline, err);
      } else {
        interpret(args.get(STATS), program, frontEndNanos, heap, output, deadline, err);
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
   * Runs the program lowered to the IR and compiled by the back end; falls back to the
   * interpreter with one warning line if the OS refuses executable memory or the arrays could
   * not be put in native memory.
   */
  private static void runJit(Arguments args, Program program, long frontEndNanos, Heap heap,
      Output output, Deadline deadline, PrintStream err) {
    FallbackWarning warning = new FallbackWarning(err);
    String refused;
    if (heap.isNative()) {
      try {
        KilnJit.Stats measured = KilnJit.run(program,
            new CompileOptions().convention(args.get(CONVENTION).convention)
                .perfMap(args.get(PERF_MAP)), heap, output, deadline, warning,
            args.get(COMPILE_AFTER) == null ? KilnJit.tierUpAfter(program)
                : args.get(COMPILE_AFTER));
        if (args.get(STATS)) {
          printJitStats(frontEndNanos, measured, output, err);
        }
        return;
      } catch (ExecutableMemoryDeniedException e) {
        refused = e.getMessage();
      }
    } else {
      refused = "the arrays could not be mapped in native memory (" + heap.notNativeBecause() + ")";
    }
    warning.accept(refused);
    interpret(args.get(STATS), program, frontEndNanos, heap, output, deadline, err);
  }

  private static void printJitStats(long frontEndNanos, KilnJit.Stats measured,
      Output output, PrintStream err) {
    output.flush();
    CompileStatistics c = measured.compile();
    if (c == null) {
      err.printf("kiln: front end %.3f ms (parse, check, bytecode), run %.3f ms (interpreter: the"
          + " program ended before it was compiled)%n", frontEndNanos / 1e6,
          measured.runNanos() / 1e6);
      err.flush();
      return;
    }
    err.printf("kiln: front end %.3f ms (parse, check, bytecode), lower %.3f ms (bytecode to IR),"
            + " compile %.3f ms (passes %.3f (%s), select %.3f, allocate %.3f, emit %.3f), install"
            + " %.3f ms, run %.3f ms, code %d bytes%n",
        frontEndNanos / 1e6, measured.lowerNanos() / 1e6,
        c.compileNanos() / 1e6,
        c.optimizeNanos() / 1e6, c.passTimes(), c.lowerNanos() / 1e6, c.allocateNanos() / 1e6,
        c.emitNanos() / 1e6, c.installNanos() / 1e6, measured.runNanos() / 1e6, c.codeBytes());
    err.flush();
  }

  private static void interpret(boolean stats, Program program, long frontEndNanos, Heap heap,
      Output output, Deadline deadline, PrintStream err) {
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
