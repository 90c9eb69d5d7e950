package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;

/**
 * Conditional branches over a jump ({@code if c { break; }} compiles to "if !c goto L; goto M;
 * L:"), which the code generator emits inverted: "if c goto M", falling through to L, with no
 * jump at all. Every conditional branch has an exact complement (for floats too: "not less"
 * holds on NaN exactly when "less" does not), so the inversion keeps the semantics; the path
 * that went through the branch and the jump takes one taken branch instead of two, the other
 * path one instead of one taken.
 */
final class BranchInversions {
  private BranchInversions() {}

  /**
   * Per instruction ({@code pc - entry}) of {@code fn}: whether it is a conditional branch to
   * emit inverted to the target of the jump after it, which is then left out. That jump must be
   * no jump target itself, nor replaced by a copy ({@code tailCopies}, see {@link TailCopies}).
   */
  static boolean[] find(Program program, FunctionInfo fn, boolean[] jumpTargets, int[] tailCopies) {
    int[] code = program.code();
    int entry = fn.entry();
    boolean[] inverted = new boolean[fn.end() - entry];
    for (int pc = entry; pc < fn.end(); pc += Op.length(code[pc])) {
      int next = pc + Op.length(code[pc]);
      inverted[pc - entry] = isConditional(code[pc]) && next < fn.end() && code[next] == Op.JMP
          && !jumpTargets[next - entry] && tailCopies[next - entry] == 0
          && Op.target(code, pc) == next + Op.length(Op.JMP);
    }
    return inverted;
  }

  static boolean isConditional(int op) {
    return Op.isBranch(op) && op != Op.JMP;
  }
}
