package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;

/**
 * Array loads whose value only feeds the compare-and-branch right after them, as in {@code while
 * a[i] < pivot} or {@code if composite[p] == 0}: the pair becomes one {@code cmp qword [element],
 * operand} and a jcc, the load folded into the compare (x86 compares a memory operand with a
 * register or an imm32 directly; Intel SDM Vol. 2A, CMP), instead of a load into rax and a
 * compare of rax. The value is one {@link HandOvers} hands from the load to the branch in rax:
 * the branch is its only reader and no jump leads in between.
 */
final class LoadCompares {
  private LoadCompares() {}

  /** Per instruction ({@code pc - entry}) of {@code fn}: whether it is such a load. */
  static boolean[] find(Program program, FunctionInfo fn, HandOvers.Result handOvers) {
    int[] code = program.code();
    boolean[] fused = new boolean[fn.end() - fn.entry()];
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int next = pc + Op.length(code[pc]);
      fused[pc - fn.entry()] = code[pc] == Op.ALOAD && next < fn.end()
          && handedToNext(handOvers.at()[pc - fn.entry()], code[pc + 1])
          && comparesFirst(code, next, code[pc + 1]);
    }
    return fused;
  }

  private static boolean handedToNext(HandOvers.HandOver[] here, int slot) {
    if (here != null) {
      for (HandOvers.HandOver h : here) {
        if (h.slot() == slot && h.register() != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the instruction at {@code pc} compares {@code slot}, as its left operand only, and branches. */
  private static boolean comparesFirst(int[] code, int pc, int slot) {
    return switch (code[pc]) {
      case Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I ->
          code[pc + 1] == slot && code[pc + 2] != slot;
      case Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM ->
          code[pc + 1] == slot;
      default -> false;
    };
  }
}
