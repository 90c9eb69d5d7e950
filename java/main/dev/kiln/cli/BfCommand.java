package dev.kiln.cli;

import dev.kiln.bf.BfCompiler;
import dev.kiln.bf.BfInterpreter;
import dev.kiln.bf.BfProgram;
import dev.kiln.bf.BfRuntimeException;
import dev.kiln.bf.BfSource;
import dev.kiln.bf.BfSyntaxException;
import dev.kiln.bf.jit.BfJit;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.ExecutableMemoryDeniedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kiln bf FILE.b}: runs a Brainfuck program (30,000 wrapping byte cells). */
@Command(
    name = "bf",
    mixinStandardHelpOptions = true,
    description = "Run a Brainfuck program: 30,000 byte cells, wrapping; ',' at EOF leaves the cell.")
final class BfCommand implements Callable<Integer> {
  enum Mode {
    jit,
    interp
  }

  @ParentCommand Main main;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE.b", description = "the program")
  Path file;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "execution mode: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
      defaultValue = "jit")
  Mode mode;

  @Option(names = "--time-limit", paramLabel = "SECONDS", description = "stop after this long")
  double timeLimitSeconds;

  @Option(
      names = "--dump",
      paramLabel = "WHAT",
      description = "print the program instead: ir (the optimised IR) or asm (the machine code)")
  String dump;

  @Override
  public Integer call() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
    }
    if (timeLimitSeconds < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--time-limit must be >= 0");
    }
    if (dump != null && !dump.equals("ir") && !dump.equals("asm")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--dump takes 'ir' or 'asm'");
    }
    BfProgram program;
    try {
      program = BfCompiler.compile(new BfSource(file.toString(), text));
    } catch (BfSyntaxException e) {
      main.err().println(e.getMessage());
      return Main.EXIT_COMPILE_ERROR;
    }
    if (dump != null) {
      main.out().print(
          dump.equals("ir")
              ? program.listing()
              : BfJit.compile(program, CallingConvention.host()).listing().toString());
      return Main.EXIT_OK;
    }
    long timeLimitNanos = (long) (timeLimitSeconds * 1e9);
    try {
      if (mode == Mode.jit) {
        try {
          BfJit.run(program, CallingConvention.host(), main.in(), main.out(), timeLimitNanos);
          main.out().flush();
          return Main.EXIT_OK;
        } catch (ExecutableMemoryDeniedException e) {
          main.err().println("kiln: warning: " + e.getMessage() + "; running the interpreter");
        }
      }
      BfInterpreter.run(program, main.in(), main.out(), timeLimitNanos);
    } catch (BfRuntimeException e) {
      main.out().flush();
      main.err().println(e.getMessage());
      return Main.EXIT_RUNTIME_ERROR;
    }
    main.out().flush();
    return Main.EXIT_OK;
  }
}
