package dev.kiln.jit;

import dev.kiln.asm.Reg;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gives a function's bytecode slots machine registers: a priority allocator over the whole
 * function. Each slot's weight is its number of uses, each use counting 8x per enclosing loop
 * (loops are found from the back edges), and the heaviest slots get the registers of {@link
 * #POOL}; the rest live in the frame. A slot keeps its home for the whole function, so control
 * flow joins need no moves — the right trade for a one-pass JIT whose functions are small.
 */
final class SlotAllocator {
  /**
   * Registers for slots. rax, rcx and rdx are scratch (idiv, shift counts); r13, r14 and r15 hold
   * the context block, the heap base and the remaining call depth. rbx, rbp and r12 survive
   * host calls in both C conventions; the others are saved around upcalls as the convention needs.
   */
  static final List<Reg> POOL =
      List.of(Reg.RBX, Reg.R12, Reg.RBP, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R11);

  private static final int LOOP_WEIGHT_SHIFT = 3;
  private static final int MAX_LOOP_DEPTH = 6;

  private SlotAllocator() {}

  /** The register of each slot, or null for a slot that lives in the frame. */
  static Reg[] allocate(Program program, FunctionInfo fn) {
    int[] code = program.code();
    long[] weight = new long[fn.frameSize()];
    int[] depth = loopDepths(code, fn);
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int op = code[pc];
      String shape = Op.shape(op);
      long w = 1L << (LOOP_WEIGHT_SHIFT * Math.min(MAX_LOOP_DEPTH, depth[pc - fn.entry()]));
      for (int k = 0; k < shape.length(); k++) {
        char c = shape.charAt(k);
        int slot = code[pc + 1 + k];
        if ((c == 'd' || c == 's') && slot >= 0 && slot < weight.length) {
          weight[slot] += w;
        }
      }
    }
    Integer[] order = new Integer[weight.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(weight[y], weight[x]));
    Reg[] homes = new Reg[weight.length];
    for (int i = 0; i < order.length && i < POOL.size(); i++) {
      if (weight[order[i]] > 0) {
        homes[order[i]] = POOL.get(i);
      }
    }
    return homes;
  }

  /** Loop nesting depth at each code offset of {@code fn} (relative to its entry). */
  private static int[] loopDepths(int[] code, FunctionInfo fn) {
    int[] delta = new int[fn.end() - fn.entry() + 1];
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int op = code[pc];
      if (Op.isBranch(op)) {
        int target = code[pc + Op.length(op) - 1];
        if (target <= pc) {
          delta[target - fn.entry()]++;
          delta[pc - fn.entry() + 1]--;
        }
      }
    }
    int[] depth = new int[delta.length];
    int d = 0;
    for (int i = 0; i < depth.length; i++) {
      d += delta[i];
      depth[i] = d;
    }
    return depth;
  }

  /** The distinct registers in {@code homes}, in pool order. */
  static List<Reg> used(Reg[] homes) {
    List<Reg> used = new ArrayList<>();
    for (Reg r : POOL) {
      if (Arrays.asList(homes).contains(r)) {
        used.add(r);
      }
    }
    return used;
  }
}
