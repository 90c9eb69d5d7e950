package dev.kiln.cli;

import dev.kiln.bf.BfCompiler;
import dev.kiln.bf.BfInterpreter;
import dev.kiln.bf.BfProgram;
import dev.kiln.bf.BfRuntimeException;
import dev.kiln.source.Source;
import dev.kiln.bf.BfSyntaxException;
import dev.kiln.bf.jit.BfJit;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.ExecutableMemoryDeniedException;

/** {@code kiln bf FILE.b}: runs a Brainfuck program (30,000 wrapping byte cells). */
final class BfCommand implements Command {
  enum Mode {
    jit,
    interp
  }

  enum Dump {
    ir,
    asm
  }

  private static final Option<Mode> MODE =
      Option.choice("--mode", "execution mode", Mode.class, Mode.jit);
  private static final Option<Double> TIME_LIMIT = Option.value("--time-limit", "SECONDS",
      "stop after this long", ValueParser.positiveSeconds(), null);
  private static final Option<Dump> DUMP = Option.choice("--dump",
      "print the program instead: ir (the optimised IR) or asm (the machine code)", Dump.class, null);

  private static final CommandSyntax SYNTAX = CommandSyntax.of("bf",
      "Run a Brainfuck program: 30,000 byte cells, wrapping; ',' at EOF leaves the cell.",
      "FILE.b", "the program", MODE, TIME_LIMIT, DUMP);

  @Override
  public CommandSyntax syntax() {
    return SYNTAX;
  }

  @Override
  public int run(Arguments args, Main main) {
    String file = args.parameter();
    String text = SourceFiles.read(file);
    BfProgram program;
    try {
      program = BfCompiler.compile(new Source(file, text));
    } catch (BfSyntaxException e) {
      main.err().println(e.getMessage());
      return Main.EXIT_COMPILE_ERROR;
    }
    Dump dump = args.get(DUMP);
    if (dump != null) {
      main.out().print(
          dump == Dump.ir
              ? program.listing()
              : BfJit.compile(program, CallingConvention.host()).listing().toString());
      return Main.EXIT_OK;
    }
    Double timeLimit = args.get(TIME_LIMIT);
    long timeLimitNanos = timeLimit == null ? 0 : (long) (timeLimit * 1e9); // 0: no limit
    try {
      execute(args.get(MODE), program, timeLimitNanos, main);
    } catch (BfRuntimeException e) {
      main.out().flush(); // the program's output first, then the error (Main flushes at the end)
      main.err().println(e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    }
    return Main.EXIT_OK;
  }

  /** Runs in the chosen mode; the JIT falls back to the interpreter if the OS refuses it. */
  private static void execute(Mode mode, BfProgram program, long timeLimitNanos, Main main) {
    if (mode == Mode.jit) {
      try {
        BfJit.run(program, CallingConvention.host(), main.in(), main.out(), timeLimitNanos);
        return;
      } catch (ExecutableMemoryDeniedException e) {
        main.err().println(FallbackWarning.line(e.getMessage()));
      }
    }
    BfInterpreter.run(program, main.in(), main.out(), timeLimitNanos);
  }
}
