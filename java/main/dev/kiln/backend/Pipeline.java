package dev.kiln.backend;

import dev.kiln.backend.emit.ModuleEmitter;
import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.opt.BitcastFolding;
import dev.kiln.backend.opt.BlockLayout;
import dev.kiln.backend.opt.BoundsCheckElimination;
import dev.kiln.backend.opt.ConstantFolding;
import dev.kiln.backend.opt.ConstantRematerialization;
import dev.kiln.backend.opt.DeadCodeElimination;
import dev.kiln.backend.opt.GuardInlining;
import dev.kiln.backend.opt.IfConversion;
import dev.kiln.backend.opt.Inlining;
import dev.kiln.backend.opt.LoopBoundsChecks;
import dev.kiln.backend.opt.LoopInvariantCodeMotion;
import dev.kiln.backend.opt.Pass;
import dev.kiln.backend.opt.RedundantMemoryAccesses;
import dev.kiln.backend.opt.StrengthReduction;
import dev.kiln.backend.opt.StridedLoopUnrolling;
import dev.kiln.backend.opt.TailRecursion;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.backend.opt.ValueNumbering;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.LinearScan;
import dev.kiln.ir.Function;
import dev.kiln.ir.IrVerificationException;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.runtime.HostFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The passes of the back end, in order: the IR-to-IR passes of {@link #IR_PASSES} over a copy
 * of the module (unless {@link CompileOptions#optimize(boolean)} turns them off), then the
 * block order ({@link BlockLayout}: likely successors fall through, loops rotated, loop tops
 * aligned), instruction selection ({@link Lowering}) in that order, linear-scan register allocation
 * ({@link LinearScan}) and emission of the module's machine code ({@link ModuleEmitter}).
 */
final class Pipeline {
  /** The IR-to-IR passes, in the order they run. */
  static final List<Pass> IR_PASSES = List.of(new Inlining(), new TailRecursion(),
      new GuardInlining(), new ConstantFolding(), new StrengthReduction(), new ValueNumbering(),
      new RedundantMemoryAccesses(), new LoopInvariantCodeMotion(), new IfConversion(),
      new LoopBoundsChecks(), new StridedLoopUnrolling(), new BoundsCheckElimination(), new ConstantRematerialization(),
      new DeadCodeElimination(), new BitcastFolding());

  /** The emitted module, the IR instructions it was compiled from and the timings of its passes. */
  record Result(ModuleEmitter.Emitted emitted, int instructions, int spilledValues,
      Map<String, Long> passNanos, long lowerNanos, long allocateNanos, long emitNanos) {}

  private Pipeline() {}

  /**
   * Runs {@link #IR_PASSES} over a copy of a verified module, each over every function,
   * verifying the copy after each pass if {@code options} say so and handing it with the pass's
   * name to {@code afterEach} (unless null).
   *
   * @return the optimized copy
   */
  static Module optimize(Module module, CompileOptions options, Map<String, Long> passNanos,
      BiConsumer<String, Module> afterEach) {
    Module copy = module.copy();
    for (Pass pass : IR_PASSES) {
      long t0 = System.nanoTime();
      for (Function f : copy.functions()) {
        pass.run(f);
      }
      passNanos.merge(pass.name(), System.nanoTime() - t0, Long::sum);
      if (options.verifyPasses()) {
        try {
          copy.verify();
        } catch (IrVerificationException e) {
          throw new IllegalStateException("the IR is malformed after pass " + pass.name() + ": "
              + e.getMessage() + "\n" + copy, e);
        }
      }
      if (afterEach != null) {
        afterEach.accept(pass.name(), copy);
      }
    }
    return copy;
  }

  /** Runs every pass over a verified module. */
  static Result run(Module module, CompileOptions options) {
    boolean callsJava = module.imports().stream().anyMatch(c -> c instanceof JavaFunction);
    // the helper that calls Java, in the convention of the code that calls it
    long upcallAddress = callsJava ? HostFunction.UPCALL.address(options.convention()) : 0;
    int instructions = 0;
    for (Function f : module.functions()) {
      instructions += f.blocks().stream().mapToInt(b -> b.instructions().size()).sum();
    }
    Map<String, Long> passNanos = new LinkedHashMap<>();
    Module optimized = options.optimize() ? optimize(module, options, passNanos, null) : module;
    long t0 = System.nanoTime();
    List<MachineFunction> lowered = new ArrayList<>();
    for (Function f : optimized.functions()) {
      BlockLayout layout = BlockLayout.of(f);
      lowered.add(Lowering.lower(f, layout.order(), layout.loopTops(),
          Thresholds.LOOP_ALIGNMENT_MAX_PADDING));
    }
    long t1 = System.nanoTime();
    List<Allocation> allocations = new ArrayList<>();
    int spilled = 0;
    int pinned = ModuleEmitter.pinnedMemory(optimized.memories().size(), lowered);
    for (MachineFunction mf : lowered) {
      Allocation a = LinearScan.allocate(mf, pinned >= 0);
      allocations.add(a);
      spilled += a.spillSlots();
    }
    long t2 = System.nanoTime();
    ModuleEmitter.Emitted emitted = ModuleEmitter.emit(optimized, lowered, allocations,
        options.convention(), upcallAddress, options.listing(), pinned);
    long t3 = System.nanoTime();
    return new Result(emitted, instructions, spilled, Collections.unmodifiableMap(passNanos),
        t1 - t0, t2 - t1, t3 - t2);
  }
}
