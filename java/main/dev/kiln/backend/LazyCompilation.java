package dev.kiln.backend;

import dev.kiln.backend.emit.AlignedFrames;
import dev.kiln.backend.emit.ModuleEmitter;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Module;
import dev.kiln.ir.Opcode;
import dev.kiln.runtime.CallingConvention;
import java.util.Arrays;
import java.util.List;

/**
 * A module compiled function by function, each on its first call ({@link
 * CompileOptions#lazy(boolean)}): the passes that read other functions have run over the whole
 * module ({@link Pipeline#prepare}); the rest of a function's work, its own passes, layout,
 * selection, allocation and emission, runs in {@link #compile}. What the functions' code must
 * agree on is fixed up front from the IR: the memory whose base is pinned (the most accessed in
 * the IR) and which functions align their frames ({@link AlignedFrames#ofIr}).
 *
 * <p>Each function is compiled once, by the thread that {@link #claim claims} it: the caller that
 * needs it, or a {@link CompilerThreads} helper that compiles ahead the functions that compiled
 * ones call ({@link #claimAhead}), most recently found first, so that a run's next calls are
 * often compiled already. Two functions may compile at once: a function's compile reads only
 * its own IR and what no compile changes (other functions' names, signatures, indices and
 * levels). The counters and states are guarded by this object.
 */
final class LazyCompilation {
  private static final byte WAITING = 0;
  private static final byte COMPILING = 1;
  private static final byte DONE = 2;
  private static final byte FAILED = 3;

