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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code kiln bf FILE.b}: runs a Brainfuck program (30,000 wrapping byte cells). */
final class BfCommand implements Callable<Integer> {
  enum Mode {
    jit,
    interp
  }

  enum Dump {
    ir,
    asm
  }

  private final Main main;

  private final PositionalParamSpec fileParameter =
      PositionalParamSpec.builder()
          .paramLabel("FILE.b")
          .required(true)
          .description("the program")
          .type(String.class)
          .build();

  private final OptionSpec modeOption =
      OptionSpec.builder("--mode")
          .paramLabel("MODE")
          .description("execution mode: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
          .type(Mode.class)
          .defaultValue("jit")
          .build();

  private final OptionSpec timeLimitOption =
      OptionSpec.builder("--time-limit")
          .paramLabel("SECONDS")
          .description("stop after this long")
          .type(double.class)
          .initialValue(0.0)
          .build();

  private final OptionSpec dumpOption =
      OptionSpec.builder("--dump")
          .paramLabel("WHAT")
          .description("print the program instead: ir (the optimised IR) or asm (the machine code)")
          .type(Dump.class)
          .build();

  private final CommandSpec spec =
      CommandSpecs.withHelpOptions(
          CommandSpecs.command(
              this,
              "Run a Brainfuck program: 30,000 byte cells, wrapping; ',' at EOF leaves the cell.",
              fileParameter, modeOption, timeLimitOption, dumpOption));

  BfCommand(Main main) {
    this.main = main;
  }

  /** The command's picocli model (built in code: see {@link Main}). */
  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() {
    String file = fileParameter.getValue();
    double timeLimitSeconds = timeLimitOption.getValue();
    Dump dump = dumpOption.getValue();
    String text = SourceFiles.read(file, spec.commandLine());
    if (timeLimitSeconds < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--time-limit must be >= 0");
    }
    BfProgram program;
    try {
      program = BfCompiler.compile(new Source(file, text));
    } catch (BfSyntaxException e) {
      main.err().println(e.getMessage());
      return Main.EXIT_COMPILE_ERROR;
    }
    if (dump != null) {
      main.out().print(
          dump == Dump.ir
              ? program.listing()
              : BfJit.compile(program, CallingConvention.host()).listing().toString());
      return Main.EXIT_OK;
    }
    try {
      execute(program, (long) (timeLimitSeconds * 1e9));
    } catch (BfRuntimeException e) {
      main.out().flush(); // the program's output first, then the error (Main flushes at the end)
      main.err().println(e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    }
    return Main.EXIT_OK;
  }

  /** Runs in the chosen mode; the JIT falls back to the interpreter if the OS refuses it. */
  private void execute(BfProgram program, long timeLimitNanos) {
    if (modeOption.getValue() == Mode.jit) {
      try {
        BfJit.run(program, CallingConvention.host(), main.in(), main.out(), timeLimitNanos);
        return;
      } catch (ExecutableMemoryDeniedException e) {
        main.err().println("kiln: warning: " + e.getMessage() + "; running the interpreter");
      }
    }
    BfInterpreter.run(program, main.in(), main.out(), timeLimitNanos);
  }
}
