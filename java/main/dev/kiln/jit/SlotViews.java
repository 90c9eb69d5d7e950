package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import java.util.Arrays;

/**
 * Which view of a slot (its i64 or its f64 variable) some later read may still use: a backward
 * liveness of the two views over the function's bytecode. The lowering defines the view a write
 * does not produce directly (a bitcast) only where it is live, so no bitcast is built just to die.
 *
 * <p>Over-approximating is safe (an unused bitcast); so a write kills only the views its lowering
 * defines: every write the i64 one, and the writes of {@link #definesFloatView} the f64 one.
 */
final class SlotViews {
  /** Whether each opcode reads its {@code s} operands as floats (else as ints). */
  private static final boolean[] READS_FLOATS = new boolean[Op.COUNT];
  /** The indexes of each opcode's {@code s} operands (from 0, the first operand), by opcode. */
  private static final int[][] SOURCES = new int[Op.COUNT][];

  static {
    for (int op = 0; op < Op.COUNT; op++) {
      String shape = Op.shape(op);
      int[] sources = new int[shape.length()];
      int n = 0;
      for (int k = 0; k < shape.length(); k++) {
        if (shape.charAt(k) == 's') {
          sources[n++] = k;
        }
      }
      SOURCES[op] = Arrays.copyOf(sources, n);
    }
    for (int op : new int[] {Op.ADD_F, Op.SUB_F, Op.MUL_F, Op.DIV_F, Op.NEG_F, Op.F2I, Op.EQ_F,
        Op.NE_F, Op.LT_F, Op.LE_F, Op.J_EQ_F, Op.J_NE_F, Op.J_LT_F, Op.J_LE_F, Op.J_NLT_F,
        Op.J_NLE_F, Op.PRINT_F}) {
      READS_FLOATS[op] = true;
    }
  }

  private final Program program;
  private final int[] code;
  private final FunctionInfo info;
  private final int words;
  /** Per offset of the function's code: whether the written slot's i64 / f64 view is live after it. */
  private final boolean[] intAfter;
  private final boolean[] floatAfter;
  private final long[] entryInts;
  private final long[] entryFloats;

  SlotViews(Program program, FunctionInfo info, int slots) {
    this.program = program;
    this.code = program.code();
    this.info = info;
    this.words = (slots + 63) >>> 6;
    int length = info.end() - info.entry();
    this.intAfter = new boolean[length];
    this.floatAfter = new boolean[length];
    this.entryInts = new long[words];
    this.entryFloats = new long[words];
    solve(length);
  }

  /** Whether some read may use the i64 view of the slot the instruction at {@code pc} writes. */
  boolean intUsedAfter(int pc) {
    return intAfter[pc - info.entry()];
  }

  /** Whether some read may use the f64 view of the slot the instruction at {@code pc} writes. */
  boolean floatUsedAfter(int pc) {
    return floatAfter[pc - info.entry()];
  }

  /** Whether some read may use the i64 view of {@code slot} as the function starts. */
  boolean intUsedAtEntry(int slot) {
    return has(entryInts, slot);
  }

  /** Whether some read may use the f64 view of {@code slot} as the function starts. */
  boolean floatUsedAtEntry(int slot) {
    return has(entryFloats, slot);
  }

