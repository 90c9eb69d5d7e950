package dev.kiln.jit;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Listing;
import dev.kiln.bytecode.Program;
import dev.kiln.runtime.Alarm;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.CodeCache;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.InstalledCode;
import dev.kiln.runtime.NativeMemory;
import dev.kiln.runtime.Signature;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import dev.kiln.vm.RuntimeErrorKind;
import java.nio.ByteBuffer;

/**
 * The Kiln JIT: compiles every function of a {@link Program} to x86-64 ({@link
 * KilnCodeGenerator}) and runs {@code main} through the runtime, on the {@link Heap}'s native
 * memory, which compiled code addresses directly. Output, errors and exit behaviour are the
 * interpreter's.
 */
public final class KilnJit {
  /**
   * What a run measured, for {@code --stats}: compiling (register allocation, code generation and
   * assembly with branch relaxation, from bytecode to the final bytes), installing (executable
   * memory, the run's thread and context block, the perf map if asked for), and running {@code
   * main}.
   */
  public record Stats(long compileNanos, long installNanos, int codeBytes, long runNanos) {}

  private KilnJit() {}

  /** Each function's machine code with bytecode offsets as comments, for {@code --dump=asm}. */
  public static String listing(Program program, CallingConvention convention) {
    return listing(program, Inliner.inline(program), convention);
  }

  /** {@link #listing} of {@code program} compiled with the inlining in {@code inlined}. */
  static String listing(Program program, Inlined inlined, CallingConvention convention) {
    KilnCodeGenerator.Generated g =
        KilnCodeGenerator.generate(inlined, convention, HostFunction.UPCALL.address(convention), true);
    Assembler a = g.assembler();
    a.finish();
    StringBuilder sb = new StringBuilder();
    int next = 0;
    for (Listing.Line line : a.listing().lines()) {
      while (next < g.functions().length && a.offsetOf(g.functions()[next]) <= line.offset()) {
        sb.append(next == 0 && sb.length() == 0 ? "" : "\n")
            .append("fn ").append(program.function(next).name()).append(":\n");
        next++;
      }
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /** Gives the heap the allocation state compiled code left in the context block. */
  static void takeBack(Heap heap, ByteBuffer context) {
    heap.adopt(context.getLong(JitContext.HEAP_TOP), context.getLong(JitContext.HEAP_DIRTY),
        context.getLong(JitContext.HEAP_BUDGET));
  }

  /** Writes the heap's allocation state into the context block, where compiled code keeps it. */
  static void handOver(Heap heap, ByteBuffer context) {
    context.putLong(JitContext.HEAP_TOP, heap.mark());
    context.putLong(JitContext.HEAP_DIRTY, heap.dirty());
    context.putLong(JitContext.HEAP_BUDGET, heap.budget());
  }

  /**
   * Compiles and runs {@code main}.
   *
   * @param convention the host's for normal use; on Linux also {@link
   *     CallingConvention#WINDOWS_X64}, through the runtime's ms_abi path
   * @param heap the run's arrays, in native memory ({@link Heap#isNative}); empty; closed by the
   *     caller
   * @param perfMap whether to append the functions to {@code /tmp/perf-PID.map}
   * @throws KilnRuntimeError as the interpreter would throw it
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static Stats run(
      Program program,
      CallingConvention convention,
      Heap heap,
      Output out,
      Deadline deadline,
      boolean perfMap) {
    long start = System.nanoTime();
    KilnCodeGenerator.Generated g =
        KilnCodeGenerator.generate(program, convention, HostFunction.UPCALL.address(convention), false);
    byte[] code = g.assembler().finish();
    Compiled compiled = new Compiled(program, convention, g, code, start, System.nanoTime());
    long stackBytes = ThreadStack.bytes(g.maxFrameBytes());
    Stats[] stats = new Stats[1];
    RuntimeException[] failure = new RuntimeException[1];
    Error[] error = new Error[1];
    Thread runner = new Thread(null, () -> {
      try {
        stats[0] = compiled.execute(heap, out, deadline, perfMap);
      } catch (RuntimeException e) {
        failure[0] = e;
      } catch (Error e) {
        error[0] = e;
      }
    }, "kiln-jit", stackBytes);
    runner.start();
    try {
      runner.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the compiled program ran", e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    if (error[0] != null) {
      throw error[0];
    }
    return stats[0];
  }

  /**
   * A program's machine code, ready to install and run; compiling it began at {@code start} and
   * ended at {@code compiled} ({@link System#nanoTime}).
   */
  private record Compiled(Program program, CallingConvention convention,
      KilnCodeGenerator.Generated g, byte[] code, long start, long compiled) {
    /**
     * The run proper, on a thread whose stack holds {@link Limits#MAX_CALL_DEPTH} of the largest
     * frames: then the depth limit, not the stack, decides when recursion is a stack overflow.
     */
    Stats execute(Heap heap, Output out, Deadline deadline, boolean perfMap) {
      try (CodeCache cache = new CodeCache();
          NativeMemory context = NativeMemory.allocate(JitContext.SIZE)) {
        InstalledCode entry = cache.install(new CodeCache.Function(code, Signature.longs(1), convention));
        if (perfMap) {
          PerfMap.write(program, g, entry.address(), code.length);
        }
        long installed = System.nanoTime();
        ByteBuffer ctx = context.buffer();
        ctx.putLong(JitContext.STACK_BUDGET, ThreadStack.budget(g.maxFrameBytes()));
        ctx.putLong(JitContext.HEAP_BASE, heap.baseAddress());
        handOver(heap, ctx);
        JitUpcalls upcalls = new JitUpcalls(program, heap, out, ctx);
        long status;
        try (Alarm alarm =
            deadline == Deadline.none()
                ? Alarm.NONE
                : Alarm.raise(ctx, JitContext.POLL, deadline.remainingNanos())) {
          status = entry.invokeWithUpcall(upcalls, context.address());
        } finally {
          takeBack(heap, ctx); // the heap is whole again, however the run ended
          upcalls.printRecords(); // and the program's last prints come before any error
        }
        if (status == JitContext.ERROR) {
          throw new KilnRuntimeError(
              RuntimeErrorKind.values()[(int) ctx.getLong(JitContext.ERROR_KIND)],
              ctx.getLong(JitContext.ERROR_A),
              ctx.getLong(JitContext.ERROR_B),
              (int) ctx.getLong(JitContext.ERROR_POSITION));
        }
        if (status != JitContext.OK) {
          throw new IllegalStateException("compiled code returned status " + status);
        }
        return new Stats(compiled - start, installed - compiled, code.length, System.nanoTime() - installed);
      }
    }
  }
}
