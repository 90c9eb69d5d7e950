package dev.kiln.backend;

import dev.kiln.backend.emit.ModuleEmitter;
import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.opt.BitcastFolding;
import dev.kiln.backend.opt.BlockLayout;
import dev.kiln.backend.opt.BoundsCheckElimination;
import dev.kiln.backend.opt.CompareSinking;
import dev.kiln.backend.opt.ConstantFolding;
import dev.kiln.backend.opt.ConstantRematerialization;
import dev.kiln.backend.opt.DeadCodeElimination;
import dev.kiln.backend.opt.DemandedBits;
import dev.kiln.backend.opt.DepthPairs;
import dev.kiln.backend.opt.GuardInlining;
import dev.kiln.backend.opt.IdleArms;
import dev.kiln.backend.opt.IfConversion;
import dev.kiln.backend.opt.InductionProducts;
import dev.kiln.backend.opt.Inlining;
import dev.kiln.backend.opt.JumpThreading;
import dev.kiln.backend.opt.LoopBoundsChecks;
import dev.kiln.backend.opt.LoopCarriedLoads;
import dev.kiln.backend.opt.LoopInvariantCodeMotion;
import dev.kiln.backend.opt.LoopRoomGuards;
import dev.kiln.backend.opt.LoopScalarPromotion;
import dev.kiln.backend.opt.Pass;
import dev.kiln.backend.opt.RedundantMemoryAccesses;
import dev.kiln.backend.opt.RedundantParameters;
import dev.kiln.backend.opt.StrengthReduction;
import dev.kiln.backend.opt.StridedLoopUnrolling;
import dev.kiln.backend.opt.TailRecursion;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.backend.opt.ValueNumbering;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.LinearScan;
import dev.kiln.ir.Block;
import dev.kiln.ir.Callee;
import dev.kiln.ir.Function;
import dev.kiln.ir.IrVerificationException;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.runtime.HostFunction;
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
 *
 * <p>Threads: the passes up to the last one that {@link Pass#readsOtherFunctions reads other
 * functions} run on the calling thread, each over every function in module order before the
 * next; so do all of them when each is verified. The remaining passes, layout, lowering and
 * allocation of each function are then one task ({@link FunctionCompilation}), shared with
 * {@link CompilerThreads} in a module of at least {@link Thresholds#PARALLEL_MIN_INSTRUCTIONS}
 * unless {@link CompileOptions#parallel(boolean)} is off. The invariant that makes this safe: a
 * task reads and writes only its own function (blocks, values, cached {@code DominatorTree}) and
 * what no task changes (other functions' names, signatures, indices and levels, the memories);
 * passes, lowering and allocation keep no mutable static state. Emission runs on the calling
 * thread in module order, so the code is the same bytes either way; the per-pass, lowering and
 * allocation times are sums over the threads. A module compiled on first calls ({@link
 * CompileOptions#lazy(boolean)}) stops after the passes that read other functions ({@link
 * #prepare}); each function's task and its emission then run when it is first called ({@link
 * LazyCompilation}).
 */
final class Pipeline {
  /** The IR-to-IR passes, in the order they run. */
  static final List<Pass> IR_PASSES = List.of(new Inlining(), new TailRecursion(),
      new GuardInlining(), new ConstantFolding(), new StrengthReduction(),
      new RedundantParameters(), new LoopScalarPromotion(), new ValueNumbering(),
      new RedundantMemoryAccesses(), new LoopInvariantCodeMotion(), new IfConversion(),
      new LoopBoundsChecks(), new LoopRoomGuards(),
      new StridedLoopUnrolling(), new BoundsCheckElimination(), new IdleArms(),
      new LoopCarriedLoads(), new InductionProducts(),
      new ConstantRematerialization(), new CompareSinking(), new DepthPairs(),
      new DemandedBits(), new DeadCodeElimination(), new JumpThreading(), new BitcastFolding());

  /** The index of the first pass after the last that reads other functions. */
  private static final int FIRST_LOCAL_PASS = firstLocalPass();

  /**
   * The emitted module, the IR instructions it was compiled from, the timings of its passes (each
   * summed over the threads) and the time it took.
   */
  record Result(ModuleEmitter.Emitted emitted, int instructions, int spilledValues,
      Map<String, Long> passNanos, long lowerNanos, long allocateNanos, long emitNanos,
      long compileNanos) {}

  private Pipeline() {}

  private static int firstLocalPass() {
    int first = 0;
    for (int k = 0; k < IR_PASSES.size(); k++) {
      if (IR_PASSES.get(k).readsOtherFunctions()) {
        first = k + 1;
      }
    }
    return first;
  }

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
    runPasses(copy, IR_PASSES, options, passNanos, afterEach);
    return copy;
  }

  /** Adds {@code nanos} to {@code pass}'s time (no merge with a method reference: cold start-up). */
  private static void addNanos(Map<String, Long> passNanos, String pass, long nanos) {
    Long before = passNanos.get(pass);
    passNanos.put(pass, before == null ? nanos : before + nanos);
  }

  /** Runs {@code passes} over {@code copy}, each over every function before the next. */
  private static void runPasses(Module copy, List<Pass> passes, CompileOptions options,
      Map<String, Long> passNanos, BiConsumer<String, Module> afterEach) {
    for (Pass pass : passes) {
      long t0 = System.nanoTime();
      for (Function f : copy.functions()) {
        pass.run(f);
      }
      addNanos(passNanos, pass.name(), System.nanoTime() - t0);
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
  }

  /**
   * How many of {@link CompilerThreads} share the functions' tasks: none unless the options allow
   * it and the module has {@code parallelFrom} instructions or more.
   */
  static int helpers(CompileOptions options, int instructions, int functions, int parallelFrom) {
    return CompilerThreads.helpers(options.parallel() && instructions >= parallelFrom, functions);
  }

  /** Runs every pass over a copy of a verified module. */
  static Result run(Module module, CompileOptions options) {
    return run(module, false, options, Thresholds.PARALLEL_MIN_INSTRUCTIONS);
  }

  /**
   * Runs every pass over a copy of a verified module, sharing the functions' tasks with {@link
   * CompilerThreads} if it has {@code parallelFrom} instructions or more.
   */
  static Result run(Module module, CompileOptions options, int parallelFrom) {
    return run(module, false, options, parallelFrom);
  }

  /**
   * A module after the passes that read other functions: the functions' work still to do, and
   * what the module's code needs to know about it.
   *
   * @param module the optimized module (a copy, or the module handed over)
   * @param tasks each function's passes left, layout, lowering and allocation
   * @param perFunction the passes left for each function
   * @param upcallAddress the upcall helper's address in the options' convention, or 0 when the
   *     module imports no Java function and is not compiled on first calls
   * @param instructions the module's IR instructions before the passes
   * @param passNanos the times of the passes that ran, by name
   * @param start when the compile started ({@link System#nanoTime()})
   */
  record Prepared(Module module, FunctionCompilation tasks, List<Pass> perFunction,
      long upcallAddress, int instructions, Map<String, Long> passNanos, long start) {
    /**
     * {@return the times of all passes by name: those over the whole module, then each pass of
     * the functions' tasks summed over the functions compiled so far}
     */
    Map<String, Long> allPassNanos() {
      Map<String, Long> all = new LinkedHashMap<>(passNanos);
      for (int k = 0; k < perFunction.size(); k++) {
        addNanos(all, perFunction.get(k).name(), tasks.nanos(k));
      }
      return Collections.unmodifiableMap(all);
    }

    /** {@return the functions' layout and lowering time so far, summed over the threads} */
    long lowerNanos() {
      return tasks.nanos(perFunction.size());
    }

    /** {@return the functions' register allocation time so far, summed over the threads} */
    long allocateNanos() {
      return tasks.nanos(perFunction.size() + 1);
    }
  }

  /**
   * Runs the passes that read other functions over a verified module, or over a copy of it
   * unless {@code inPlace} (its caller hands it over): all of them when each is verified.
   */
  static Prepared prepare(Module module, boolean inPlace, CompileOptions options) {
    long start = System.nanoTime();
    boolean callsJava = options.lazy();
    for (Callee c : module.imports()) {
      callsJava |= c instanceof JavaFunction;
    }
    // the helper that calls Java, in the convention of the code that calls it
    long upcallAddress = callsJava ? HostFunction.UPCALL.address(options.convention()) : 0;
    int instructions = 0;
    for (Function f : module.functions()) {
      for (Block b : f.blocks()) {
        instructions += b.instructions().size();
      }
    }
    Map<String, Long> passNanos = new LinkedHashMap<>();
    Module optimized = module;
    List<Pass> perFunction = List.of();
    if (options.optimize()) {
      // verifying a pass's output needs every function to have run it
      int split = options.verifyPasses() ? IR_PASSES.size() : FIRST_LOCAL_PASS;
      optimized = inPlace ? module : module.copy();
      runPasses(optimized, IR_PASSES.subList(0, split), options, passNanos, null);
      perFunction = IR_PASSES.subList(split, IR_PASSES.size());
    }
    // pinnedMemory picks a memory whenever the module has one
    FunctionCompilation tasks = new FunctionCompilation(optimized.functions(), perFunction,
        !optimized.memories().isEmpty(), options.optimize() && !options.verifyPasses(),
        options.optimize());
    return new Prepared(optimized, tasks, perFunction, upcallAddress, instructions, passNanos,
        start);
  }

  /**
   * Runs every pass over a verified module, or over a copy of it unless {@code inPlace} (its
   * caller hands it over), sharing the functions' tasks with {@link CompilerThreads} if it has
   * {@code parallelFrom} instructions or more.
   */
  static Result run(Module module, boolean inPlace, CompileOptions options, int parallelFrom) {
    Prepared p = prepare(module, inPlace, options);
    FunctionCompilation tasks = p.tasks();
    Module optimized = p.module();
    int helpers = helpers(options, p.instructions(), optimized.functions().size(), parallelFrom);
    tasks.compileAll(helpers > 0 ? CompilerThreads.pool() : null, helpers);
    List<MachineFunction> lowered = tasks.lowered();
    int spilled = 0;
    for (Allocation a : tasks.allocations()) {
      spilled += a.spillSlots();
    }
    int pinned = ModuleEmitter.pinnedMemory(optimized.memories().size(), lowered);
    long t0 = System.nanoTime();
    ModuleEmitter.Emitted emitted = ModuleEmitter.emit(optimized, lowered, tasks.allocations(),
        options.convention(), p.upcallAddress(), options.listing(), pinned,
        Thresholds.OUT_OF_LINE_EDGE_MIN_MOVES);
    long end = System.nanoTime();
    return new Result(emitted, p.instructions(), spilled, p.allPassNanos(), p.lowerNanos(),
        p.allocateNanos(), end - t0, end - p.start());
  }
}
