package dev.kiln.jit;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompileStatistics;
import dev.kiln.backend.CompiledModule;
import dev.kiln.bytecode.Program;
import dev.kiln.interp.TierUp;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.JavaCallback;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapException;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Kiln program compiled by the back end, with its run-time glue bound to the run's
 * {@link Heap} and {@link Output}: the interpreter's way into compiled code. Each call hands the
 * heap's allocation state to compiled code and takes it back after, and writes out the prints
 * compiled code queued, so output keeps its order and the interpreter's arrays are compiled
 * code's.
 */
final class CompiledProgram implements TierUp.Compiled, AutoCloseable {
  private final Program program;
  private final Heap heap;
  private final Output out;
  private final char[][] strings;
  private final ByteBuffer prints;
  private final ByteBuffer state;
  private final CompiledModule module;

  /**
   * Compiles {@code module}, the lowering of {@code program}, and binds its glue.
   *
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  CompiledProgram(Program program, Module module, CompileOptions options, Heap heap, Output out,
      Deadline deadline) {
    this.program = program;
    this.heap = heap;
    this.out = out;
    this.strings = new char[program.strings().size()][];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = program.strings().get(i).toCharArray();
    }
    this.prints = ByteBuffer.allocateDirect(
        8 + RuntimeImports.PRINT_RECORDS * RuntimeImports.PRINT_RECORD_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    this.state = ByteBuffer.allocateDirect(RuntimeImports.HEAP_STATE_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    InstanceOptions instance = new InstanceOptions()
        .memory(RuntimeImports.HEAP, heap.bytes())
        .memory(RuntimeImports.HEAP_STATE, state)
        .maxCallDepth(Limits.MAX_CALL_DEPTH)
        .bind(RuntimeImports.NEW_ARRAY, new NewArray())
        .memory(RuntimeImports.PRINTS, prints)
        .bind(RuntimeImports.FLUSH_PRINTS, new FlushPrints());
    long remaining = deadline.remainingNanos();
    if (remaining != Long.MAX_VALUE) {
      // one deadline for every call the interpreter hands over, not a limit per call
      instance.control(RunControl.until(System.nanoTime() + remaining));
    }
    this.module = Backend.compileHandedOver(module, options, instance);
  }

  /** {@return the back end's statistics of the compile} */
  CompileStatistics statistics() {
    return module.statistics();
  }

  @Override
  public long call(int function, long[] args, int levels) {
    return enter(program.function(function).name(), args, levels);
  }

  @Override
  public long resume(int function, int header, long[] slots, int levels) {
    return enter(KilnLowering.resumeName(program, function, header), slots, levels);
  }

  @Override
  public boolean resumes(int function, int header) {
    return module.module().findCallee(KilnLowering.resumeName(program, function, header)) != null;
  }

  private long enter(String name, long[] args, int levels) {
    handOver();
    try {
      return module.callRawWithin(levels, name, args);
    } catch (TrapException e) {
      throw KilnJit.error(e);
    } finally {
      takeOver();
      flush();
    }
  }

  @Override
  public void close() {
    module.close();
  }

  /**
   * {@link RuntimeImports#NEW_ARRAY}: a fresh array from the heap, which takes over the
   * allocation state for it. The glue's callbacks are classes, not lambdas: a run of
   * {@code kiln run} links no lambda, whose first one would cost the JVM's lambda machinery's
   * start-up.
   */
  private final class NewArray implements JavaCallback {
    @Override
    public long call(long[] args) {
      takeOver();
      long ref = heap.allocate(args[0], (int) args[1]);
      handOver();
      return ref;
    }
  }

  /** {@link RuntimeImports#FLUSH_PRINTS}: {@link #flush}. */
  private final class FlushPrints implements JavaCallback {
    @Override
    public long call(long[] args) {
      return flush();
    }
  }

  /** Writes the heap's allocation state where compiled code allocates from it. */
  private void handOver() {
    state.putLong(RuntimeImports.HEAP_TOP, heap.mark());
    state.putLong(RuntimeImports.HEAP_DIRTY, heap.dirty());
    state.putLong(RuntimeImports.HEAP_BUDGET, heap.budget());
  }

  /** Gives the heap the state compiled code left. */
  private void takeOver() {
    heap.adopt(state.getLong(RuntimeImports.HEAP_TOP), state.getLong(RuntimeImports.HEAP_DIRTY),
        state.getLong(RuntimeImports.HEAP_BUDGET));
  }

  /**
   * Formats the pending prints into the output and empties the buffer; the count is cleared
   * first, so a write that fails is not tried again by the flush after the call.
   */
  private long flush() {
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
}
