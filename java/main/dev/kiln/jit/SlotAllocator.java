package dev.kiln.jit;

import dev.kiln.asm.Reg;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Gives a function's bytecode slots machine registers by linear scan (Poletto and Sarkar, "Linear
 * Scan Register Allocation", TOPLAS 1999) over live intervals in code order.
 *
 * <p>A slot's interval spans its first to its last occurrence; the bytecode is not SSA and loops
 * jump backwards, so an interval that overlaps a loop is widened to the whole loop (a value may
 * flow around the back edge), to a fixed point for nested loops. Slots whose intervals do not
 * overlap share a register. When the pool runs out, the slot with the least weight (uses, 8x
 * per loop level) among the live ones goes to the frame. A slot keeps one home for the whole
 * function, so control-flow joins need no moves.
 */
final class SlotAllocator {
  /**
   * Registers for slots. rax, rcx and rdx are scratch (idiv, shift counts); r13, r14 and r15 hold
   * the context block, the heap base and the remaining call depth. rbx, r12 and rbp survive
   * host calls in both C conventions; the others are saved around upcalls as the convention needs.
   */
  static final List<Reg> POOL =
      List.of(Reg.RBX, Reg.R12, Reg.RBP, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R11);

  private static final int LOOP_WEIGHT_SHIFT = 3;
  private static final int MAX_LOOP_DEPTH = 6;

  private final Program program;
  private final FunctionInfo fn;
  private final int[] code;
  private final int[] start;
  private final int[] end;
  private final long[] weight;

  private SlotAllocator(Program program, FunctionInfo fn) {
    this.program = program;
    this.fn = fn;
    this.code = program.code();
    int n = fn.frameSize();
    this.start = new int[n];
    this.end = new int[n];
    this.weight = new long[n];
    Arrays.fill(start, Integer.MAX_VALUE);
    Arrays.fill(end, Integer.MIN_VALUE);
  }

  /** The register of each slot, or null for a slot that lives in the frame. */
  static Reg[] allocate(Program program, FunctionInfo fn) {
    SlotAllocator s = new SlotAllocator(program, fn);
    s.buildIntervals();
    return s.scan();
  }

  private void buildIntervals() {
    for (int j = 0; j < fn.params().size() && j < start.length; j++) {
      occurs(j, fn.entry() - 1, 0); // parameters are defined on entry
    }
    List<int[]> loops = new ArrayList<>();
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int op = code[pc];
      if (Op.isBranch(op) && code[pc + Op.length(op) - 1] <= pc) {
        loops.add(new int[] {code[pc + Op.length(op) - 1], pc});
      }
    }
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int op = code[pc];
      int depth = 0;
      for (int[] loop : loops) {
        depth += loop[0] <= pc && pc <= loop[1] ? 1 : 0;
      }
      long w = 1L << (LOOP_WEIGHT_SHIFT * Math.min(MAX_LOOP_DEPTH, depth));
      String shape = Op.shape(op);
      for (int k = 0; k < shape.length(); k++) {
        char c = shape.charAt(k);
        if (c == 'd' || c == 's') {
          occurs(code[pc + 1 + k], pc, w);
        }
      }
      if (op == Op.CALL) {
        // The whole argument window is read by the call, not just its first slot.
        int n = program.function(code[pc + 2]).params().size();
        for (int j = 1; j < n; j++) {
          occurs(code[pc + 3] + j, pc, w);
        }
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int[] loop : loops) {
        for (int s = 0; s < start.length; s++) {
          if (start[s] <= loop[1] && end[s] >= loop[0]
              && (start[s] > loop[0] || end[s] < loop[1])) {
            start[s] = Math.min(start[s], loop[0]);
            end[s] = Math.max(end[s], loop[1]);
            changed = true;
          }
        }
      }
    }
  }

  private void occurs(int slot, int pc, long w) {
    if (slot >= 0 && slot < start.length) {
      start[slot] = Math.min(start[slot], pc);
      end[slot] = Math.max(end[slot], pc);
      weight[slot] += w;
    }
  }

  private Reg[] scan() {
    Integer[] order = new Integer[start.length];
    int count = 0;
    for (int s = 0; s < start.length; s++) {
      if (end[s] != Integer.MIN_VALUE) {
        order[count++] = s;
      }
    }
    Arrays.sort(order, 0, count, (x, y) -> Integer.compare(start[x], start[y]));
    Reg[] homes = new Reg[start.length];
    Deque<Reg> free = new ArrayDeque<>(POOL);
    List<Integer> active = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int slot = order[i];
      // Strictly before: a slot read by an instruction never shares a register with its result.
      for (int k = active.size() - 1; k >= 0; k--) {
        int other = active.get(k);
        if (end[other] < start[slot]) {
          free.push(homes[other]);
          active.remove(k);
        }
      }
      if (!free.isEmpty()) {
        homes[slot] = free.pop();
        active.add(slot);
        continue;
      }
      int lightest = slot;
      for (int other : active) {
        if (weight[other] < weight[lightest]) {
          lightest = other;
        }
      }
      if (lightest != slot) {
        homes[slot] = homes[lightest];
        homes[lightest] = null;
        active.remove(Integer.valueOf(lightest));
        active.add(slot);
      }
    }
    return homes;
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
