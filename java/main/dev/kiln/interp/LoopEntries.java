package dev.kiln.interp;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.BitSet;

/**
 * Where a frame handed over to compiled code goes on: at the first back edge it takes, so at the
 * header of the loop it is in, or if it is in none, at the header of a loop it can enter. Each
 * such header costs a copy of the function's code from there, so a frame inside a loop gets only
 * that loop's: it runs its last iteration on in the interpreter, whatever follows.
 */
final class LoopEntries {
  private LoopEntries() {}

  /**
   * Adds to {@code headers} the loop headers at which a frame of function {@code f} that goes on
   * from {@code pc} resumes: the innermost loop's around {@code pc} (Kiln's loops are contiguous
   * in the bytecode, from the header to the last back edge to it), or without one those of
   * {@link #reachable}.
   */
  static void resumptions(Program program, int f, int pc, BitSet headers) {
    int[] code = program.code();
    FunctionInfo info = program.function(f);
    int innermost = -1;
    for (int at = info.entry(); at < info.end(); at += Op.length(code[at])) {
      if (Op.isBranch(code[at]) && Op.target(code, at) <= pc && pc <= at
          && Op.target(code, at) > innermost) {
        innermost = Op.target(code, at);
      }
    }
    if (innermost >= 0) {
      headers.set(innermost);
    } else {
      reachable(program, f, pc, headers);
    }
  }

  /**
   * Adds to {@code headers} the targets of the backward branches that a frame at {@code pc} of
   * function {@code f} can reach before it takes one: a walk of the forward branches and
   * fall-throughs from {@code pc}.
   */
  static void reachable(Program program, int f, int pc, BitSet headers) {
    int[] code = program.code();
    int entry = program.function(f).entry();
    int end = program.function(f).end();
    BitSet seen = new BitSet();
    int[] work = new int[end - entry + 1];
    int top = 0;
    work[top++] = pc;
    seen.set(pc - entry);
    while (top > 0) {
      int at = work[--top];
      if (at >= end) {
        continue;
      }
      int op = code[at];
      int next = at + Op.length(op);
      if (Op.isBranch(op)) {
        int target = Op.target(code, at);
        if (target <= at) {
          headers.set(target);
        } else if (!seen.get(target - entry)) {
          seen.set(target - entry);
          work[top++] = target;
        }
      }
      if (Op.fallsThrough(op) && !seen.get(next - entry)) {
        seen.set(next - entry);
        work[top++] = next;
      }
    }
  }
}
