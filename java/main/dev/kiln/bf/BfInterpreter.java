package dev.kiln.bf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Runs {@link BfProgram} IR on a byte tape. Output is buffered and flushed when the run ends,
 * normally or with an error, so output printed before an error is never lost.
 */
public final class BfInterpreter {
  /** How many backward jumps run between two looks at the clock. */
  private static final int POLL_INTERVAL = 1 << 16;

  private BfInterpreter() {}

  /**
   * Runs the program.
   *
   * @param tapeCells the number of cells of the tape
   * @param timeLimitNanos wall time after which the run stops with {@code time limit exceeded};
   *     zero or negative for no limit
   */
  public static void run(BfProgram program, int tapeCells, InputStream in, OutputStream out,
      long timeLimitNanos) {
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    try {
      execute(program, new byte[tapeCells], in, buffered, timeLimitNanos);
    } catch (BfRuntimeException e) {
      flush(buffered); // the output before the error (a failed write is not tried again)
      throw e;
    }
    flush(buffered);
  }

  private static void flush(OutputStream out) {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void execute(
      BfProgram program, byte[] tape, InputStream in, OutputStream out, long timeLimitNanos) {
    final long deadline = System.nanoTime() + timeLimitNanos;
    final int[] code = program.code();
    int p = 0;
    int pc = 0;
    int poll = POLL_INTERVAL;
    final int end = code.length;
    try {
      while (pc < end) {
        int op = code[pc];
        int a = code[pc + 1];
        switch (op) {
          case BfProgram.ADD -> tape[cell(program, tape, pc, p + a)] += (byte) code[pc + 2];
          case BfProgram.SET -> tape[cell(program, tape, pc, p + a)] = (byte) code[pc + 2];
          case BfProgram.MOVE -> p += a;
          case BfProgram.OUT -> out.write(tape[cell(program, tape, pc, p + a)]);
          case BfProgram.IN -> {
            int c = in.read();
            int i = cell(program, tape, pc, p + a);
            if (c >= 0) {
              tape[i] = (byte) c;
            }
          }
          case BfProgram.JZ -> {
            if (tape[cell(program, tape, pc, p)] == 0) {
              pc = 3 * a;
              continue;
            }
          }
          case BfProgram.JNZ -> {
            if (tape[cell(program, tape, pc, p)] != 0) {
              if (--poll == 0) {
                poll = POLL_INTERVAL;
                if (timeLimitNanos > 0 && System.nanoTime() - deadline > 0) {
                  throw BfRuntimeException.at(program, pc / 3, "time limit exceeded");
                }
              }
              pc = 3 * a;
              continue;
            }
          }
          case BfProgram.MUL -> {
            int i = cell(program, tape, pc, p + a);
            tape[i] += (byte) (tape[cell(program, tape, pc, p)] * code[pc + 2]);
          }
          case BfProgram.SCAN -> {
            do {
              p += a;
            } while (tape[cell(program, tape, pc, p)] != 0);
          }
          default -> throw new IllegalStateException("bad Brainfuck IR op " + op);
        }
        pc += 3;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int cell(BfProgram program, byte[] tape, int pc, int index) {
    if (index < 0 || index >= tape.length) {
      throw BfRuntimeException.cellOutOfRange(program, pc / 3, index, tape.length);
    }
    return index;
  }
}
