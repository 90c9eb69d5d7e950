package dev.kiln.cli;

import dev.kiln.bytecode.Disassembler;
import dev.kiln.bytecode.Program;
import dev.kiln.interp.Interpreter;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.lang.Source;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln run FILE}: compiles a Kiln program and runs it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    usageHelpWidth = 120,
    customSynopsis =
        "kiln run FILE [--mode=interp|jit] [--time-limit=SECONDS] [--max-memory=MIB]"
            + " [--dump=bytecode]",
    description = "Compile and run a Kiln program.")
public final class RunCommand implements Callable<Integer> {
  /** How a program runs. */
  enum Mode {
    interp,
    jit
  }

  /** What {@code --dump} lists instead of running. */
  enum Dump {
    bytecode
  }

  /** The mode without {@code --mode}; the JIT session makes this {@code jit}. */
  static final Mode DEFAULT_MODE = Mode.interp;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The Kiln source file.")
  String file;

  @Option(names = "--mode", paramLabel = "MODE", description = "interp or jit (default: ${DEFAULT-VALUE}).")
  Mode mode = DEFAULT_MODE;

  @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop the program after this many seconds.")
  Double timeLimit;

  @Option(names = "--max-memory", paramLabel = "MIB", description = "Cap on the memory of all arrays, in MiB (default: ${DEFAULT-VALUE}).")
  long maxMemoryMib = Limits.DEFAULT_MAX_MEMORY_MIB;

  @Option(names = "--dump", paramLabel = "WHAT", description = "Print a listing instead of running: bytecode.")
  Dump dump;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (mode == Mode.jit) {
      throw new CommandLine.ParameterException(cl,
          "--mode=jit is not available in this build yet; use --mode=interp");
    }
    if (timeLimit != null && !(timeLimit > 0)) {
      throw new CommandLine.ParameterException(cl, "--time-limit must be a positive number of seconds");
    }
    if (maxMemoryMib <= 0) {
      throw new CommandLine.ParameterException(cl, "--max-memory must be a positive number of MiB");
    }
    Source source = new Source(file, read(cl));
    return compileAndRun(source, cl.getOut(), cl.getErr());
  }

  private String read(CommandLine cl) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(file))))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CommandLine.ParameterException(cl, "cannot read " + file + ": not valid UTF-8");
    } catch (IOException | InvalidPathException e) {
      throw new CommandLine.ParameterException(cl, "cannot read " + file + ": " + reason(e));
    }
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private int compileAndRun(Source source, PrintWriter out, PrintWriter err) {
    Program program;
    try {
      program = FrontEnd.compile(source);
    } catch (CompileErrors e) {
      err.print(e.format());
      err.flush();
      return Main.EXIT_COMPILE_ERROR;
    }
    if (dump == Dump.bytecode) {
      out.print(Disassembler.listing(program));
      out.flush();
      return Main.EXIT_OK;
    }
    Output output = new Output(out);
    Deadline deadline = timeLimit == null ? Deadline.none() : Deadline.after(timeLimit);
    try (Heap heap = new Heap(Math.min(maxMemoryMib, Long.MAX_VALUE >> 20) << 20)) {
      new Interpreter(program, heap, output, deadline).run();
      output.flush();
      return Main.EXIT_OK;
    } catch (KilnRuntimeError e) {
      output.flush();
      err.println(RuntimeErrors.format(source.name(), program, e));
      err.flush();
      return Main.EXIT_RUNTIME_ERROR;
    }
  }
}
