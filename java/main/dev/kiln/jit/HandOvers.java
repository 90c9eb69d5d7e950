package dev.kiln.jit;

import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.Arrays;

/**
 * Values that live only from one instruction to the next that reads them, such as an argument
 * computed just before its call ({@code fib(n - 1)}), a call's result added at once, or a sum
 * returned at once. Such a value needs no register of the pool (which the function would have to
 * save): it is handed over in the scratch register where the reader wants it: an argument
 * register for a call, rax for a result or an operand. The slot's home, if it needs one for its
 * other values, is not touched by the two instructions. A remainder by 2^k or a mask that is only
 * compared with zero is not even computed: the comparison tests the operand's bits ({@link
 * ZeroTest}).
 *
 * <p>A write of a slot is handed over when the reader is the next instruction (or a call after
 * the set-up of its other arguments), no jump leads in between, and the slot is dead after the
 * reader: on every path from there it is written again, or the function returns, before any
 * read. Writer and reader are kinds listed below whose code is known not to use that scratch
 * register otherwise after the value is written or before it is read.
 */
final class HandOvers {
  /** How many instructions to look at for a read before assuming the slot is still live. */
  private static final int DEAD_SEARCH_LIMIT = 256;
  /** At most this many instructions between a call's argument and the call (see {@link #reader}). */
  private static final int MAX_SETUP = 2;

  /**
   * One instruction's access to {@code slot} in a scratch register instead of the slot's home:
   * {@code register} for an integer slot, {@code xmm} (xmm0) for a float slot.
   */
  record HandOver(int slot, Reg register, Xmm xmm) {}

  /**
   * A remainder by 2^k or an and with a mask whose result only feeds the next instruction, a
   * comparison with zero: the pair becomes one {@code test operand, mask} (x % 2^k is zero
   * exactly when x's low k bits are, whatever x's sign).
   */
  record ZeroTest(int operand, int mask) {}

  /**
   * The hand-overs of a function: per instruction ({@code pc - entry}) the slots it accesses in a
   * scratch register, null where none; which slots are only ever accessed that way or in zero
   * tests; and per instruction the zero test it is half of, null where none.
   */
  record Result(HandOver[][] at, boolean[] only, ZeroTest[] zeroTests) {}

  private final Program program;
  private final int[] code;
  private final FunctionInfo fn;
  private final boolean[] jumpTarget;
  /**
   * For {@link #dead}: a stack of the instructions still to look at (each pc at most once per
   * query, so it never outgrows the function), and which were queued in this query.
   */
  private final int[] work;
  private int pending;
  private final int[] visited;
  private int query;

  private HandOvers(Program program, FunctionInfo fn, boolean[] jumpTarget) {
    this.program = program;
    this.code = program.code();
    this.fn = fn;
    this.jumpTarget = jumpTarget;
    this.visited = new int[fn.end() - fn.entry()];
    this.work = new int[fn.end() - fn.entry()];
  }

