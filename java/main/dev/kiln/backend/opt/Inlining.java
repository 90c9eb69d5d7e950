package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Inlines calls of small leaf functions: callees that return and call no function of the module
 * directly (Java and C imports and {@code call_indirect} stay calls), so that inlining never
 * recurses, of
 * at most {@link Thresholds#INLINE_BUDGET} instructions, or {@link Thresholds#INLINE_LOOP_BUDGET}
 * at a call in a loop, while the caller stays within {@link Thresholds#INLINE_CALLER_LIMIT}.
 * {@link Function#inlineCall} keeps the call's depth check and the callee's trap identities.
 */
public final class Inlining implements Pass {
  @Override
  public String name() {
    return "inlining";
  }

  @Override
  public void run(Function f) {
    int size = size(f);
    if (size > Thresholds.INLINE_CALLER_LIMIT || !callsAFunction(f)) {
      return;
    }
    LoopNest loops = new LoopNest(f, DominatorTree.of(f));
    Map<Function, Integer> leafSizes = new HashMap<>();
    for (Block b : new ArrayList<>(f.blocks())) {
      int budget = loops.innermost(b.id()) >= 0 ? Thresholds.INLINE_LOOP_BUDGET
          : Thresholds.INLINE_BUDGET;
      Block rest = b;
      for (int i = 0; i < rest.instructions().size(); i++) {
        Instruction inst = rest.instructions().get(i);
        if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function callee
            && callee != f) {
          int added = leafSizes.computeIfAbsent(callee, Inlining::leafSize);
          if (added >= 0 && added <= budget && size + added <= Thresholds.INLINE_CALLER_LIMIT) {
            size += added;
            rest = f.inlineCall(rest, i);
            i = -1; // the instructions after the call now start the new block
          }
        }
      }
    }
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
