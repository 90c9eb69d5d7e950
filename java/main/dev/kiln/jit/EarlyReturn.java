package dev.kiln.jit;

import dev.kiln.asm.Cond;
import dev.kiln.asm.Reg;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;

/**
 * A guard clause at a function's entry, {@code if p < imm { return p; }} or {@code if p == q {
 * return 0; }}, compiled by the front end as a branch over a return: the branch compares
 * parameters still in their argument registers (or one with a constant) and the return gives a
 * parameter or a constant. It runs before the prologue, so a call that returns there saves no
 * registers, builds no frame and needs no time-limit poll (it makes no call): shrink-wrapping for
 * the base case of a recursion, such as fib's {@code n < 2}.
 *
 * @param cond the branch's condition: true goes on to the prologue and the body at {@code resume}
 * @param left the compared parameter's argument register
 * @param right the other parameter's register, or null to compare with {@code imm}
 * @param result the returned parameter's register, or null to return {@code constant}
 * @param pcs the bytecode offsets of the clause's instructions
 */
record EarlyReturn(
    Cond cond, Reg left, Reg right, long imm, Reg result, long constant, int resume, int[] pcs) {

  /** The clause at the start of {@code fn}, or null. */
  static EarlyReturn find(Program program, FunctionInfo fn, Frame frame) {
    int[] code = program.code();
    int branch = fn.entry();
    if (branch >= fn.end() || BranchEmitter.intBranchCondition(code[branch]) == null) {
      return null;
    }
    int op = code[branch];
    int length = Op.length(op);
    int target = code[branch + length - 1];
    Reg left = parameter(fn, code[branch + 1]);
    Reg right = null;
    long imm = code[branch + 2];
    if (Op.shape(op).startsWith("ss")) {
      int y = code[branch + 2];
      right = parameter(fn, y);
      if (right == null && !frame.folded[y]) {
        return null;
      }
      imm = frame.folded[y] ? frame.constants[y] : 0;
    }
    int ret = branch + length;
    Reg result = null;
    long constant = 0;
    int[] pcs;
    if (ret < fn.end() && code[ret] == Op.CONST_I) {
      constant = code[ret + 2];
      int slot = code[ret + 1];
      pcs = new int[] {branch, ret, ret + Op.length(Op.CONST_I)};
      ret = pcs[2];
      if (ret >= fn.end() || code[ret] != Op.RET || code[ret + 1] != slot) {
        return null;
      }
    } else if (ret < fn.end() && code[ret] == Op.RET) {
      result = parameter(fn, code[ret + 1]);
      pcs = new int[] {branch, ret};
      if (result == null) {
        return null;
      }
    } else {
      return null;
    }
    int resume = ret + Op.length(Op.RET);
    // The return must be reached only from the branch, and the branch must skip just it.
    if (left == null || target != resume || resume >= fn.end() || jumpedTo(program, fn, pcs)) {
      return null;
    }
    return new EarlyReturn(BranchEmitter.intBranchCondition(op), left, right, imm, result,
        constant, resume, pcs);
  }

  /**
   * A parameter's general argument register at entry, or null if {@code slot} is not one there
   * (a float in an XMM argument register is not: a guard compares ints and returns from a
   * general register).
   */
  private static Reg parameter(FunctionInfo fn, int slot) {
    return slot >= 0 && slot < fn.params().size() && slot < Frame.ARGUMENT_REGISTERS.size()
            && Frame.floatArgument(fn, slot) == null
        ? Frame.ARGUMENT_REGISTERS.get(slot)
        : null;
  }

  /** Whether a jump of {@code fn} leads to one of the clause's instructions after the first. */
  private static boolean jumpedTo(Program program, FunctionInfo fn, int[] pcs) {
    int[] code = program.code();
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      if (Op.isBranch(code[pc])) {
        int t = Op.target(code, pc);
        for (int k = 1; k < pcs.length; k++) {
          if (t == pcs[k]) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
