package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.Arrays;

/**
 * The divisions by 2^k whose dividend is known to be a multiple of 2^k because a test of its low
 * bits decided the path there, as in {@code if n % 2 == 0 { n = n / 2; }}. Such a quotient is
 * exactly {@code x >> k} (arithmetic shift), for negative x too, so the bias that makes a shift
 * round toward zero (see {@code DivisionEmitter.divideImmediate}) is zero and can be left out:
 * one {@code sar} instead of five instructions.
 *
 * <p>A fact "the bits m of slot x are zero" starts where a {@code J_EQ_I_IMM t, 0} or {@code
 * J_NE_I_IMM t, 0} decided that t is zero, t having just been computed as {@code x % 2^j} (m =
 * 2^j - 1: the remainder is zero exactly when those bits are, whatever x's sign) or {@code x & m}.
 * It holds on the side where t is zero: the fall-through of a J_NE, or the target of a J_EQ when
 * that branch is the only way in. It lasts through straight-line code until x is written, or a
 * join or a return ends it; a loop's head is no join if its back edge is the only way in. Two
 * linear passes; joins are not merged.
 */
final class ExactDivisions {
  private final int[] code;
  private final int entry;
  private final int end;
  /** How many ways lead into each instruction: branches to it and the fall-through into it. */
  private final int[] ways;
  /** The fact a branch's only way into its target carries there: slot (-1 none) and mask. */
  private final int[] pendingSlot;
  private final long[] pendingMask;
  /** The fact at the current instruction: the slot (-1 none) whose {@code mask} bits are zero. */
  private int slot = -1;
  private long mask;
  /** What {@link #testsBits} found. */
  private int testedSlot;
  private long testedMask;

  private ExactDivisions(Program program, FunctionInfo fn) {
    this.code = program.code();
    this.entry = fn.entry();
    this.end = fn.end();
    this.ways = new int[end - entry + 1];
    this.pendingSlot = new int[end - entry + 1];
    Arrays.fill(pendingSlot, -1);
    this.pendingMask = new long[end - entry + 1];
  }

  /** Per instruction ({@code pc - entry}): whether it is a {@code DIV_I_IMM} by 2^k of a multiple of 2^k. */
  static boolean[] find(Program program, FunctionInfo fn) {
    return new ExactDivisions(program, fn).scan();
  }

  private boolean[] scan() {
    ways[0] = 1;
    boolean candidates = false;
    for (int pc = entry; pc < end; pc += Op.length(code[pc])) {
      int op = code[pc];
      if (Op.isBranch(op)) {
        ways[Op.target(code, pc) - entry]++;
      }
      if (Op.fallsThrough(op)) {
        ways[pc + Op.length(op) - entry]++;
      }
      candidates |= op == Op.DIV_I_IMM && isPowerOfTwo(code[pc + 3]);
    }
    boolean[] exact = new boolean[end - entry];
    if (!candidates) {
      return exact; // no division by 2^k: the passes below would find nothing (cheaper cold)
    }
    // The second pass knows at a loop's head what its back edge carries there (found in the
    // first, which knew nothing there: a fact found with less knowledge still holds).
    for (int pass = 0; pass < 2; pass++) {
      slot = -1;
      int previous = -1;
      for (int pc = entry; pc < end; previous = pc, pc += Op.length(code[pc])) {
        int op = code[pc];
        int at = pc - entry;
        if (ways[at] != 1) {
          slot = -1; // a join (or unreachable code): what one way knew, another may not
        } else if (previous < 0 || !Op.fallsThrough(code[previous])) {
          slot = pendingSlot[at]; // the only way in is a branch
          mask = pendingMask[at];
        }
        if (op == Op.DIV_I_IMM && code[pc + 2] == slot) {
          long divisor = code[pc + 3];
          exact[at] = isPowerOfTwo(code[pc + 3]) && ((divisor - 1) & ~mask) == 0;
        }
        step(pc, previous);
      }
    }
    return exact;
  }

  /** The fact after the instruction at {@code pc}, on its fall-through and (pending) at its target. */
  private void step(int pc, int previous) {
    int op = code[pc];
    boolean tested = testsBits(pc, previous);
    if (Op.isBranch(op)) {
      int t = Op.target(code, pc);
      if (t >= entry && t < end) {
        boolean zeroWhenTaken = op == Op.J_EQ_I_IMM && tested;
        pendingSlot[t - entry] = zeroWhenTaken ? testedSlot : slot;
        pendingMask[t - entry] = zeroWhenTaken ? testedMask : mask;
      }
      if (op == Op.J_NE_I_IMM && tested) {
        slot = testedSlot;
        mask = testedMask;
      } else if (op == Op.JMP || op == Op.FOR_I || op == Op.FOR_I_IMM) {
        slot = -1; // no fall-through, or a loop counter written
      }
    } else if (op == Op.RET || op == Op.RET_VOID || Op.resultSlot(code, pc) == slot) {
      slot = -1;
    }
  }

  /**
   * Whether the instruction at {@code pc} compares with zero a remainder by 2^j or a mask of a
   * slot x that the instruction before, its only way in, just computed; then {@link #testedSlot}
   * is x and {@link #testedMask} the bits of x that are zero where the comparison found zero.
   */
  private boolean testsBits(int pc, int previous) {
    int op = code[pc];
    if ((op != Op.J_EQ_I_IMM && op != Op.J_NE_I_IMM) || code[pc + 2] != 0 || previous < 0
        || ways[pc - entry] != 1) {
      return false;
    }
    int before = code[previous];
    if ((before != Op.REM_I_IMM && before != Op.AND_I_IMM) || code[previous + 1] != code[pc + 1]
        || code[previous + 2] == code[pc + 1]) {
      return false;
    }
    int imm = code[previous + 3];
    if (before == Op.REM_I_IMM && !isPowerOfTwo(imm)) {
      return false;
    }
    testedSlot = code[previous + 2];
    testedMask = before == Op.REM_I_IMM ? imm - 1 : imm;
    return true;
  }

  /** Whether {@code n} is 2^k for some k >= 1. */
  private static boolean isPowerOfTwo(int n) {
    return n > 1 && Integer.bitCount(n) == 1;
  }
}
