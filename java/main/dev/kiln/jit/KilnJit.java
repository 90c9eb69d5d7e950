package dev.kiln.jit;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompileStatistics;
import dev.kiln.bytecode.Program;
import dev.kiln.interp.Interpreter;
import dev.kiln.interp.TierUp;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import dev.kiln.runtime.ExecutableMemoryDeniedException;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import dev.kiln.vm.RuntimeErrorKind;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * Runs a Kiln program on the back end, in two tiers: the {@link Interpreter} starts it, and once
 * it has run a while {@link KilnLowering} turns its bytecode into IR (with a resumption at each
 * loop header where an interpreted frame can go on) and the back end compiles it; the
 * interpreter then hands every call and, at its next loop header, each of its frames over to the
 * {@link CompiledProgram}. The IR's traps become the {@link KilnRuntimeError}s the interpreter
 * raises, with the same positions.
 */
public final class KilnJit {
  private KilnJit() {}

  /**
   * What a run took.
   *
   * @param lowerNanos lowering the bytecode to IR (0 if the program ended before it was compiled)
   * @param compile the back end's statistics (its phases, install time and code size), or null
   *     if the program ended before it was compiled
   * @param runNanos running the program, interpreted and compiled, less lowering and compiling
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
   * Below this many bytecode words a program is compiled before it runs. Compiling it takes tens
   * of milliseconds, which interpreting it first would seldom save, and code that takes over a
   * running frame compiles its loop with less known (most of its locals' values are parameters),
   * which costs small programs' hot loops more.
   */
  public static final int LARGE_PROGRAM_WORDS = 10_000;

  /**
   * The calls and back edges a program runs in the interpreter before it is compiled: none for
   * a program below {@link #LARGE_PROGRAM_WORDS}, else as many as its bytecode has words.
   * Compiling takes several times longer per word than the cold interpreter takes per call or
   * back edge, so a large program that ends sooner (code that mostly runs once) is never
   * compiled, and one that runs on pays a fraction of its compile time more.
   */
  public static long tierUpAfter(Program program) {
    return program.code().length < LARGE_PROGRAM_WORDS ? 0 : program.code().length;
  }

  /**
   * Runs {@code main} in compiled code, in the interpreter first for {@code after} calls and back
   * edges (0: compiled before it runs; users' default is {@link #tierUpAfter}); its arrays are
   * {@code heap}'s, which must be native ({@link Heap#isNative()}).
   *
   * @param refused told why, when the OS refuses executable memory: the interpreter goes on
   * @throws KilnRuntimeError for a runtime error of the program
   */
  public static Stats run(Program program, CompileOptions options, Heap heap, Output out,
      Deadline deadline, Consumer<String> refused, long after) {
    long start = System.nanoTime();
    Compilation compilation =
        new Compilation(program, options, heap, out, deadline, refused, after);
    try {
      if (after > 0) {
        new Interpreter(program, heap, out, deadline, compilation).run();
      } else if (compilation.compileWhole() != null) {
        compilation.compiled.call(program.mainIndex(), new long[0], Limits.MAX_CALL_DEPTH);
      } else {
        new Interpreter(program, heap, out, deadline).run();
      }
    } finally {
      compilation.close();
    }
    CompileStatistics compile = compilation.compiled == null ? null
        : compilation.compiled.statistics();
    return new Stats(compilation.lowerNanos, compile,
        System.nanoTime() - start - compilation.spentNanos);
  }

  /** The interpreter's compiler: lowers and compiles the program when the interpreter asks. */
  private static final class Compilation implements TierUp {
    private final Program program;
    private final CompileOptions options;
    private final Heap heap;
    private final Output out;
    private final Deadline deadline;
    private final Consumer<String> refused;
    private final long after;
    private long lowerNanos;
    /** Lowering, compiling and binding the glue: what is not the run. */
    private long spentNanos;
    private CompiledProgram compiled;

    Compilation(Program program, CompileOptions options, Heap heap, Output out, Deadline deadline,
        Consumer<String> refused, long after) {
      this.program = program;
      this.options = options;
      this.heap = heap;
      this.out = out;
      this.deadline = deadline;
      this.refused = refused;
      this.after = after;
    }

    @Override
    public long after() {
      return after;
    }

    @Override
    public Compiled compile(BitSet[] resumptions) {
      long start = System.nanoTime();
      return compile(KilnLowering.lowerForHandOver(program, heap.bytes().capacity(),
          options.parallel(), resumptions), start);
    }

    /** The program compiled before it runs, main included; null if refused. */
    CompiledProgram compileWhole() {
      long start = System.nanoTime();
      return compile(KilnLowering.lower(program, heap.bytes().capacity(), options.parallel()),
          start);
    }

    private CompiledProgram compile(Module module, long start) {
      lowerNanos = System.nanoTime() - start;
      try {
        compiled = new CompiledProgram(program, module, options, heap, out, deadline);
      } catch (ExecutableMemoryDeniedException e) {
        refused.accept(e.getMessage());
        return null;
      } finally {
        spentNanos = System.nanoTime() - start;
      }
      return compiled;
    }

    void close() {
      if (compiled != null) {
        compiled.close();
      }
    }
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
