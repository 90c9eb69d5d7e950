package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Inlines calls of small leaf functions: callees that return and call no function of the module
 * directly (Java and C imports and {@code call_indirect} stay calls), so that inlining never
 * recurses, of at most {@link Thresholds#INLINE_BUDGET} instructions, or {@link
 * Thresholds#INLINE_LOOP_BUDGET} at a call in a loop, while the caller stays within {@link
 * Thresholds#INLINE_CALLER_LIMIT}. Then a small directly recursive function of at most {@link
 * Thresholds#INLINE_SELF_BUDGET} instructions is inlined into itself {@link
 * Thresholds#INLINE_SELF_LEVELS} levels deep (the last level's calls of itself stay calls), unless
 * {@link TailRecursion} makes it a loop: a doubly recursive {@code f(n - 1) + f(n - 2)} then does
 * the work of seven calls per real call made. {@link Function#inlineCall} keeps each call's depth
 * check and the callee's trap identities, so a stack overflow traps at the same call as before.
 */
public final class Inlining implements Pass {
  @Override
  public String name() {
    return "inlining";
  }

  @Override
  public boolean readsOtherFunctions() {
    return true;
  }

  @Override
  public void run(Function f) {
    int size = size(f);
    if (size > Thresholds.INLINE_CALLER_LIMIT || !f.mayContain(Opcode.CALL)
        || !callsAFunction(f)) {
      return;
    }
    LoopNest loops = LoopNest.of(f);
    Map<Function, Integer> leafSizes = new HashMap<>();
    // one size function per budget, not one per block
    ToIntFunction<Function> inLoop = new Leaves(f, leafSizes, Thresholds.INLINE_LOOP_BUDGET);
    ToIntFunction<Function> outside = new Leaves(f, leafSizes, Thresholds.INLINE_BUDGET);
    for (Block b : new ArrayList<>(f.blocks())) {
      size = inlineCalls(f, null, b, size, loops.innermost(b.id()) >= 0 ? inLoop : outside);
    }
    inlineItself(f, size);
  }

  /**
   * The instructions inlining a callee into {@code f} adds: its size if it is a leaf function
   * within the budget, else -1. This and {@link Itself} are classes, not lambdas: linking one
   * costs a cold JVM the lambda machinery's start-up.
   */
  private static final class Leaves implements ToIntFunction<Function> {
    private final Function f;
    /** The callees' {@link #leafSize}s, each computed once per caller. */
    private final Map<Function, Integer> leafSizes;
    private final int budget;

    Leaves(Function f, Map<Function, Integer> leafSizes, int budget) {
      this.f = f;
      this.leafSizes = leafSizes;
      this.budget = budget;
    }

    @Override
    public int applyAsInt(Function callee) {
      if (callee == f) {
        return -1;
      }
      Integer added = leafSizes.get(callee);
      if (added == null) {
        added = leafSize(callee);
        leafSizes.put(callee, added);
      }
      return added <= budget ? added : -1;
    }
  }

  /** The size of {@code f}'s body for its calls of itself, -1 for any other callee. */
  private static final class Itself implements ToIntFunction<Function> {
    private final Function f;
    private final int bodySize;

    Itself(Function f, int bodySize) {
      this.f = f;
      this.bodySize = bodySize;
    }

    @Override
    public int applyAsInt(Function callee) {
      return callee == f ? bodySize : -1;
    }
  }

  /**
   * Inlines {@code f}'s calls of itself, level by level, each copying its body as it was before
   * the first; each level inlines only the calls the previous one left.
   */
  private static void inlineItself(Function f, int size) {
    if (size > Thresholds.INLINE_SELF_BUDGET || !returns(f) || TailRecursion.loopsEverySelfCall(f)) {
      return;
    }
    Function body = f.bodyCopy();
    ToIntFunction<Function> itself = new Itself(f, size(body));
    for (int level = 0; level < Thresholds.INLINE_SELF_LEVELS; level++) {
      for (Block b : new ArrayList<>(f.blocks())) {
        size = inlineCalls(f, body, b, size, itself);
      }
    }
  }

  /**
   * Inlines the calls in {@code b} (and in the blocks that inlining splits off it) of the
   * functions to which {@code added} gives a size (not -1), while {@code f} stays within
   * {@link Thresholds#INLINE_CALLER_LIMIT}; {@code body} is the copy of {@code f} its calls of
   * itself inline.
   *
   * @return {@code f}'s size after
   */
  private static int inlineCalls(Function f, Function body, Block b, int size,
      ToIntFunction<Function> added) {
    Block rest = b;
    for (int i = 0; i < rest.instructions().size(); i++) {
      Instruction inst = rest.instructions().get(i);
      if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function callee) {
        int n = added.applyAsInt(callee);
        if (n >= 0 && size + n <= Thresholds.INLINE_CALLER_LIMIT) {
          size += n;
          rest = f.inlineCall(rest, i, callee == f ? body : callee);
          i = -1; // the instructions after the call now start the new block
        }
      }
    }
    return size;
  }

  /**
   * The instructions of a leaf function, or -1 if it calls a function of the module or never
   * returns (the code after its calls would be unreachable; its traps are no hot path).
   */
  private static int leafSize(Function f) {
    return callsAFunction(f) || !returns(f) ? -1 : size(f);
  }

  private static boolean returns(Function f) {
    for (Block b : f.blocks()) {
      if (b.terminator().opcode() == Opcode.RETURN) {
        return true;
      }
    }
    return false;
  }

  private static int size(Function f) {
    int n = 0;
    for (Block b : f.blocks()) {
      n += b.instructions().size();
    }
    return n;
  }

  private static boolean callsAFunction(Function f) {
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function) {
          return true;
        }
      }
    }
    return false;
  }
}
