package dev.kiln.jit.lowering;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompileStatistics;
import dev.kiln.backend.CompiledModule;
import dev.kiln.bytecode.Program;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapException;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import dev.kiln.vm.RuntimeErrorKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * Runs a Kiln program on the back end: {@link KilnLowering} turns its bytecode into IR, the back
 * end compiles it, and this class binds the run-time glue to the run's {@link Heap} and
 * {@link Output} and turns the IR's traps into the {@link KilnRuntimeError}s the interpreter
 * raises, with the same positions.
 */
public final class KilnIrJit {
  private KilnIrJit() {}

  /**
   * What a run took.
   *
   * @param lowerNanos lowering the bytecode to IR
   * @param compile the back end's statistics (its phases, install time and code size)
   * @param runNanos running the code
   */
  public record Stats(long lowerNanos, CompileStatistics compile, long runNanos) {}

  /** The IR module of {@code program} in text form, for {@code --dump=ir}. */
  public static String listing(Program program, long heapBytes) {
    return IrPrinter.print(KilnLowering.lower(program, heapBytes));
  }

  /**
   * The machine code the back end compiles {@code program} to, with the IR as comments, for
   * {@code --dump=asm}.
   */
  public static String asmListing(Program program, long heapBytes, CompileOptions options) {
    return Backend.listing(KilnLowering.lower(program, heapBytes, options.parallel()), options);
  }

  /**
   * Compiles and runs {@code main}; its arrays are {@code heap}'s, which must be native
   * ({@link Heap#isNative()}).
   *
   * @throws KilnRuntimeError for a runtime error of the program
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static Stats run(Program program, CompileOptions options, Heap heap, Output out,
      Deadline deadline) {
    long start = System.nanoTime();
    ByteBuffer memory = heap.bytes();
    Module module = KilnLowering.lower(program, memory.capacity(), options.parallel());
    long lowerNanos = System.nanoTime() - start;
    char[][] strings = program.strings().stream().map(String::toCharArray).toArray(char[][]::new);
    ByteBuffer prints = ByteBuffer.allocateDirect(
        8 + RuntimeImports.PRINT_RECORDS * RuntimeImports.PRINT_RECORD_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer state = ByteBuffer.allocateDirect(RuntimeImports.HEAP_STATE_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    handOver(heap, state);
    InstanceOptions instance = new InstanceOptions()
        .memory(RuntimeImports.HEAP, memory)
        .memory(RuntimeImports.HEAP_STATE, state)
        .maxCallDepth(Limits.MAX_CALL_DEPTH)
        .bind(RuntimeImports.NEW_ARRAY, a -> {
          takeOver(heap, state);
          long ref = heap.allocate(a[0], (int) a[1]);
          handOver(heap, state);
          return ref;
        })
        .memory(RuntimeImports.PRINTS, prints)
        .bind(RuntimeImports.FLUSH_PRINTS, a -> flush(prints, strings, out));
    long remaining = deadline.remainingNanos();
    if (remaining != Long.MAX_VALUE) {
      instance.control(RunControl.withTimeLimit(Duration.ofNanos(remaining)));
    }
    try (CompiledModule compiled = Backend.compileHandedOver(module, options, instance)) {
      long runStart = System.nanoTime();
      try {
        compiled.call(KilnLowering.mainName(program));
      } catch (TrapException e) {
        throw error(e);
      } finally {
        takeOver(heap, state);
        flush(prints, strings, out);
      }
      return new Stats(lowerNanos, compiled.statistics(), System.nanoTime() - runStart);
    }
  }

  /** Writes the heap's allocation state where compiled code allocates from it. */
  private static void handOver(Heap heap, ByteBuffer state) {
    state.putLong(RuntimeImports.HEAP_TOP, heap.mark());
    state.putLong(RuntimeImports.HEAP_DIRTY, heap.dirty());
    state.putLong(RuntimeImports.HEAP_BUDGET, heap.budget());
  }

  /** Gives the heap the state compiled code left. */
  private static void takeOver(Heap heap, ByteBuffer state) {
    heap.adopt(state.getLong(RuntimeImports.HEAP_TOP), state.getLong(RuntimeImports.HEAP_DIRTY),
        state.getLong(RuntimeImports.HEAP_BUDGET));
  }

  /**
   * Formats the pending prints into {@code out} and empties the buffer; the count is cleared
   * first, so a write that fails is not tried again by the flush at the end of the run.
   */
  private static long flush(ByteBuffer prints, char[][] strings, Output out) {
    int count = (int) prints.getLong(0);
    prints.putLong(0, 0);
    for (int k = 0; k < count; k++) {
      int at = 8 + k * RuntimeImports.PRINT_RECORD_BYTES;
      long tag = prints.getLong(at);
      long value = prints.getLong(at + 8);
      switch ((int) tag & ~RuntimeImports.PRINT_LAST) {
        case RuntimeImports.PRINT_INT -> out.printInt(value);
        case RuntimeImports.PRINT_FLOAT -> out.printFloat(Double.longBitsToDouble(value));
        case RuntimeImports.PRINT_BOOL -> out.printBool(value != 0);
        default -> out.printText(strings[(int) value]);
      }
      out.separator((tag & RuntimeImports.PRINT_LAST) != 0);
    }
    return 0;
  }

  /** The interpreter's error for a trap of the lowered program. */
  static KilnRuntimeError error(TrapException e) {
    int position = e.position();
    return switch (e.kind()) {
      case DIVISION_BY_ZERO -> new KilnRuntimeError(RuntimeErrorKind.DIVISION_BY_ZERO, position);
      case INDEX_OUT_OF_BOUNDS -> new KilnRuntimeError(
          RuntimeErrorKind.INDEX_OUT_OF_BOUNDS, e.index(), e.length(), position);
      case STACK_OVERFLOW -> new KilnRuntimeError(RuntimeErrorKind.STACK_OVERFLOW, position);
      case TIME_LIMIT -> new KilnRuntimeError(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, position);
      case USER -> {
        if (e.code() != RuntimeImports.ASSERTION_FAILED) {
          throw new IllegalStateException("lowered Kiln trapped: " + e.getMessage(), e);
        }
        yield new KilnRuntimeError(RuntimeErrorKind.ASSERTION_FAILED, position);
      }
      default -> throw new IllegalStateException("lowered Kiln trapped: " + e.getMessage(), e);
    };
  }
}
