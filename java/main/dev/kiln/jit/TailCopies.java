package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;

/**
 * The forward jumps that the code generator replaces by a copy of the few instructions they
 * lead to (tail duplication), when those end in a conditional branch: the copy runs that branch
 * and then jumps to where it falls through. The jump at the end of an if's then-block, joining
 * just before a loop's condition, and a while loop's jump to its condition at the bottom then
 * cost no taken jump of their own: each path through such a loop takes one branch per
 * iteration instead of two. At most {@link #MAX_INSTRUCTIONS} instructions are copied, none that
 * calls (a copy would repeat a call's bookkeeping), returns or jumps, so code grows by a few
 * bytes per jump.
 */
final class TailCopies {
  static final int MAX_INSTRUCTIONS = 4;

  private TailCopies() {}

  /**
   * Per instruction ({@code pc - entry}) of {@code fn}: for a jump to copy, the end of the copied
   * instructions (the offset after their branch); 0 for every other instruction.
   */
  static int[] find(Program program, FunctionInfo fn) {
    int[] code = program.code();
    int[] ends = new int[fn.end() - fn.entry()];
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      if (code[pc] == Op.JMP && code[pc + 1] > pc + Op.length(Op.JMP)) {
        ends[pc - fn.entry()] = regionEnd(code, code[pc + 1], fn.end());
      }
    }
    return ends;
  }

  /** The end of the instructions from {@code start} up to a conditional branch, or 0 if none qualifies. */
  private static int regionEnd(int[] code, int start, int fnEnd) {
    int pc = start;
    for (int k = 0; k < MAX_INSTRUCTIONS && pc < fnEnd; k++) {
      int op = code[pc];
      if (!copyable(op)) {
        return 0;
      }
      pc += Op.length(op);
      if (Op.isBranch(op)) {
        return pc;
      }
    }
    return 0;
  }

  private static boolean copyable(int op) {
    return Op.fallsThrough(op) && op != Op.CALL && !CallGraph.isUpcall(op);
  }
}