  /**
   * Iterates the blocks' live-in sets backwards to a fixed point; each pass records every write's
   * live views, so the last pass, which changes nothing, leaves the final ones. Code without
   * loops needs one pass.
   */
  private void solve(int length) {
    int entry = info.entry();
    boolean[] starts = new boolean[length + 1];
    starts[0] = true;
    int instructions = 0;
    boolean loops = false;
    for (int pc = entry; pc < info.end(); pc += Op.length(code[pc])) {
      int op = code[pc];
      instructions++;
      if (Op.isBranch(op)) {
        starts[Op.target(code, pc) - entry] = true;
        loops |= Op.target(code, pc) <= pc;
      }
      if (Op.isBranch(op) || !Op.fallsThrough(op)) {
        starts[pc + Op.length(op) - entry] = true;
      }
    }
    int[] pcs = new int[instructions];
    int[] blockOf = new int[length + 1];
    int count = 0;
    int n = 0;
    for (int pc = entry; pc < info.end(); pc += Op.length(code[pc])) {
      count += starts[pc - entry] ? 1 : 0;
      blockOf[pc - entry] = count - 1;
      pcs[n++] = pc;
    }
    blockOf[length] = count; // past the end: no block, nothing live
    int[] first = new int[count + 1];
    for (int j = instructions - 1; j >= 0; j--) {
      first[blockOf[pcs[j] - entry]] = j;
    }
    first[count] = instructions;
    long[][] inInts = new long[count + 1][words];
    long[][] inFloats = new long[count + 1][words];
    long[] ints = new long[words];
    long[] floats = new long[words];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = count - 1; k >= 0; k--) {
        liveOut(pcs[first[k + 1] - 1], blockOf, inInts, inFloats, ints, floats);
        for (int j = first[k + 1] - 1; j >= first[k]; j--) {
          step(pcs[j], ints, floats);
        }
        changed |= merge(inInts[k], ints) | merge(inFloats[k], floats);
      }
      // without a backward branch every successor's live-in is final before its predecessors'
      changed &= loops;
    }
    if (count > 0) {
      System.arraycopy(inInts[0], 0, entryInts, 0, words);
      System.arraycopy(inFloats[0], 0, entryFloats, 0, words);
    }
  }

  /** Sets {@code ints, floats} to the union of the live-in sets of the successors of {@code pc}. */
  private void liveOut(int pc, int[] blockOf, long[][] inInts, long[][] inFloats, long[] ints,
      long[] floats) {
    Arrays.fill(ints, 0);
    Arrays.fill(floats, 0);
    int op = code[pc];
    if (Op.isBranch(op)) {
      int target = blockOf[Op.target(code, pc) - info.entry()];
      merge(ints, inInts[target]);
      merge(floats, inFloats[target]);
    }
    if (Op.fallsThrough(op)) {
      int next = blockOf[pc + Op.length(op) - info.entry()];
      merge(ints, inInts[next]);
      merge(floats, inFloats[next]);
    }
  }

  /** Steps the live sets backwards over the instruction at {@code pc}, recording its write's. */
  private void step(int pc, long[] ints, long[] floats) {
    int op = code[pc];
    int d = written(pc);
    boolean intLive = d >= 0 && has(ints, d);
    boolean floatLive = d >= 0 && has(floats, d);
    if (d >= 0) {
      intAfter[pc - info.entry()] = intLive;
      floatAfter[pc - info.entry()] = floatLive;
    }
    if (d >= 0) {
      clear(ints, d);
      if (definesFloatView(pc)) {
        clear(floats, d);
      }
    }
    if (op == Op.MOV) {
      if (intLive) {
        set(ints, code[pc + 2]);
      }
      if (floatLive) {
        set(floats, code[pc + 2]);
      }
    } else if (op == Op.CALL) {
      FunctionInfo callee = program.function(code[pc + 2]);
      for (int k = 0; k < callee.params().size(); k++) {
        set(callee.params().get(k) == ValueKind.FLOAT ? floats : ints, code[pc + 3] + k);
      }
    } else {
      long[] read = op == Op.RET && info.result() == ValueKind.FLOAT || READS_FLOATS[op]
          ? floats : ints;
      for (int k : SOURCES[op]) {
        set(read, code[pc + 1 + k]);
      }
    }
  }

  /** The slot the lowering of the instruction at {@code pc} writes, or -1. */
  private int written(int pc) {
    if (code[pc] == Op.CALL && program.function(code[pc + 2]).result() == ValueKind.VOID) {
      return -1;
    }
    return Op.writtenSlot(code, pc);
  }

  /** Whether the lowering of the write at {@code pc} defines the f64 view where it is live. */
  private boolean definesFloatView(int pc) {
    int op = code[pc];
    return switch (op) {
      case Op.MOV, Op.CONST_I, Op.CONST_K, Op.ALOAD, Op.ADD_F, Op.SUB_F, Op.MUL_F, Op.DIV_F,
          Op.NEG_F, Op.I2F -> true;
      case Op.CALL -> program.function(code[pc + 2]).result() == ValueKind.FLOAT;
      default -> false;
    };
  }

  private static boolean merge(long[] into, long[] from) {
    boolean changed = false;
    for (int w = 0; w < into.length; w++) {
      long merged = into[w] | from[w];
      changed |= merged != into[w];
      into[w] = merged;
    }
    return changed;
  }

  private static boolean has(long[] set, int slot) {
    return (set[slot >>> 6] & (1L << slot)) != 0;
  }

  private static void set(long[] set, int slot) {
    set[slot >>> 6] |= 1L << slot;
  }

  private static void clear(long[] set, int slot) {
    set[slot >>> 6] &= ~(1L << slot);
  }
}
