package dev.kiln.jit;

import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Gives a function's bytecode slots machine registers by linear scan (Poletto and Sarkar, "Linear
 * Scan Register Allocation", TOPLAS 1999) over live intervals in code order.
 *
 * <p>A slot's interval spans its first to its last occurrence; the bytecode is not SSA and loops
 * jump backwards, so an interval that overlaps a loop is widened to the whole loop (a value may
 * flow around the back edge), to a fixed point for nested loops, unless the slot lives within
 * each iteration (see {@link #exposedReads}). An instruction that computes in place may give its
 * result the register of its first operand when that operand dies there ({@link #inPlace}). Slots whose intervals do not
 * overlap share a register. When the pool runs out, the slot with the least weight (uses, 8x
 * per loop level) among the live ones goes to the frame. A slot keeps one home for the whole
 * function, so control-flow joins need no moves.
 */
final class SlotAllocator {
  /**
   * Registers for slots. rax, rcx and rdx are scratch (idiv, shift counts); r13 and r15 hold the
   * context block and the remaining call depth. rbx, r12, rbp and r14 survive host calls in both
   * C conventions; the others are saved around upcalls as the convention needs.
   */
  static final List<Reg> POOL =
      List.of(Reg.RBX, Reg.R12, Reg.RBP, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R14);

  /** Registers for float slots; xmm0 and xmm1 are scratch. */
  static final List<Xmm> XMM_POOL = List.of(
      Xmm.XMM2, Xmm.XMM3, Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7, Xmm.XMM8, Xmm.XMM9, Xmm.XMM10,
      Xmm.XMM11, Xmm.XMM12, Xmm.XMM13, Xmm.XMM14, Xmm.XMM15);

  /**
   * Where each slot lives: a general register, an XMM register (float slots), or the frame; or
   * nowhere, for a slot in {@code folded}: set once by {@code CONST_I} and read only where an
   * immediate operand fits, so its value {@code constants[slot]} is folded into those instructions;
   * or nowhere, for a slot whose every value is one of {@code handOvers}.
   */
  record Homes(
      Reg[] gpr, Xmm[] xmm, boolean[] folded, long[] constants, HandOvers.Result handOvers) {}

  /** How an instruction uses an operand slot. */
  private enum Use { INT, FLOAT, EITHER }

  /**
   * {@link Op#shape} of every opcode as an array: read for every operand of every instruction,
   * often while the JVM still interprets this class, where an array read is much cheaper than
   * {@code charAt}.
   */
  static final char[][] SHAPES = new char[Op.COUNT][];

  static {
    for (int op = 0; op < Op.COUNT; op++) {
      SHAPES[op] = Op.shape(op).toCharArray();
    }
  }

  private static final int LOOP_WEIGHT_SHIFT = 3;
  private static final int MAX_LOOP_DEPTH = 6;

  private final Program program;
  private final FunctionInfo fn;
  private final int[] code;
  private final int[] start;
  private final int[] end;
  private final long[] weight;
  private final boolean[] floatUse;
  private final boolean[] intUse;
  private final boolean[] jumpTarget;
  /**
   * For {@link #foldableConstants}, gathered in the same walk as the intervals: per slot, how
   * many instructions write it, whether it is read where no immediate fits (or is a parameter or
   * names a call's argument or result), and whether a {@code CONST_I} writes it and with what.
   */
  private final int[] definitions;
  private final boolean[] otherUse;
  private final boolean[] constant;
  private final long[] constants;

  private SlotAllocator(Program program, FunctionInfo fn) {
    this.program = program;
    this.fn = fn;
    this.code = program.code();
    int n = fn.frameSize();
    this.start = new int[n];
    this.end = new int[n];
    this.weight = new long[n];
    this.floatUse = new boolean[n];
    this.intUse = new boolean[n];
    this.jumpTarget = new boolean[fn.end() - fn.entry()];
    this.definitions = new int[n];
    this.otherUse = new boolean[n];
    this.constant = new boolean[n];
    this.constants = new long[n];
    Arrays.fill(start, Integer.MAX_VALUE);
    Arrays.fill(end, Integer.MIN_VALUE);
  }

  /**
   * The home of each slot. A slot that only float instructions use (besides moves, constants,
   * array elements, arguments and results, which work with either) is a float slot and competes
   * for the XMM registers; the others for the general ones, except those {@link HandOvers} hands
   * from one instruction to the next in a scratch register.
   */
  static Homes allocate(Program program, FunctionInfo fn) {
    SlotAllocator s = new SlotAllocator(program, fn);
    s.buildIntervals();
    int n = fn.frameSize();
    boolean[] isFloat = new boolean[n];
    boolean[] isInt = new boolean[n];
    boolean[] folded = s.foldableConstants();
    for (int slot = 0; slot < n; slot++) {
      isFloat[slot] = s.floatUse[slot] && !s.intUse[slot];
      isInt[slot] = !isFloat[slot] && !folded[slot];
    }
    HandOvers.Result handOvers = HandOvers.find(program, fn, s.jumpTarget, isInt, isFloat);
    for (int slot = 0; slot < n; slot++) {
      isInt[slot] &= !handOvers.only()[slot];
      isFloat[slot] &= !handOvers.only()[slot];
    }
    Reg[] gpr = new Reg[n];
    Xmm[] xmm = new Xmm[n];
    int[] g = s.scan(isInt, POOL.size());
    int[] x = s.scan(isFloat, XMM_POOL.size());
    for (int slot = 0; slot < n; slot++) {
      gpr[slot] = g[slot] < 0 ? null : POOL.get(g[slot]);
      xmm[slot] = x[slot] < 0 ? null : XMM_POOL.get(x[slot]);
    }
    return new Homes(gpr, xmm, folded, s.constants, handOvers);
  }

  /**
   * The slots to fold: not parameters, defined by exactly one {@code CONST_I} (the front end
   * defines every temporary before its uses, so that definition is the value every use sees) and
   * used only as an operand of an add, multiply, and, or or xor, as the right operand of a
   * subtract, compare or compare-and-branch, as a for loop's limit or as the value of an array
   * store, all of which take an imm32.
   */
  private boolean[] foldableConstants() {
    boolean[] folded = new boolean[start.length];
    for (int slot = 0; slot < folded.length; slot++) {
      folded[slot] = constant[slot] && definitions[slot] == 1 && !otherUse[slot];
    }
    return folded;
  }

  /** Notes for {@link #foldableConstants} how the instruction at {@code pc} uses operand {@code k}. */
  private void noteForFolding(int op, int pc, int k, char operand) {
    int slot = code[pc + 1 + k];
    if (operand == 'd') {
      definitions[slot]++;
      if (op == Op.CONST_I) {
        constant[slot] = true;
        constants[slot] = code[pc + 2];
      }
    } else if (!takesImmediate(op, k)) {
      mark(otherUse, slot);
    }
  }

  private static void mark(boolean[] flags, int slot) {
    if (slot >= 0 && slot < flags.length) {
      flags[slot] = true;
    }
  }

  /** Whether operand {@code k} of {@code op} may be an imm32 in the generated code. */
  private static boolean takesImmediate(int op, int k) {
    return switch (op) {
      case Op.ADD_I, Op.MUL_I, Op.AND_I, Op.OR_I, Op.XOR_I -> k == 1 || k == 2; // they commute
      case Op.SUB_I, Op.EQ_I, Op.NE_I, Op.LT_I, Op.LE_I, Op.ASTORE -> k == 2;
      case Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I, Op.FOR_I -> k == 1;
      default -> false;
    };
  }

  /** How instruction {@code op} uses its operand number {@code k} (a d or s). */
  private static Use use(int op, int k) {
    return switch (op) {
      case Op.ADD_F, Op.SUB_F, Op.MUL_F, Op.DIV_F, Op.NEG_F, Op.J_EQ_F, Op.J_NE_F, Op.J_LT_F,
          Op.J_LE_F, Op.J_NLT_F, Op.J_NLE_F, Op.PRINT_F -> Use.FLOAT;
      case Op.I2F -> k == 0 ? Use.FLOAT : Use.INT;
      case Op.F2I, Op.EQ_F, Op.NE_F, Op.LT_F, Op.LE_F -> k == 0 ? Use.INT : Use.FLOAT;
      case Op.MOV, Op.CONST_K, Op.RET -> Use.EITHER;
      case Op.ALOAD -> k == 0 ? Use.EITHER : Use.INT;
      case Op.ASTORE -> k == 2 ? Use.EITHER : Use.INT;
      default -> Use.INT;
    };
  }

  private void buildIntervals() {
    for (int j = 0; j < fn.params().size() && j < start.length; j++) {
      occurs(j, fn.entry() - 1, 0, kind(fn.params().get(j))); // parameters are defined on entry
      otherUse[j] = true;
    }
    // Loops as [head, back edge] pairs, in arrays: scanned for every instruction below.
    int fnEnd = fn.end();
    int[] heads = new int[8];
    int[] tails = new int[8];
    int loops = 0;
    for (int pc = fn.entry(); pc < fnEnd; pc += Op.length(code[pc])) {
      if (!Op.isBranch(code[pc])) {
        continue;
      }
      int target = Op.target(code, pc);
      if (target >= fn.entry() && target < fnEnd) {
        jumpTarget[target - fn.entry()] = true;
      }
      if (target <= pc) {
        if (loops == heads.length) {
          heads = Arrays.copyOf(heads, 2 * loops);
          tails = Arrays.copyOf(tails, 2 * loops);
        }
        heads[loops] = target;
        tails[loops++] = pc;
      }
    }
    for (int pc = fn.entry(); pc < fnEnd; pc += Op.length(code[pc])) {
      int depth = 0;
      for (int l = 0; l < loops; l++) {
        depth += heads[l] <= pc && pc <= tails[l] ? 1 : 0;
      }
      operands(pc, 1L << (LOOP_WEIGHT_SHIFT * Math.min(MAX_LOOP_DEPTH, depth)));
    }
    widen(heads, tails, loops);
  }

  /**
   * Notes the slots the instruction at {@code pc} names, each use weighing {@code w}. A method of
   * its own, not the body of {@link #buildIntervals}'s loop: called for every instruction, it is
   * compiled by C1 within the first functions of a program, while the larger loop around it would
   * run in the interpreter for much longer.
   */
  private void operands(int pc, long w) {
    int op = code[pc];
    if (op == Op.CALL) {
      // The whole argument window is read by the call, not just its first slot.
      FunctionInfo callee = program.function(code[pc + 2]);
      for (int j = 0; j < callee.params().size(); j++) {
        occurs(code[pc + 3] + j, pc, w, kind(callee.params().get(j)));
        mark(otherUse, code[pc + 3] + j);
      }
      int result = code[pc + 1];
      occurs(result, pc, w, kind(callee.result()));
      mark(otherUse, result);
      if (result >= 0 && result < definitions.length) {
        definitions[result]++;
      }
      return;
    }
    char[] shape = SHAPES[op];
    for (int k = 0; k < shape.length; k++) {
      char c = shape[k];
      if (c == 'd' || c == 's') {
        occurs(code[pc + 1 + k], pc, w, use(op, k));
        noteForFolding(op, pc, k, c);
      }
    }
  }

  /**
   * Widens the intervals that overlap a loop ({@code heads[l]} to {@code tails[l]}) to the whole
   * loop, unless they live within each iteration, to a fixed point.
   */
  private void widen(int[] heads, int[] tails, int loops) {
    BitSet[] exposed = new BitSet[loops];
    for (int l = 0; l < loops; l++) {
      exposed[l] = exposedReads(heads[l], tails[l]);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int l = 0; l < loops; l++) {
        int head = heads[l];
        int tail = tails[l];
        for (int s = 0; s < start.length; s++) {
          boolean withinEachIteration = start[s] >= head && end[s] <= tail && !exposed[l].get(s);
          if (start[s] <= tail && end[s] >= head && !withinEachIteration
              && (start[s] > head || end[s] < tail)) {
            start[s] = Math.min(start[s], head);
            end[s] = Math.max(end[s], tail);
            changed = true;
          }
        }
      }
    }
  }

  /**
   * The slots the loop may read before writing them in the same iteration: read where, in
   * straight-line code since the loop's start or the last jump target, no write came first. Only
   * these can carry a value around the back edge; a slot all of whose mentions lie in the loop
   * and that is read only after a write in the same run of code lives within each iteration, so
   * its interval needs no widening to the whole loop.
   */
  private BitSet exposedReads(int head, int tail) {
    BitSet exposed = new BitSet();
    BitSet written = new BitSet();
    for (int pc = head; pc <= tail; pc += Op.length(code[pc])) {
      if (jumpTarget[pc - fn.entry()]) {
        written.clear(); // paths join here: what one path wrote, another may not have
      }
      int op = code[pc];
      if (op == Op.CALL) {
        int params = program.function(code[pc + 2]).params().size();
        for (int j = 0; j < params; j++) {
          exposeUnwritten(code[pc + 3] + j, written, exposed);
        }
        if (code[pc + 1] >= 0) {
          written.set(code[pc + 1]);
        }
        continue;
      }
      char[] shape = SHAPES[op];
      for (int k = 0; k < shape.length; k++) {
        if (shape[k] == 's') {
          exposeUnwritten(code[pc + 1 + k], written, exposed);
        }
      }
      if (shape.length > 0 && shape[0] == 'd') {
        written.set(code[pc + 1]);
      }
    }
    return exposed;
  }

  private static void exposeUnwritten(int slot, BitSet written, BitSet exposed) {
    if (slot >= 0 && !written.get(slot)) {
      exposed.set(slot);
    }
  }

  private static Use kind(ValueKind kind) {
    return kind == ValueKind.FLOAT ? Use.FLOAT : kind == ValueKind.VOID ? Use.EITHER : Use.INT;
  }

  private void occurs(int slot, int pc, long w, Use use) {
    if (slot >= 0 && slot < start.length) {
      start[slot] = Math.min(start[slot], pc);
      end[slot] = Math.max(end[slot], pc);
      weight[slot] += w;
      floatUse[slot] |= use == Use.FLOAT;
      intUse[slot] |= use == Use.INT;
    }
  }

  /**
   * Linear scan of the slots in {@code candidates} over {@code registers} registers: indices, -1 =
   * frame. Plain int arrays throughout (no boxed slots or registers): this runs for every function
   * of a program, usually while the JVM is still cold.
   */
  private int[] scan(boolean[] candidates, int registers) {
    // Candidates by start, ties in slot order: (start, slot) packed in a long sorts as that pair.
    long[] byStart = new long[start.length];
    int count = 0;
    for (int s = 0; s < start.length; s++) {
      if (candidates[s] && end[s] != Integer.MIN_VALUE) {
        byStart[count++] = (long) start[s] << 32 | s;
      }
    }
    Arrays.sort(byStart, 0, count);
    int[] homes = new int[start.length];
    Arrays.fill(homes, -1);
    // The free registers, a stack: register 0 on top at first, then the last one freed.
    int[] free = new int[registers];
    int freeCount = registers;
    for (int r = 0; r < registers; r++) {
      free[r] = registers - 1 - r;
    }
    // The slots holding a register, in the order they got it.
    int[] active = new int[registers];
    int activeCount = 0;
    for (int i = 0; i < count; i++) {
      int slot = (int) byStart[i];
      // Strictly before: a slot read by an instruction shares a register with its result only
      // where the instruction computes in place (see inPlace), and then hands it straight on.
      int inherited = -1;
      for (int k = activeCount - 1; k >= 0; k--) {
        int other = active[k];
        if (end[other] < start[slot]) {
          free[freeCount++] = homes[other];
          activeCount = removeAt(active, activeCount, k);
        } else if (end[other] == start[slot] && inPlace(start[slot], slot, other)) {
          inherited = homes[other];
          activeCount = removeAt(active, activeCount, k);
        }
      }
      if (inherited >= 0) {
        homes[slot] = inherited;
        active[activeCount++] = slot;
        continue;
      }
      if (freeCount > 0) {
        homes[slot] = free[--freeCount];
        active[activeCount++] = slot;
        continue;
      }
      int lightest = slot;
      int lightestAt = -1;
      for (int k = 0; k < activeCount; k++) {
        if (weight[active[k]] < weight[lightest]) {
          lightest = active[k];
          lightestAt = k;
        }
      }
      if (lightest != slot) {
        homes[slot] = homes[lightest];
        homes[lightest] = -1;
        activeCount = removeAt(active, activeCount, lightestAt);
        active[activeCount++] = slot;
      }
    }
    return homes;
  }

  /** Removes element {@code k} of the first {@code count} of {@code a}, keeping the order; the new count. */
  private static int removeAt(int[] a, int count, int k) {
    System.arraycopy(a, k + 1, a, k, count - k - 1);
    return count - 1;
  }

  /**
   * Whether the instruction at {@code pc} writes {@code result} from {@code operand} (its first
   * operand, not its second) in a way whose code is right when both share a register: it loads
   * the operand into the result's register first (a no-op then) and reads nothing else from it.
   * Then {@code t = a - b} becomes {@code sub a, b} with no move, where a is dead after.
   */
  private boolean inPlace(int pc, int result, int operand) {
    if (pc < fn.entry()) {
      return false; // parameters start before the first instruction
    }
    int op = code[pc];
    boolean twoAddress = switch (op) {
      case Op.MOV, Op.ADD_I, Op.SUB_I, Op.MUL_I, Op.AND_I, Op.OR_I, Op.XOR_I, Op.ADD_I_IMM,
          Op.MUL_I_IMM, Op.AND_I_IMM, Op.OR_I_IMM, Op.XOR_I_IMM, Op.SHL_I_IMM, Op.SHR_I_IMM,
          Op.USHR_I_IMM, Op.NEG_I, Op.NOT_I, Op.ADD_F, Op.SUB_F, Op.MUL_F, Op.DIV_F -> true;
      default -> false;
    };
    if (!twoAddress || code[pc + 1] != result || code[pc + 2] != operand) {
      return false;
    }
    // A second slot operand must be another slot (x op x reads the shared register twice: fine
    // too, but then it is the operand itself).
    return Op.shape(op).length() < 3 || Op.shape(op).charAt(2) != 's' || code[pc + 3] != result;
  }

  /** The distinct registers in {@code homes}, in pool order. */
  static <T> List<T> used(List<T> pool, T[] homes) {
    boolean[] inUse = new boolean[pool.size()];
    for (T home : homes) {
      if (home != null) {
        inUse[pool.indexOf(home)] = true;
      }
    }
    List<T> used = new ArrayList<>();
    for (int r = 0; r < inUse.length; r++) {
      if (inUse[r]) {
        used.add(pool.get(r));
      }
    }
    return used;
  }
}
