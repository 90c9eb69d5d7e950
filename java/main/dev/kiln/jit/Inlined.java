package dev.kiln.jit;

import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.vm.Limits;

/**
 * A program with the JIT's inlining done ({@link Inliner}): the functions that inline a call have
 * a rewritten copy of their code after the original code, and these are what the code generator
 * compiles. Also, per instruction of the copies, what the generator must know beyond the
 * bytecode: the boundaries of inlined calls, and where each instruction came from (for listings).
 */
final class Inlined {
  /**
   * Marks the start ({@code enter}) or the end of an inlined call's body, at a {@code CONST_I} of
   * a slot of its own that nothing reads, so the instruction itself compiles to nothing (a folded
   * constant). On entry the code generator checks the call-depth limit as the call would, at the
   * call's {@code position}; a {@code counted} body (it makes real calls, which read the
   * remaining depth) also takes the callee's levels ({@link Inlined#frameLevels}) from the
   * remaining depth on entry and gives them back at the end. An uncounted body only tests that its
   * frame is allowed, like a call to a leaf; {@code uncountedLevels} is what the uncounted inlined
   * bodies that enclose it take (levels the remaining depth does not show).
   *
   * <p>An accumulating loop ({@link AccumulatorRecursion}, {@code loop}) has boundaries too: each
   * iteration enters, counted, as its call would have; and instead of the ends, each return gives
   * back the levels its iterations took, counted in a slot: this boundary is at a {@code MOV g,
   * levels} (g unread), which compiles to nothing else.
   */
  record Boundary(boolean enter, int callee, int position, boolean counted, int uncountedLevels,
      boolean loop) {
    Boundary(boolean enter, int callee, int position, boolean counted, int uncountedLevels) {
      this(enter, callee, position, counted, uncountedLevels, false);
    }

    /** An accumulating loop's iteration: the call of {@code callee} (itself) at {@code position}. */
    static Boundary loopIteration(int callee, int position) {
      return new Boundary(true, callee, position, true, 0, true);
    }

    /** Where an accumulating loop of {@code callee} returns, giving back its iterations' levels. */
    static Boundary loopLevels(int callee) {
      return new Boundary(false, callee, 0, true, 0, true);
    }
  }

  private final Program program;
  private final CallGraph calls;
  private final int appendedFrom;
  private final int[] origin;
  private final int[] owner;
  private final Boundary[] boundaries;
  private final int[] frameLevels;

  /**
   * @param calls the call graph of {@code program}
   * @param appendedFrom where the rewritten copies start in {@code program}'s code
   * @param origin per offset of the copies (from {@code appendedFrom}): the original offset
   * @param owner per offset of the copies: the function whose code the instruction is
   * @param frameLevels each function's {@link Limits#frameLevels} in the program before inlining
   */
  Inlined(Program program, CallGraph calls, int appendedFrom, int[] origin, int[] owner,
      Boundary[] boundaries, int[] frameLevels) {
    this.program = program;
    this.frameLevels = frameLevels;
    this.calls = calls;
    this.appendedFrom = appendedFrom;
    this.origin = origin;
    this.owner = owner;
    this.boundaries = boundaries;
  }

  /** {@code program} with nothing inlined: every call compiles to a call. */
  static Inlined none(Program program) {
    return new Inlined(program, CallGraph.of(program), program.code().length, new int[0], new int[0],
        new Boundary[0], frameLevels(program));
  }

  /** Each function's {@link Limits#frameLevels}, of {@code original}'s frames (not inlined). */
  static int[] frameLevels(Program original) {
    int[] levels = new int[original.functions().size()];
    for (int f = 0; f < levels.length; f++) {
      levels[f] = Limits.frameLevels(original.function(f).frameSize());
    }
    return levels;
  }

  /**
   * The levels of the depth limit a frame of function {@code f} takes: those of its frame in the
   * bytecode before inlining, as the interpreter counts them, whatever inlining added to it.
   */
  int frameLevels(int f) {
    return frameLevels[f];
  }

  /** The program to compile: the original, or with rewritten copies of some functions. */
  Program program() {
    return program;
  }

  /** The call graph of {@link #program}. */
  CallGraph calls() {
    return calls;
  }

  /** The inlined call's boundary that the instruction at {@code pc} marks, or null. */
  Boundary boundary(int pc) {
    return pc < appendedFrom ? null : boundaries[pc - appendedFrom];
  }

  /**
   * The offset in the original bytecode of the instruction at {@code pc} of function {@code f}, or
   * -1 if it is inlined code (of another function, or a boundary).
   */
  int originalOffset(int pc, int f) {
    if (pc < appendedFrom) {
      return pc;
    }
    int k = pc - appendedFrom;
    return owner[k] == f && boundaries[k] == null ? origin[k] : -1;
  }

  /**
   * The listing comment of the instruction at {@code pc} of function {@code f}: its offset in the
   * original bytecode ({@code --dump=bytecode}) and its name, and for inlined code the callee.
   */
  String describe(int pc, int f) {
    if (pc < appendedFrom) {
      return String.format("%04d %s", pc, Op.name(program.code()[pc]));
    }
    int k = pc - appendedFrom;
    Boundary b = boundaries[k];
    if (b != null) {
      String callee = program.function(b.callee()).name();
      if (b.loop()) {
        return String.format(b.enter() ? "%04d CALL %s (loop iteration)" : "%04d RET (%s: loop levels back)",
            origin[k], callee);
      }
      return String.format("%04d CALL %s %s", origin[k], callee, b.enter() ? "inlined:" : "inlined: end");
    }
    String inlined = owner[k] == f ? "" : " (inlined " + program.function(owner[k]).name() + ")";
    return String.format("%04d %s%s", origin[k], Op.name(program.code()[pc]), inlined);
  }
}
