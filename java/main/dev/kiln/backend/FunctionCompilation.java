package dev.kiln.backend;

import dev.kiln.backend.lower.AddressRebasing;
import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.opt.BlockLayout;
import dev.kiln.backend.opt.BoundedLoops;
import dev.kiln.backend.opt.Pass;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.LinearScan;
import dev.kiln.ir.Function;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The work on each function that reads no other function: the function-local IR passes, block
 * layout, instruction selection and register allocation, done on the calling thread alone or
 * shared with {@link CompilerThreads}. Each function is compiled by one thread, which touches
 * nothing of the others; the results and a failure are the same whichever thread compiled which
 * function.
 */
final class FunctionCompilation implements CompilerThreads.Work {
  private final List<Function> functions;
  private final List<Pass> passes;
  private final boolean basePinned;
  private final boolean recheckInBounds;
  private final boolean rebaseAddresses;
  private final MachineFunction[] lowered;
  private final Allocation[] allocations;
  /** By function: what it threw (or null) and at which stage ({@link #nanos(int)}'s numbering). */
  private final Throwable[] failures;
  private final int[] failedStages;
  /** By function and stage: nanoseconds in each pass, then in lowering, then in allocation. */
  private final long[] nanos;
  private final int stages;

  /**
   * @param functions the functions, whose module the passes before {@code passes} have run over
   * @param passes the passes still to run on each function, which read no other function
   * @param basePinned whether a memory's base stays in a register (the module has a memory)
   * @param recheckInBounds whether passes ran unverified, so that each function's {@code inbounds}
   *     marks the IR no longer proves are cleared before lowering
   * @param rebaseAddresses whether the functions are the compile's own (a copy optimized, or
   *     handed over), so that selection may move their accesses ({@link AddressRebasing})
   */
  FunctionCompilation(List<Function> functions, List<Pass> passes, boolean basePinned,
      boolean recheckInBounds, boolean rebaseAddresses) {
    this.functions = functions;
    this.passes = passes;
    this.basePinned = basePinned;
    this.recheckInBounds = recheckInBounds;
    this.rebaseAddresses = rebaseAddresses;
    int n = functions.size();
    lowered = new MachineFunction[n];
    allocations = new Allocation[n];
    failures = new Throwable[n];
    failedStages = new int[n];
    stages = passes.size() + 2;
    nanos = new long[n * stages];
  }

  /**
   * Compiles every function, with {@code helpers} threads of {@code pool} taking functions as the
   * calling thread does, and returns when all are done.
   *
   * @throws RuntimeException (or Error) the one a sequential compile would have thrown first: the
   *     failure at the earliest stage, of the first function among those failing there
   */
  void compileAll(Executor pool, int helpers) {
    CompilerThreads.forEach(pool, helpers, functions.size(), this);
    int first = -1;
    for (int i = 0; i < failures.length; i++) {
      if (failures[i] != null && (first < 0 || failedStages[i] < failedStages[first])) {
        first = i;
      }
    }
    if (first >= 0) {
      CompilerThreads.rethrow(failures[first]);
    }
  }

  /** One function after selection, with its register allocation. */
  record Compiled(MachineFunction function, Allocation allocation) {}

  /**
   * Compiles function {@code i} on the calling thread alone and hands over the result, which this
   * then drops.
   *
   * @throws RuntimeException (or Error) what compiling it threw
   */
  Compiled compileOne(int i) {
    run(i);
    if (failures[i] != null) {
      Throwable failure = failures[i];
      failures[i] = null;
      CompilerThreads.rethrow(failure);
    }
    Compiled c = new Compiled(lowered[i], allocations[i]);
    lowered[i] = null;
    allocations[i] = null;
    return c;
  }

  /** {@return the machine functions, in module order} */
  List<MachineFunction> lowered() {
    return Arrays.asList(lowered);
  }

  /** {@return the register allocations, in module order} */
  List<Allocation> allocations() {
    return Arrays.asList(allocations);
  }

  /**
   * {@return the nanoseconds all functions spent in stage {@code k}, summed over the threads: in
   * a pass (its index), in layout and lowering ({@code passes.size()}) or in allocation (one more)}
   */
  long nanos(int k) {
    long sum = 0;
    for (int i = k; i < nanos.length; i += stages) {
      sum += nanos[i];
    }
    return sum;
  }

  /** Compiles function {@code i}, keeping what it throws and where. */
  @Override
  public void run(int i) {
    Function f = functions.get(i);
    int base = i * stages;
    int stage = 0;
    try {
      for (; stage < passes.size(); stage++) {
        long t0 = System.nanoTime();
        passes.get(stage).run(f);
        nanos[base + stage] = System.nanoTime() - t0;
      }
      if (recheckInBounds) {
        f.clearUnprovenInBounds();
      }
      long t0 = System.nanoTime();
      if (rebaseAddresses) {
        AddressRebasing.run(f);
      }
      BlockLayout layout = BlockLayout.of(f);
      MachineFunction mf = Lowering.lower(f, layout.order(), layout.loopTops(),
          BoundedLoops.headers(f), Thresholds.LOOP_ALIGNMENT_MAX_PADDING);
      long t1 = System.nanoTime();
      nanos[base + stage] = t1 - t0;
      stage++;
      allocations[i] = LinearScan.allocate(mf, basePinned, Thresholds.REGISTER_HINTS_LOOKED_AT);
      nanos[base + stage] = System.nanoTime() - t1;
      lowered[i] = mf;
    } catch (Throwable t) {
      failures[i] = t;
      failedStages[i] = stage;
    }
  }
}
