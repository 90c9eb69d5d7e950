package dev.kiln.bf;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompileStatistics;
import dev.kiln.backend.CompiledModule;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * Runs a {@link BfProgram} as machine code: {@link BfLowering} turns it into Kiln IR, the back
 * end compiles that, and this class serves its output and input and turns its traps into the
 * {@link BfRuntimeException} the {@link BfInterpreter} throws, so both agree on every output
 * byte and every error.
 */
public final class BfJit {
  private BfJit() {}

  /**
   * What a run took.
   *
   * @param lowerNanos lowering the Brainfuck IR to Kiln IR
   * @param compile the back end's statistics (its phases, install time and code size)
   * @param runNanos running the code
   */
  public record Stats(long lowerNanos, CompileStatistics compile, long runNanos) {}

  /** The machine code of {@code program} as the back end lists it, for {@code --dump=asm}. */
  public static String listing(BfProgram program, int tapeCells, CompileOptions options) {
    return Backend.listing(BfLowering.lower(program, tapeCells), options);
  }

  /**
   * Compiles and runs the program.
   *
   * @param tapeCells the number of cells of the tape
   * @param options how the back end compiles it (the calling convention)
   * @param timeLimitNanos wall time after which the run stops with {@code time limit exceeded};
   *     zero or negative for none
   * @throws BfRuntimeException for a cell out of range or the time limit
   * @throws UncheckedIOException if reading input or writing output fails
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static Stats run(BfProgram program, int tapeCells, CompileOptions options,
      InputStream in, OutputStream out, long timeLimitNanos) {
    long start = System.nanoTime();
    Module module = BfLowering.lower(program, tapeCells);
    long lowerNanos = System.nanoTime() - start;
    ByteBuffer output = ByteBuffer.allocateDirect(
        BfLowering.OUTPUT_BYTES + BfLowering.OUTPUT_CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    InstanceOptions instance = new InstanceOptions()
        .memory(BfLowering.OUTPUT, output)
        .bind(BfLowering.FLUSH, args -> drain(output, out))
        .bind(BfLowering.READ, args -> read(in));
    if (timeLimitNanos > 0) {
      instance.control(RunControl.withTimeLimit(Duration.ofNanos(timeLimitNanos)));
    }
    try (CompiledModule compiled = Backend.compileHandedOver(module, options, instance)) {
      long runStart = System.nanoTime();
      try {
        compiled.call(BfLowering.RUN);
      } catch (TrapException e) {
        throw failure(program, tapeCells, e);
      } finally {
        drain(output, out);
      }
      return new Stats(lowerNanos, compiled.statistics(), System.nanoTime() - runStart);
    }
  }

  private static BfRuntimeException failure(BfProgram program, int tapeCells, TrapException e) {
    // A poll at the function's entry has no position: the program's first instruction stands.
    int instruction = e.position() == Instruction.NO_POSITION ? 0 : e.position();
    return switch (e.kind()) {
      case MEMORY_OUT_OF_BOUNDS ->
          BfRuntimeException.cellOutOfRange(program, instruction, e.index(), tapeCells);
      case TIME_LIMIT -> BfRuntimeException.at(program, instruction, "time limit exceeded");
      default -> throw new IllegalStateException("lowered Brainfuck trapped: " + e.getMessage(), e);
    };
  }

  /**
   * Writes out the buffered output bytes and empties the buffer; they are taken out first, so a
   * write that fails is not tried again by the drain at the end of the run.
   */
  private static long drain(ByteBuffer output, OutputStream out) {
    int count = (int) output.getLong(0);
    if (count == 0) {
      return 0;
    }
    byte[] bytes = new byte[count];
    output.get(BfLowering.OUTPUT_BYTES, bytes);
    output.putLong(0, 0);
    try {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }

  private static long read(InputStream in) {
    try {
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
