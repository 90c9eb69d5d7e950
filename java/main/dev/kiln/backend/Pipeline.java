package dev.kiln.backend;

import dev.kiln.backend.emit.ModuleEmitter;
import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.LinearScan;
import dev.kiln.ir.Function;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.runtime.HostFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * The passes of the back end, in order: instruction selection ({@link Lowering}), linear-scan
 * register allocation ({@link LinearScan}), emission of the module's machine code
 * ({@link ModuleEmitter}). IR-to-IR optimization passes will run in front of these.
 */
final class Pipeline {
  /** The names of the passes, in the order they run. */
  static final List<String> PASSES = List.of("lower", "regalloc", "emit");

  /** The emitted module and the timings of its passes. */
  record Result(ModuleEmitter.Emitted emitted, int instructions, int spilledValues,
      long lowerNanos, long allocateNanos, long emitNanos) {}

  private Pipeline() {}

  /** Runs every pass over a verified module. */
  static Result run(Module module, CompileOptions options) {
    boolean callsJava = module.imports().stream().anyMatch(c -> c instanceof JavaFunction);
    // the helper that calls Java, in the convention of the code that calls it
    long upcallAddress = callsJava ? HostFunction.UPCALL.address(options.convention()) : 0;
    long t0 = System.nanoTime();
    List<MachineFunction> lowered = new ArrayList<>();
    int instructions = 0;
    for (Function f : module.functions()) {
      lowered.add(Lowering.lower(f));
      instructions += f.blocks().stream().mapToInt(b -> b.instructions().size()).sum();
    }
    long t1 = System.nanoTime();
    List<Allocation> allocations = new ArrayList<>();
    int spilled = 0;
    for (MachineFunction mf : lowered) {
      Allocation a = LinearScan.allocate(mf);
      allocations.add(a);
      spilled += a.spillSlots();
    }
    long t2 = System.nanoTime();
    ModuleEmitter.Emitted emitted = ModuleEmitter.emit(module, lowered, allocations,
        options.convention(), upcallAddress, options.listing());
    long t3 = System.nanoTime();
    return new Result(emitted, instructions, spilled, t1 - t0, t2 - t1, t3 - t2);
  }
}
