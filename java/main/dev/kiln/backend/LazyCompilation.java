package dev.kiln.backend;

import dev.kiln.backend.emit.AlignedFrames;
import dev.kiln.backend.emit.ModuleEmitter;
import dev.kiln.backend.opt.Pass;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Module;
import dev.kiln.ir.Opcode;
import dev.kiln.runtime.CallingConvention;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module compiled function by function, each on its first call ({@link
 * CompileOptions#lazy(boolean)}): the passes that read other functions have run over the whole
 * module ({@link Pipeline#prepare}); the rest of a function's work, its own passes, layout,
 * selection, allocation and emission, runs in {@link #compile}. What the functions' code must
 * agree on is fixed up front from the IR: the memory whose base is pinned (the most accessed in
 * the IR) and which functions align their frames ({@link AlignedFrames#ofIr}).
 *
 * <p>Compiles run one at a time ({@link #compile} is synchronized): a function reads only its own
 * IR and what no compile changes (other functions' names, signatures, indices and levels).
 */
final class LazyCompilation {
  private final Pipeline.Prepared prepared;
  private final CompileOptions options;
  private final ModuleEmitter.Layout layout;
  private final int pinnedMemory;
  private final boolean[] aligned;
  private final long prepareNanos;
  private int compiled;
  private int codeBytes;
  private int spilledValues;
  private long emitNanos;
  private long compileNanos;

  LazyCompilation(Pipeline.Prepared prepared, CompileOptions options) {
    this.prepared = prepared;
    this.options = options;
    Module module = prepared.module();
    this.layout = ModuleEmitter.Layout.of(module);
    int[] accesses = new int[module.memories().size()];
    for (Function f : module.functions()) {
      for (Block b : f.blocks()) {
        for (Instruction inst : b.instructions()) {
          if (inst.opcode() == Opcode.LOAD || inst.opcode() == Opcode.STORE) {
            accesses[inst.memory().index()]++;
          }
        }
      }
    }
    this.pinnedMemory = ModuleEmitter.mostAccessed(accesses);
    this.aligned = AlignedFrames.ofIr(module.functions());
    this.prepareNanos = System.nanoTime() - prepared.start();
  }

  /** {@return the module's code before any function is compiled: entry stub and stand-ins} */
  ModuleEmitter.Emitted emitStandIns() {
    return ModuleEmitter.emitLazy(prepared.module(), layout, options.convention(),
        prepared.upcallAddress(), pinnedMemory);
  }

  /**
   * The most native stack one activation of any function may take: its return address, the
   * registers it saves, a slot per value it defines (more than its allocation can spill) and the
   * largest outgoing area a call may need (a C call's stack arguments and shadow space).
   */
  int maxActivationBytes() {
    int most = 0;
    for (Function f : prepared.module().functions()) {
      int outgoing = 0;
      for (Block b : f.blocks()) {
        for (Instruction inst : b.instructions()) {
          if (inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT) {
            outgoing = Math.max(outgoing, 8 * inst.argCount());
          }
        }
      }
      int bytes = 8 + 8 * Registers.CALLEE_SAVED.size() + 8 * (f.valueCount() + 1) + outgoing
          + CallingConvention.WINDOWS_X64.shadowSpace();
      most = Math.max(most, bytes);
    }
    return most;
  }

  /**
   * Compiles function {@code i}.
   *
   * @return its code, to be installed
   * @throws RuntimeException (or Error) what compiling it threw
   */
  synchronized ModuleEmitter.FunctionCode compile(int i) {
    long t0 = System.nanoTime();
    FunctionCompilation.Compiled c = prepared.tasks().compileOne(i);
    long t1 = System.nanoTime();
    ModuleEmitter.FunctionCode code = ModuleEmitter.emitFunction(c.function(), c.allocation(),
        layout, options.convention(), prepared.upcallAddress(), pinnedMemory, aligned[i]);
    long t2 = System.nanoTime();
    compiled++;
    codeBytes += code.code().length;
    spilledValues += c.allocation().spillSlots();
    emitNanos += t2 - t1;
    compileNanos += t2 - t0;
    return code;
  }

  /**
   * What compiling the module has taken and made so far: the passes over the whole module, and
   * the functions compiled since.
   *
   * @param entryBytes the size of the entry stub and stand-ins
   * @param installNanos the time spent installing code so far
   * @param firstCallNanos the time calls spent compiling and installing functions so far
   */
  synchronized CompileStatistics statistics(int entryBytes, long installNanos,
      long firstCallNanos) {
    FunctionCompilation tasks = prepared.tasks();
    List<Pass> perFunction = prepared.perFunction();
    Map<String, Long> passNanos = new LinkedHashMap<>(prepared.passNanos());
    for (int k = 0; k < perFunction.size(); k++) {
      Pipeline.addNanos(passNanos, perFunction.get(k).name(), tasks.nanos(k));
    }
    return new CompileStatistics(compiled, prepared.instructions(), spilledValues,
        entryBytes + codeBytes, tasks.nanos(perFunction.size()),
        tasks.nanos(perFunction.size() + 1), emitNanos, installNanos,
        prepareNanos + compileNanos, passNanos, firstCallNanos);
  }
}
