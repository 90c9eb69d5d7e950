package dev.kiln.interp;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.Arrays;

/**
 * The interpreter's superinstructions: common sequences of two or three adjacent instructions run
 * as one. Each dispatch costs the loop's back edge, HotSpot's safepoint poll, the opcode's load
 * and bounds check and the switch, about as much as a simple instruction's own work; a fused
 * sequence pays it once.
 *
 * <p>The interpreter runs a private copy of the code in which the first instruction of each such
 * sequence has a fused opcode of its own (numbered past {@link Op#COUNT}); all operands stay in
 * place. The fused instruction does the first instruction's work from its operands, then the next
 * one's from that one's operands, and so on, exactly as they would one after the other (error
 * positions, time-limit polls and all). A branch into the middle of a sequence runs the rest
 * unfused (or as the head of a sequence of its own), so fusing needs no knowledge of branch
 * targets. In the dispatch loop a fused case does its first instruction and falls through into
 * the case of the rest, so each instruction ends at most one pair. The bytecode itself, what the
 * JIT and {@code --dump=bytecode} see, is unchanged.
 *
 * <p>The sequences are idioms any program has: float products feeding a product, sum or
 * difference, and sums or differences of two products ({@code x*x + y*y}); an accumulation ending
 * a {@code for} body ({@code s += e}); a step followed by the test of a bottom-tested
 * {@code while} ({@code i += 1; while i < n}); the last argument computed just before a call
 * ({@code f(n - 1)}); and a sum returned ({@code return a + b}). A sequence is fused only where
 * that makes the loop faster: every fused case also changes the switch HotSpot compiles and the
 * profile it orders the cases by, and sequences that look as common (an array store or an add
 * before a {@code while} test, an element load before its test) make array loops slower.
 */
final class Superinstructions {
  // The fused opcodes: constants (they are switch labels) past every opcode of Op.
  static final int MUL_F_MUL_F = 100, MUL_F_ADD_F = 101, MUL_F_SUB_F = 102, ADD_I_FOR_I = 103,
      ADD_I_IMM_J_LT_I = 104, ADD_I_IMM_J_GE_I = 105, ADD_I_IMM_CALL = 106,
      MUL_F_MUL_F_ADD_F = 107, MUL_F_MUL_F_SUB_F = 108, ADD_I_RET = 109;
  /**
   * The last word of the interpreter's code, after every function: the frame goes on in compiled
   * code from the loop header it reached, and returns from there.
   */
  static final int RESUME = 110;

  /**
   * {fused opcode, the instructions' opcodes}, longer sequences first. A triple's case falls
   * through into the case of the pair that ends it.
   */
  private static final int[][] SEQUENCES = {
    {MUL_F_MUL_F_ADD_F, Op.MUL_F, Op.MUL_F, Op.ADD_F},
    {MUL_F_MUL_F_SUB_F, Op.MUL_F, Op.MUL_F, Op.SUB_F},
    {MUL_F_MUL_F, Op.MUL_F, Op.MUL_F},
    {MUL_F_ADD_F, Op.MUL_F, Op.ADD_F},
    {MUL_F_SUB_F, Op.MUL_F, Op.SUB_F},
    {ADD_I_FOR_I, Op.ADD_I, Op.FOR_I},
    {ADD_I_IMM_J_LT_I, Op.ADD_I_IMM, Op.J_LT_I},
    {ADD_I_IMM_J_GE_I, Op.ADD_I_IMM, Op.J_GE_I},
    {ADD_I_IMM_CALL, Op.ADD_I_IMM, Op.CALL},
    {ADD_I_RET, Op.ADD_I, Op.RET},
  };

  private Superinstructions() {}

  /**
   * A copy of {@code program}'s code with the first instruction of each sequence fused, and
   * {@link #RESUME} after it.
   */
  static int[] fuse(Program program) {
    int[] original = program.code();
    int[] code = Arrays.copyOf(original, original.length + 1);
    code[original.length] = RESUME;
    for (FunctionInfo fn : program.functions()) {
      for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(original[pc])) {
        code[pc] = fused(original, pc, fn.end());
      }
    }
    return code;
  }

  /** The fused opcode of the first sequence that starts at {@code pc}, or the instruction's own. */
  private static int fused(int[] code, int pc, int end) {
    for (int[] sequence : SEQUENCES) {
      if (startsAt(sequence, code, pc, end)) {
        return sequence[0];
      }
    }
    return code[pc];
  }

  private static boolean startsAt(int[] sequence, int[] code, int pc, int end) {
    for (int k = 1; k < sequence.length; k++, pc += Op.length(code[pc])) {
      if (pc >= end || code[pc] != sequence[k]) {
        return false;
      }
    }
    return true;
  }
}