  private final Pipeline.Prepared prepared;
  private final CompileOptions options;
  private final ModuleEmitter.Layout layout;
  private final int pinnedMemory;
  private final boolean[] aligned;
  private final long prepareNanos;
  private final byte[] states;
  private final Throwable[] failures;
  /** Functions to compile ahead, the most recently found on top; some may be claimed already. */
  private int[] ahead = new int[16];
  private int aheadCount;
  private final boolean compilesAhead;
  private boolean helperActive;
  private boolean stopped;
  private int compiled;
  private int codeBytes;
  private int spilledValues;
  private long emitNanos;
  private long compileNanos;
  private long installNanos;
  private long firstCallNanos;

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
    this.states = new byte[module.functions().size()];
    this.failures = new Throwable[states.length];
    this.compilesAhead = CompilerThreads.helpers(options.parallel(), states.length) > 0;
    this.prepareNanos = System.nanoTime() - prepared.start();
  }

  /** {@return the module's code before any function is compiled: entry stub and stand-ins} */
  ModuleEmitter.Emitted emitStandIns() {
    return ModuleEmitter.emitLazy(prepared.module(), layout, options.convention(),
        prepared.upcallAddress(), pinnedMemory);
  }

  /**
   * The most native stack any function's activation may take per level of the call-depth limit
   * its frame claims, so that a chain of frames within the limit takes at most the limit times
   * this. An activation is bounded by its return address, the registers it saves, a slot per
   * value it defines (more than its allocation can spill) and the largest outgoing area a call
   * may need (stack arguments and a shadow space).
   */
  int maxActivationBytesPerLevel() {
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
      long bytes = 8 + 8 * Registers.CALLEE_SAVED.size() + 8 * (f.valueCount() + 1L) + outgoing
          + CallingConvention.WINDOWS_X64.shadowSpace();
      int levels = Math.max(1, f.levels());
      most = (int) Math.max(most, Math.min(Integer.MAX_VALUE, (bytes + levels - 1) / levels));
    }
    return most;
  }

  /**
   * Claims function {@code i}, or while another thread compiles it, another function to compile
   * ahead meanwhile, for the calling thread; waits only when there is none.
   *
   * @return the function the caller is to compile ({@link #compile}, then {@link #installed} or
   *     {@link #failed}) before it asks again: {@code i} or one to compile ahead; -1 once {@code
   *     i} is installed
   * @throws RuntimeException (or Error) what compiling or installing {@code i} threw
   */
  synchronized int claim(int i) {
    boolean interrupted = false;
    while (states[i] == COMPILING) {
      int other = nextAhead();
      if (other >= 0) {
        return other;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // a compile is short: finish waiting, then pass the interrupt on
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (states[i] == FAILED) {
      CompilerThreads.rethrow(failures[i]);
    }
    if (states[i] == DONE) {
      return -1;
    }
    take(i);
    return i;
  }

  /**
   * Claims the next function to compile ahead of its first call, for a helper thread.
   *
   * @return its index, or -1 when there is none (the helper is to stop)
   */
  synchronized int claimAhead() {
    int i = nextAhead();
    if (i < 0) {
      helperActive = false;
    }
    return i;
  }

  /** Takes the most recently offered function still waiting, or -1. */
  private int nextAhead() {
    while (aheadCount > 0 && !stopped) {
      int i = ahead[--aheadCount];
      if (states[i] == WAITING) {
        take(i);
        return i;
      }
    }
    return -1;
  }

  /**
   * Marks function {@code i} as being compiled and offers the functions its IR calls to be
   * compiled ahead, in reverse, so that the first call in it is the first taken. (Its own passes
   * may drop some of those calls: a function compiled ahead and never called costs only time on
   * another thread.)
   */
  private void take(int i) {
    states[i] = COMPILING;
    if (!compilesAhead) {
      return;
    }
    List<Block> blocks = prepared.module().functions().get(i).blocks();
    for (int k = blocks.size() - 1; k >= 0; k--) {
      List<Instruction> code = blocks.get(k).instructions();
      for (int j = code.size() - 1; j >= 0; j--) {
        Instruction inst = code.get(j);
        if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function callee
            && states[callee.index()] == WAITING) {
          if (aheadCount == ahead.length) {
            ahead = Arrays.copyOf(ahead, 2 * aheadCount);
          }
          ahead[aheadCount++] = callee.index();
        }
      }
    }
  }

  /**
   * Whether a helper should start compiling ahead: there is work, none is at it already, and
   * helpers may compile.
   */
  synchronized boolean startsHelper() {
    if (!compilesAhead || helperActive || aheadCount == 0 || stopped) {
      return false;
    }
    helperActive = true;
    return true;
  }

  /** Compiles nothing more ahead: the module is closing. */
  synchronized void stop() {
    stopped = true;
  }

  /** Function {@code i}, claimed, is installed: {@code nanos} spent installing it. */
  synchronized void installed(int i, long nanos) {
    installNanos += nanos;
    states[i] = DONE;
    notifyAll();
  }

  /** Compiling or installing function {@code i}, claimed, threw {@code t}. */
  synchronized void failed(int i, Throwable t) {
    failures[i] = t;
    states[i] = FAILED;
    notifyAll();
  }

  /** A call spent {@code nanos} waiting for functions to compile and install. */
  synchronized void firstCall(long nanos) {
    firstCallNanos += nanos;
  }

  /**
   * Compiles function {@code i}, claimed by the calling thread.
   *
   * @return its code, to be installed
   * @throws RuntimeException (or Error) what compiling it threw
   */
  ModuleEmitter.FunctionCode compile(int i) {
    long t0 = System.nanoTime();
    FunctionCompilation.Compiled c = prepared.tasks().compileOne(i);
    long t1 = System.nanoTime();
    ModuleEmitter.FunctionCode code = ModuleEmitter.emitFunction(c.function(), c.allocation(),
        layout, options.convention(), prepared.upcallAddress(), pinnedMemory, aligned[i],
        Thresholds.OUT_OF_LINE_EDGE_MIN_MOVES);
    long t2 = System.nanoTime();
    synchronized (this) {
      compiled++;
      codeBytes += code.code().length;
      spilledValues += c.allocation().spillSlots();
      emitNanos += t2 - t1;
      compileNanos += t2 - t0;
    }
    return code;
  }

  /**
   * What compiling the module has taken and made so far: the passes over the whole module, and
   * the functions compiled since.
   *
   * @param entryBytes the size of the entry stub and stand-ins
   * @param entryInstallNanos the time installing them took
   */
  synchronized CompileStatistics statistics(int entryBytes, long entryInstallNanos) {
    return new CompileStatistics(compiled, prepared.instructions(), spilledValues,
        entryBytes + codeBytes, prepared.lowerNanos(), prepared.allocateNanos(), emitNanos,
        entryInstallNanos + installNanos, prepareNanos + compileNanos, prepared.allPassNanos(),
        firstCallNanos);
  }
}
