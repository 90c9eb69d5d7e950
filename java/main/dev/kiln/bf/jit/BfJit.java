package dev.kiln.bf.jit;

import dev.kiln.asm.Assembler;
import dev.kiln.bf.BfProgram;
import dev.kiln.bf.BfRuntimeException;
import dev.kiln.runtime.Alarm;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.CodeCache;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.InstalledCode;
import dev.kiln.runtime.NativeMemory;
import dev.kiln.runtime.Signature;
import dev.kiln.runtime.Upcall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Compiles a {@link BfProgram} to machine code and runs it: the tape and a {@link BfContext}
 * block live in native memory; output and input cross into Java through the runtime's upcall.
 * Observable behaviour (output bytes, errors and their positions) is the interpreter's.
 */
public final class BfJit {
  private BfJit() {}

  /** The generated code with a listing, for {@code kiln bf --dump=asm}. */
  public static Assembler compile(BfProgram program, CallingConvention convention) {
    Assembler a =
        BfCodeGenerator.generate(program, convention, HostFunction.UPCALL.address(convention), true);
    a.finish();
    return a;
  }

  /**
   * Compiles and runs the program in the given convention (the host's for normal use; on Linux
   * also {@link CallingConvention#WINDOWS_X64}, through the runtime's ms_abi path).
   *
   * @param timeLimitNanos wall time after which the run stops with {@code time limit exceeded};
   *     zero or negative for none
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static void run(
      BfProgram program,
      CallingConvention convention,
      InputStream in,
      OutputStream out,
      long timeLimitNanos) {
    byte[] code =
        BfCodeGenerator.generate(program, convention, HostFunction.UPCALL.address(convention), false)
            .finish();
    try (CodeCache cache = new CodeCache();
        NativeMemory tape = NativeMemory.allocate(BfProgram.TAPE_SIZE);
        NativeMemory context = NativeMemory.allocate(BfContext.SIZE)) {
      InstalledCode function =
          cache.install(new CodeCache.Function(code, Signature.longs(2), convention));
      ByteBuffer ctx = context.buffer();
      Upcall io = (what, unused1, unused2) -> what == BfContext.UPCALL_FLUSH ? drain(ctx, out) : read(in);
      long status;
      try (Alarm alarm =
          timeLimitNanos > 0 ? Alarm.raise(ctx, BfContext.POLL, timeLimitNanos) : Alarm.NONE) {
        status = function.invokeWithUpcall(io, tape.address(), context.address());
      } finally {
        drain(ctx, out);
      }
      if (status != BfContext.OK) {
        throw failure(program, status, ctx);
      }
    }
  }

  private static BfRuntimeException failure(BfProgram program, long status, ByteBuffer ctx) {
    int instruction = (int) (status >>> 8);
    return switch ((int) status & 0xff) {
      case BfContext.CELL_OUT_OF_RANGE ->
          BfRuntimeException.cellOutOfRange(program, instruction, ctx.getLong(BfContext.FAULT_CELL));
      case BfContext.TIME_LIMIT -> BfRuntimeException.at(program, instruction, "time limit exceeded");
      default -> throw new IllegalStateException("generated code returned status " + status);
    };
  }

  /**
   * Writes out the buffered output bytes and empties the buffer; they are taken out first, so a
   * write that fails is not tried again by the drain at the end of the run.
   */
  private static long drain(ByteBuffer ctx, OutputStream out) {
    int count = (int) ctx.getLong(BfContext.OUT_COUNT);
    byte[] bytes = new byte[count];
    ctx.get(BfContext.OUT_BUFFER, bytes);
    ctx.putLong(BfContext.OUT_COUNT, 0);
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
