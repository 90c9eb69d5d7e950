package dev.kiln.cli;

import dev.kiln.backend.CompileOptions;
import dev.kiln.bf.BfCompiler;
import dev.kiln.bf.BfInterpreter;
import dev.kiln.bf.BfJit;
import dev.kiln.bf.BfLowering;
import dev.kiln.bf.BfProgram;
import dev.kiln.bf.BfRuntimeException;
import dev.kiln.bf.BfSyntaxException;
import dev.kiln.ir.IrPrinter;
import dev.kiln.runtime.ExecutableMemoryDeniedException;
import dev.kiln.runtime.NativeRuntime;
import dev.kiln.source.Source;
import java.io.PrintStream;

/** {@code kiln bf FILE.b}: runs a Brainfuck program (30,000 wrapping byte cells by default). */
final class BfCommand implements Command {
  enum Mode {
    jit,
    interp
  }

  enum Dump {
    ir,
    kiln_ir,
    asm
  }

  private static final Option<Mode> MODE =
      Option.choice("--mode", "execution mode", Mode.class, Mode.jit);
  private static final Option<Double> TIME_LIMIT = Option.value("--time-limit", "SECONDS",
      "stop after this long", ValueParser.positiveSeconds(), null);
  private static final Option<Long> TAPE = Option.value("--tape", "CELLS",
      "the number of cells of the tape (at most " + ValueParser.grouped(BfProgram.MAX_TAPE_CELLS)
          + ")",
      ValueParser.wholeNumberUpTo("cells", BfProgram.MAX_TAPE_CELLS),
      (long) BfProgram.DEFAULT_TAPE_CELLS);
  private static final Option<Dump> DUMP = Option.choice("--dump",
      "print the program instead: ir (the optimised Brainfuck IR), kiln-ir (lowered to Kiln IR)"
          + " or asm (the machine code)", Dump.class, null);
  private static final Option<Boolean> STATS = Option.flag("--stats",
      "print the time of each phase and the code size to stderr");
  private static final Option<Boolean> PERF_MAP = Option.flag("--perf-map",
      "JIT: append the compiled program to /tmp/perf-PID.map for perf");
  private static final Option<RunCommand.Convention> CONVENTION = Option.choice("--convention",
      "The calling convention of the generated code.", RunCommand.Convention.class,
      RunCommand.Convention.host).hide();

  private static final CommandSyntax SYNTAX = CommandSyntax.of("bf",
      "Run a Brainfuck program: 30,000 byte cells unless --tape says otherwise, wrapping;"
          + " ',' at EOF leaves the cell.",
      "FILE.b", "the program", MODE, TIME_LIMIT, TAPE, DUMP, STATS, PERF_MAP, CONVENTION);

  @Override
  public CommandSyntax syntax() {
    return SYNTAX;
  }

  @Override
  public int run(Arguments args, Main main) {
    if (args.get(MODE) == Mode.jit && args.get(DUMP) == null) {
      NativeRuntime.loadInBackground(); // for the tape and the code, while the front end runs
    }
    String file = args.parameter();
    String text = SourceFiles.read(file);
    long start = System.nanoTime();
    BfProgram program;
    try {
      program = BfCompiler.compile(new Source(file, text));
    } catch (BfSyntaxException e) {
      main.err().println(e.getMessage());
      return Main.EXIT_COMPILE_ERROR;
    }
    long frontEndNanos = System.nanoTime() - start;
    int tapeCells = (int) (long) args.get(TAPE);
    CompileOptions options = new CompileOptions().convention(args.get(CONVENTION).convention)
        .perfMap(args.get(PERF_MAP));
    Dump dump = args.get(DUMP);
    if (dump != null) {
      main.out().print(switch (dump) {
        case ir -> program.listing();
        case kiln_ir -> IrPrinter.print(BfLowering.lower(program, tapeCells));
        case asm -> BfJit.listing(program, tapeCells, options);
      });
      return Main.EXIT_OK;
    }
    Double timeLimit = args.get(TIME_LIMIT);
    long timeLimitNanos = timeLimit == null ? 0 : (long) (timeLimit * 1e9); // 0: no limit
    try {
      if (args.get(MODE) == Mode.jit) {
        try {
          BfJit.Stats stats =
              BfJit.run(program, tapeCells, options, main.in(), main.out(), timeLimitNanos);
          if (args.get(STATS)) {
            printJitStats(frontEndNanos, stats, main);
          }
          return Main.EXIT_OK;
        } catch (ExecutableMemoryDeniedException e) {
          main.err().println(FallbackWarning.line(e.getMessage()));
        }
      }
      long runStart = System.nanoTime();
      BfInterpreter.run(program, tapeCells, main.in(), main.out(), timeLimitNanos);
      if (args.get(STATS)) {
        main.out().flush();
        main.err().printf("kiln: front end %.3f ms (parse, fold), run %.3f ms (interpreter)%n",
            frontEndNanos / 1e6, (System.nanoTime() - runStart) / 1e6);
      }
    } catch (BfRuntimeException e) {
      main.out().flush(); // the program's output first, then the error (Main flushes at the end)
      main.err().println(e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    }
    return Main.EXIT_OK;
  }

  private static void printJitStats(long frontEndNanos, BfJit.Stats stats, Main main) {
    main.out().flush();
    PrintStream err = main.err();
    var c = stats.compile();
    err.printf("kiln: front end %.3f ms (parse, fold), lower %.3f ms (to Kiln IR),"
            + " passes %.3f ms (%s),"
            + " compile %.3f ms (lower %.3f, regalloc %.3f, emit %.3f), install %.3f ms,"
            + " run %.3f ms, code %d bytes, %d IR instructions%n",
        frontEndNanos / 1e6, stats.lowerNanos() / 1e6, c.optimizeNanos() / 1e6, c.passTimes(),
        (c.lowerNanos() + c.allocateNanos() + c.emitNanos()) / 1e6, c.lowerNanos() / 1e6,
        c.allocateNanos() / 1e6, c.emitNanos() / 1e6, c.installNanos() / 1e6,
        stats.runNanos() / 1e6, c.codeBytes(), c.instructions());
  }
}