  /**
   * @param jumpTarget per instruction ({@code pc - entry}) of {@code fn}: whether a branch leads
   *     there (found once, by {@link SlotAllocator})
   * @param ints the integer slots that may be handed over (not folded)
   * @param floats the float slots that may be handed over
   */
  static Result find(Program program, FunctionInfo fn, boolean[] jumpTarget, boolean[] ints,
      boolean[] floats) {
    HandOvers h = new HandOvers(program, fn, jumpTarget);
    int[] code = program.code();
    int n = fn.frameSize();
    int[] mentions = new int[n];
    int[] handed = new int[n];
    HandOver[][] at = new HandOver[fn.end() - fn.entry()][];
    ZeroTest[] zeroTests = new ZeroTest[fn.end() - fn.entry()];
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      h.count(pc, mentions);
    }
    for (int pc = fn.entry(); pc < fn.end(); pc += Op.length(code[pc])) {
      int next = pc + Op.length(code[pc]);
      ZeroTest test = h.zeroTest(pc);
      if (test != null) {
        zeroTests[pc - fn.entry()] = test;
        zeroTests[next - fn.entry()] = test;
        handed[code[pc + 1]] += 2;
        continue;
      }
      int slot = Op.resultSlot(code, pc);
      if (slot < fn.params().size() || slot >= n || h.reads(pc, slot)) {
        continue;
      }
      HandOver handOver = null;
      int reader = -1;
      if (ints[slot] && h.intResult(code[pc])) {
        reader = h.reader(next, slot);
        Reg r = reader < 0 ? null : h.readerWants(reader, slot);
        // Over other arguments' set-up, which may use rax as scratch: only rcx and rdx. The
        // search for later reads, the costly test, comes last.
        handOver = r != null && (reader == next || r != Reg.RAX) && h.dead(slot, reader)
            ? new HandOver(slot, r, null) : null;
      } else if (floats[slot] && h.floatResult(code[pc]) && next < fn.end()
          && !h.jumpTarget[next - fn.entry()] && h.readsFloatInPlace(next, slot)
          && h.dead(slot, next)) {
        reader = next;
        handOver = new HandOver(slot, null, Xmm.XMM0);
      }
      if (handOver != null) {
        add(at, pc - fn.entry(), handOver);
        add(at, reader - fn.entry(), handOver);
        handed[slot] += 2;
      }
    }
    boolean[] only = new boolean[n];
    for (int slot = 0; slot < n; slot++) {
      only[slot] = handed[slot] > 0 && handed[slot] == mentions[slot];
    }
    return new Result(at, only, zeroTests);
  }

  /** The zero test that the instruction at {@code pc} starts, or null. */
  private ZeroTest zeroTest(int pc) {
    int op = code[pc];
    if (op != Op.REM_I_IMM && op != Op.AND_I_IMM) {
      return null;
    }
    int d = code[pc + 1];
    int x = code[pc + 2];
    int imm = code[pc + 3];
    int next = pc + Op.length(op);
    boolean powerOfTwo = imm > 1 && Integer.bitCount(imm) == 1;
    if (d == x || d < fn.params().size() || (op == Op.REM_I_IMM && !powerOfTwo) || next >= fn.end()
        || jumpTarget[next - fn.entry()]
        || (code[next] != Op.J_EQ_I_IMM && code[next] != Op.J_NE_I_IMM)
        || code[next + 1] != d || code[next + 2] != 0 || !dead(d, next)) {
      return null;
    }
    return new ZeroTest(x, op == Op.REM_I_IMM ? imm - 1 : imm);
  }

  /**
   * The instruction from {@code pc} on that reads {@code slot}: the one at {@code pc}, or a call
   * after at most {@link #MAX_SETUP} instructions setting up its other arguments (moves,
   * constants, adds of a constant, which neither name {@code slot} nor touch rcx and rdx unless
   * they hand over in them themselves); -1 if none, or if a jump leads in between.
   */
  private int reader(int pc, int slot) {
    int at = pc;
    for (int skipped = 0; at < fn.end() && !jumpTarget[at - fn.entry()]; skipped++) {
      int op = code[at];
      if (reads(at, slot)) {
        return skipped == 0 || op == Op.CALL ? at : -1;
      }
      boolean setup = op == Op.MOV || op == Op.CONST_I || op == Op.ADD_I_IMM;
      if (!setup || skipped == MAX_SETUP || Op.resultSlot(code, at) == slot) {
        return -1;
      }
      at += Op.length(op);
    }
    return -1;
  }

  private static void add(HandOver[][] at, int i, HandOver h) {
    HandOver[] old = at[i] == null ? new HandOver[0] : at[i];
    HandOver[] grown = Arrays.copyOf(old, old.length + 1);
    grown[old.length] = h;
    at[i] = grown;
  }

  /** Whether the call at {@code pc} passes {@code slot} as an argument. */
  private boolean inWindow(int pc, int slot) {
    int j = slot - code[pc + 3];
    return j >= 0 && j < program.function(code[pc + 2]).params().size();
  }

  /** Whether the instruction at {@code pc} reads {@code slot}. */
  private boolean reads(int pc, int slot) {
    int op = code[pc];
    if (op == Op.CALL) {
      return inWindow(pc, slot);
    }
    char[] shape = SlotAllocator.SHAPES[op];
    for (int k = 0; k < shape.length; k++) {
      // FOR_I's counter is an "s" that is also written.
      if (shape[k] == 's' && code[pc + 1 + k] == slot) {
        return true;
      }
    }
    return false;
  }

  /** Counts the instruction at {@code pc} once for each slot it reads or writes. */
  private void count(int pc, int[] mentions) {
    int op = code[pc];
    if (op == Op.CALL) {
      int params = program.function(code[pc + 2]).params().size();
      for (int j = 0; j < params; j++) {
        bump(mentions, code[pc + 3] + j);
      }
      if (!inWindow(pc, code[pc + 1])) {
        bump(mentions, code[pc + 1]); // -1 for a void call
      }
      return;
    }
    char[] shape = SlotAllocator.SHAPES[op];
    for (int k = 0; k < shape.length; k++) {
      if (isSlot(shape[k]) && !namedBefore(pc, k)) {
        bump(mentions, code[pc + 1 + k]);
      }
    }
  }

  private static void bump(int[] mentions, int slot) {
    if (slot >= 0 && slot < mentions.length) {
      mentions[slot]++;
    }
  }

  private static boolean isSlot(char operand) {
    return operand == 'd' || operand == 's';
  }

  /** Whether operand {@code k} repeats a slot an earlier operand of the instruction names. */
  private boolean namedBefore(int pc, int k) {
    char[] shape = SlotAllocator.SHAPES[code[pc]];
    for (int e = 0; e < k; e++) {
      if (isSlot(shape[e]) && code[pc + 1 + e] == code[pc + 1 + k]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code op} computes an integer result into its target register with no other scratch
   * use after writing it.
   */
  private boolean intResult(int op) {
    return switch (op) {
      case Op.CALL, Op.MOV, Op.CONST_I, Op.ADD_I, Op.SUB_I, Op.MUL_I, Op.AND_I, Op.OR_I, Op.XOR_I,
          Op.ADD_I_IMM, Op.MUL_I_IMM, Op.AND_I_IMM, Op.OR_I_IMM, Op.XOR_I_IMM, Op.SHL_I_IMM,
          Op.SHR_I_IMM, Op.USHR_I_IMM, Op.NEG_I, Op.NOT_I, Op.EQ_I, Op.NE_I, Op.LT_I, Op.LE_I,
          Op.LEN, Op.ALOAD -> true;
      default -> false;
    };
  }

  /**
   * Whether {@code op} computes a float result into its target register (xmm0 when handed over)
   * with no scratch use after writing it: arithmetic uses xmm1 only for its right operand.
   */
  private boolean floatResult(int op) {
    return switch (op) {
      case Op.CALL, Op.MOV, Op.CONST_K, Op.ALOAD, Op.ADD_F, Op.SUB_F, Op.MUL_F, Op.DIV_F, Op.NEG_F,
          Op.I2F -> true;
      default -> false;
    };
  }

  /**
   * Whether the instruction at {@code pc} can read float {@code slot} from xmm0: it loads that
   * operand into its target first (a no-op when the target is xmm0 too) and nothing else into
   * xmm0 before. Not the right operand of a subtraction or division (the left one is loaded
   * into xmm0 over it when the result has no register), nor compares, which load into xmm0.
   * It must read the slot: a hand-over to an instruction that does not would count as two of the
   * slot's mentions, and a slot with others could pass for one only ever handed over, with no
   * home for them (a dead float result before a move of other slots, in an accumulating loop).
   */
  private boolean readsFloatInPlace(int pc, int slot) {
    int op = code[pc];
    int d = Op.length(op) > 1 ? code[pc + 1] : -1;
    if (!reads(pc, slot)) {
      return false;
    }
    return switch (op) {
      case Op.ADD_F, Op.MUL_F -> d != slot;
      case Op.SUB_F, Op.DIV_F -> d != slot && code[pc + 2] == slot && code[pc + 3] != slot;
      case Op.NEG_F, Op.MOV, Op.F2I -> d != slot;
      case Op.RET, Op.PRINT_F -> true;
      // The stored value only: the element's address takes rax and rcx.
      case Op.ASTORE -> code[pc + 3] == slot && d != slot && code[pc + 2] != slot;
      default -> false;
    };
  }

  /**
   * Whether {@code slot} is dead after the instruction at {@code pc}: on every path from there the
   * function returns or writes the slot before any read. A search over the paths, bounded: a
   * slot read far away counts as live.
   */
  private boolean dead(int slot, int pc) {
    query++;
    pending = 0;
    pushSuccessors(pc);
    for (int steps = 0; pending > 0; steps++) {
      int next = work[--pending];
      if (steps == DEAD_SEARCH_LIMIT || reads(next, slot)) {
        return false; // read on some path (or too far to tell)
      }
      int op = code[next];
      if (Op.resultSlot(code, next) != slot && op != Op.RET && op != Op.RET_VOID) {
        pushSuccessors(next);
      }
    }
    return true;
  }

  /** Queues the instructions that may follow the one at {@code pc}, each once per query. */
  private void pushSuccessors(int pc) {
    int op = code[pc];
    if (Op.isBranch(op)) {
      push(Op.target(code, pc));
    }
    if (op != Op.JMP) {
      push(pc + Op.length(op));
    }
  }

  private void push(int pc) {
    if (pc < fn.end() && visited[pc - fn.entry()] != query) {
      visited[pc - fn.entry()] = query;
      work[pending++] = pc;
    }
  }

  /** The scratch register the instruction at {@code pc} can read {@code slot} from, or null. */
  private Reg readerWants(int pc, int slot) {
    if (zeroTest(pc) != null) {
      return null; // its operand is read by the comparison after it, not by itself
    }
    int op = code[pc];
    int x = Op.length(op) > 1 ? code[pc + 1] : -1;
    return switch (op) {
      case Op.CALL -> argumentRegister(pc, slot);
      case Op.RET, Op.PRINT_I, Op.PRINT_B, Op.JT, Op.JF -> Reg.RAX;
      // The comparison's left operand only: the right one is read after the left is loaded.
      case Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I, Op.J_EQ_I_IMM,
          Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM, Op.J_GE_I_IMM ->
          x == slot ? Reg.RAX : null;
      // Operands of commutative operations and of moves, not the result.
      case Op.MOV, Op.ADD_I, Op.AND_I, Op.OR_I, Op.XOR_I -> x != slot ? Reg.RAX : null;
      // The first operand, loaded into the target (or compared) before anything else is read.
      case Op.SUB_I, Op.EQ_I, Op.NE_I, Op.LT_I, Op.LE_I, Op.ADD_I_IMM, Op.MUL_I_IMM, Op.AND_I_IMM,
          Op.OR_I_IMM, Op.XOR_I_IMM, Op.SHL_I_IMM, Op.SHR_I_IMM, Op.USHR_I_IMM, Op.NEG_I,
          Op.NOT_I -> x != slot && code[pc + 2] == slot ? Reg.RAX : null;
      // The stored value only: the element's address takes rax and rcx.
      case Op.ASTORE -> code[pc + 3] == slot && x != slot && code[pc + 2] != slot ? Reg.RDX : null;
      default -> null;
    };
  }

  /**
   * A register argument goes straight to its register; with stack arguments, which are stored
   * through rax first, not the one in rax.
   */
  private Reg argumentRegister(int pc, int slot) {
    int params = program.function(code[pc + 2]).params().size();
    int j = slot - code[pc + 3];
    if (slot == code[pc + 1] || !inWindow(pc, slot)) {
      return null;
    }
    if (Frame.floatArgument(program.function(code[pc + 2]), j) != null) {
      return null; // it travels in an XMM register
    }
    int registers = Frame.ARGUMENT_REGISTERS.size();
    int usable = params > registers ? registers - 1 : registers;
    return j < usable ? Frame.ARGUMENT_REGISTERS.get(j) : null;
  }
}
