package dev.kiln.interp;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;

/**
 * The interpreter's superinstructions: common pairs of adjacent instructions run as one. Each
 * dispatch costs the loop's back edge, HotSpot's safepoint poll, the opcode's load and bounds check
 * and the switch, about as much as a simple instruction's own work; a fused pair pays it once.
 *
 * <p>The interpreter runs a private copy of the code in which the first instruction of each such
 * pair has a fused opcode of its own (numbered past {@link Op#COUNT}); the operands of both stay
 * in place. The fused instruction does the first instruction's work from its operands, then the
 * second's from the second's operands, exactly as the two would one after the other (error
 * positions, time-limit polls and all), and goes on after the second. A branch to the second
 * instruction runs it alone (or as the head of its own pair), so fusing needs no knowledge of
 * branch targets. In the dispatch loop a fused case falls through into its second instruction's
 * case, so each instruction ends at most one pair. The bytecode itself, what the JIT and
 * {@code --dump=bytecode} see, is unchanged.
 *
 * <p>The pairs are idioms any program has: float products feeding a product, sum or difference
 * ({@code x*x + y*y}); an accumulation ending a {@code for} body ({@code s += e}); a step followed
 * by the test of a bottom-tested {@code while} ({@code i += 1; while i < n}); an array element
 * tested against a constant ({@code if a[i] == 0}); and the last argument computed just before a
 * call ({@code f(n - 1)}).
 */
final class Superinstructions {
  // The fused opcodes: constants (they are switch labels) past every opcode of Op.
  static final int MUL_F_MUL_F = 100, MUL_F_ADD_F = 101, MUL_F_SUB_F = 102, ADD_I_FOR_I = 103,
      ADD_I_IMM_J_LT_I = 104, ADD_I_IMM_J_GE_I = 105, ADD_I_IMM_CALL = 106;

  /** {first opcode, second opcode, fused opcode}. */
  private static final int[][] PAIRS = {
    {Op.MUL_F, Op.MUL_F, MUL_F_MUL_F},
    {Op.MUL_F, Op.ADD_F, MUL_F_ADD_F},
    {Op.MUL_F, Op.SUB_F, MUL_F_SUB_F},
    {Op.ADD_I, Op.FOR_I, ADD_I_FOR_I},
    {Op.ADD_I_IMM, Op.J_LT_I, ADD_I_IMM_J_LT_I},
    {Op.ADD_I_IMM, Op.J_GE_I, ADD_I_IMM_J_GE_I},
    {Op.ADD_I_IMM, Op.CALL, ADD_I_IMM_CALL},
  };

  private Superinstructions() {}

  /** A copy of {@code program}'s code with the first instruction of each pair fused. */
  static int[] fuse(Program program) {
    int[] original = program.code();
    int[] code = original.clone();
    for (FunctionInfo fn : program.functions()) {
      for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(original[pc])) {
        int next = pc + Op.length(original[pc]);
        if (next < fn.end()) {
          code[pc] = fused(original[pc], original[next]);
        }
      }
    }
    return code;
  }

  /** The fused opcode of the pair {@code first, second}, or {@code first} if there is none. */
  private static int fused(int first, int second) {
    for (int[] pair : PAIRS) {
      if (pair[0] == first && pair[1] == second) {
        return pair[2];
      }
    }
    return first;
  }
}
