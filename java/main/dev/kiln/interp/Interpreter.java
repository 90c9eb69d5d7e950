package dev.kiln.interp;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import dev.kiln.vm.RuntimeErrorKind;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Runs a {@link Program}: one dispatch loop over the code array. All frames live in one
 * {@code long[]} value stack (floats as raw bits), a frame being the window of slots starting at
 * {@code base}; a call slides the window up to the caller's argument slots, so arguments are never
 * copied. Each active call is one int on an explicit stack instead of a Java frame, so the depth
 * is limited only by the levels of {@link Limits}, counted exactly as in the JIT: the pc of the
 * {@code CALL}, from whose operands a return finds the callee (whose levels it gives back), the
 * result slot, the caller's base (the callee's base less the argument offset) and the next pc.
 *
 * <p>The loop allocates nothing and boxes nothing; rare work (printing, allocation, errors) is in
 * small methods so the loop itself stays well under HotSpot's 8000-byte compile limit. It runs a
 * private copy of the code in which common pairs of instructions are fused
 * ({@link Superinstructions}): a fused case does its first instruction and falls through into the
 * case of the second.
 */
public final class Interpreter {
  private static final int CALL_LENGTH = Op.length(Op.CALL);

  private final Program program;
  /** The program's code with {@link Superinstructions} fused. */
  private final int[] code;
  private final Heap heap;
  private final Output out;
  private final Deadline deadline;
  private final int[] entries;
  private final int[] frameSizes;
  /** Each function's {@link Limits#frameLevels}. */
  private final int[] frameLevels;
  /** The value stack's largest size: main's frame and the most slots the levels allow. */
  private final long maxStackSlots;
  private final char[][] strings;
  // State of the running program that the dispatch loop uses only in a few instructions. It is
  // kept in fields rather than locals on purpose: HotSpot's C2 keeps every local that lives across
  // the loop in a register or spills it around the dispatch, so only code, st, base and pc are
  // loop-carried locals.
  /** Back edges and calls left before the clock is read again. */
  private int budget;
  /** The pc of each active {@code CALL}, innermost last. */
  private int[] calls;
  /** Entries of {@link #calls} in use: the call depth less one (main's frame). */
  private int depth;
  /** Levels of {@link Limits#MAX_CALL_DEPTH} not taken by the active frames. */
  private int levelsLeft;
  /** The heap's arrays as words ({@link Heap#words}); renewed after each allocation. */
  private LongBuffer words;
  /** The compiler to hand over to, or null: interpret to the end. */
  private TierUp tierUp;
  /** The compiled program once handed over (every call goes to it), or null. */
  private TierUp.Compiled compiled;
  /** Calls and back edges left before asking {@link #tierUp} for compiled code. */
  private long untilTierUp;
  /** The budget the current interval started with. */
  private int interval;
  /** The loop header from which {@link Superinstructions#RESUME} continues the frame. */
  private int resumeAt;
  /** Each function's parameter count, and whether it returns a value. */
  private final int[] paramCounts;
  private final boolean[] returnsValue;

  public Interpreter(Program program, Heap heap, Output out, Deadline deadline) {
    this(program, heap, out, deadline, null);
  }

  /**
   * An interpreter that hands the program over to compiled code from {@code tierUp} once it has
   * run {@link TierUp#after()} calls and back edges.
   *
   * @param tierUp the compiler, or {@code null} to interpret to the end
   */
  public Interpreter(Program program, Heap heap, Output out, Deadline deadline, TierUp tierUp) {
    this.program = program;
    this.tierUp = tierUp;
    this.code = Superinstructions.fuse(program);
    this.heap = heap;
    this.out = out;
    this.deadline = deadline;
    int n = program.functions().size();
    this.entries = new int[n];
    this.frameSizes = new int[n];
    this.frameLevels = new int[n];
    this.paramCounts = new int[n];
    this.returnsValue = new boolean[n];
    for (int f = 0; f < n; f++) {
      FunctionInfo fn = program.function(f);
      entries[f] = fn.entry();
      frameSizes[f] = fn.frameSize();
      frameLevels[f] = Limits.frameLevels(fn.frameSize());
      paramCounts[f] = fn.params().size();
      returnsValue[f] = fn.result() != ValueKind.VOID;
    }
    this.maxStackSlots = frameSizes[program.mainIndex()] + Limits.MAX_STACK_SLOTS;
    this.strings = new char[program.strings().size()][];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = program.strings().get(i).toCharArray();
    }
  }

  /** Runs {@code main} to completion; a runtime error escapes as {@link KilnRuntimeError}. */
  public void run() {
    final int[] code = this.code;
    long[] st = new long[Math.max(1 << 12, frameSizes[program.mainIndex()])];
    calls = new int[256];
    depth = 0;
    levelsLeft = Limits.MAX_CALL_DEPTH - frameLevels[program.mainIndex()];
    int base = 0;
    int pc = entries[program.mainIndex()];
    untilTierUp = tierUp == null ? Long.MAX_VALUE : Math.max(tierUp.after(), 0);
    budget = interval = nextInterval();
    words = heap.words();
    while (true) {
      switch (code[pc]) {
        case Op.MOV:
          st[base + code[pc + 1]] = st[base + code[pc + 2]];
          pc += 3;
          break;
        case Op.CONST_I:
          st[base + code[pc + 1]] = code[pc + 2];
          pc += 3;
          break;
        case Op.CONST_K:
          st[base + code[pc + 1]] = program.constant(code[pc + 2]);
          pc += 3;
          break;
        case Op.ADD_I:
          pc = addI(st, base, code, pc);
          break;
        case Op.SUB_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] - st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.MUL_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] * st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.DIV_I:
          {
            long b = st[base + code[pc + 3]];
            if (b == 0) {
              throw divisionByZero(code[pc + 4]);
            }
            // Java's long division already gives MIN / -1 = MIN.
            st[base + code[pc + 1]] = st[base + code[pc + 2]] / b;
            pc += 5;
            break;
          }
        case Op.REM_I:
          {
            long b = st[base + code[pc + 3]];
            if (b == 0) {
              throw divisionByZero(code[pc + 4]);
            }
            st[base + code[pc + 1]] = st[base + code[pc + 2]] % b;
            pc += 5;
            break;
          }
        case Op.AND_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] & st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.OR_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] | st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.XOR_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] ^ st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.SHL_I: // Java masks long shift counts to 6 bits: "mod 64" as docs/language.md says.
          st[base + code[pc + 1]] = st[base + code[pc + 2]] << st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.SHR_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] >> st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.USHR_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] >>> st[base + code[pc + 3]];
          pc += 4;
          break;
        case Op.ADD_I_IMM:
          pc = addIImm(st, base, code, pc);
          break;
        case Op.MUL_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] * code[pc + 3];
          pc += 4;
          break;
        case Op.DIV_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] / code[pc + 3];
          pc += 4;
          break;
        case Op.REM_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] % code[pc + 3];
          pc += 4;
          break;
        case Op.AND_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] & code[pc + 3];
          pc += 4;
          break;
        case Op.OR_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] | code[pc + 3];
          pc += 4;
          break;
        case Op.XOR_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] ^ code[pc + 3];
          pc += 4;
          break;
        case Op.SHL_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] << code[pc + 3];
          pc += 4;
          break;
        case Op.SHR_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] >> code[pc + 3];
          pc += 4;
          break;
        case Op.USHR_I_IMM:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] >>> code[pc + 3];
          pc += 4;
          break;
        case Op.NEG_I:
          st[base + code[pc + 1]] = -st[base + code[pc + 2]];
          pc += 3;
          break;
        case Op.NOT_I:
          st[base + code[pc + 1]] = ~st[base + code[pc + 2]];
          pc += 3;
          break;
        case Op.NOT_B:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] ^ 1;
          pc += 3;
          break;
        case Superinstructions.MUL_F_MUL_F_ADD_F:
          pc = mulF(st, base, code, pc);
          // fall through: the rest, a pair
        case Superinstructions.MUL_F_ADD_F:
          pc = mulF(st, base, code, pc);
          // fall through: the second instruction
        case Op.ADD_F:
          st[base + code[pc + 1]] = bits(real(st[base + code[pc + 2]]) + real(st[base + code[pc + 3]]));
          pc += 4;
          break;
        case Superinstructions.MUL_F_MUL_F_SUB_F:
          pc = mulF(st, base, code, pc);
          // fall through: the rest, a pair
        case Superinstructions.MUL_F_SUB_F:
          pc = mulF(st, base, code, pc);
          // fall through: the second instruction
        case Op.SUB_F:
          st[base + code[pc + 1]] = bits(real(st[base + code[pc + 2]]) - real(st[base + code[pc + 3]]));
          pc += 4;
          break;
        case Superinstructions.MUL_F_MUL_F:
          pc = mulF(st, base, code, pc);
          // fall through: the second instruction
        case Op.MUL_F:
          pc = mulF(st, base, code, pc);
          break;
        case Op.DIV_F:
          st[base + code[pc + 1]] = bits(real(st[base + code[pc + 2]]) / real(st[base + code[pc + 3]]));
          pc += 4;
          break;
        case Op.NEG_F:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] ^ Long.MIN_VALUE;
          pc += 3;
          break;
        case Op.I2F:
          st[base + code[pc + 1]] = bits((double) st[base + code[pc + 2]]);
          pc += 3;
          break;
        case Op.F2I:
          st[base + code[pc + 1]] = (long) real(st[base + code[pc + 2]]);
          pc += 3;
          break;
        case Op.EQ_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] == st[base + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case Op.NE_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] != st[base + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case Op.LT_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] < st[base + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case Op.LE_I:
          st[base + code[pc + 1]] = st[base + code[pc + 2]] <= st[base + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case Op.EQ_F:
          st[base + code[pc + 1]] =
              real(st[base + code[pc + 2]]) == real(st[base + code[pc + 3]]) ? 1 : 0;
          pc += 4;
          break;
        case Op.NE_F:
          st[base + code[pc + 1]] =
              real(st[base + code[pc + 2]]) != real(st[base + code[pc + 3]]) ? 1 : 0;
          pc += 4;
          break;
        case Op.LT_F:
          st[base + code[pc + 1]] =
              real(st[base + code[pc + 2]]) < real(st[base + code[pc + 3]]) ? 1 : 0;
          pc += 4;
          break;
        case Op.LE_F:
          st[base + code[pc + 1]] =
              real(st[base + code[pc + 2]]) <= real(st[base + code[pc + 3]]) ? 1 : 0;
          pc += 4;
          break;
        case Op.JMP:
          pc = taken(code[pc + 1], pc);
          break;
        case Op.JT:
          pc = st[base + code[pc + 1]] != 0 ? taken(code[pc + 2], pc) : pc + 3;
          break;
        case Op.JF:
          pc = st[base + code[pc + 1]] == 0 ? taken(code[pc + 2], pc) : pc + 3;
          break;
        case Op.J_EQ_I:
          pc = st[base + code[pc + 1]] == st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_NE_I:
          pc = st[base + code[pc + 1]] != st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Superinstructions.ADD_I_IMM_J_LT_I:
          pc = addIImm(st, base, code, pc);
          // fall through: the second instruction
        case Op.J_LT_I:
          pc = st[base + code[pc + 1]] < st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_LE_I:
          pc = st[base + code[pc + 1]] <= st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_GT_I:
          pc = st[base + code[pc + 1]] > st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Superinstructions.ADD_I_IMM_J_GE_I:
          pc = addIImm(st, base, code, pc);
          // fall through: the second instruction
        case Op.J_GE_I:
          pc = st[base + code[pc + 1]] >= st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_EQ_I_IMM:
          pc = st[base + code[pc + 1]] == code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_NE_I_IMM:
          pc = st[base + code[pc + 1]] != code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_LT_I_IMM:
          pc = st[base + code[pc + 1]] < code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_LE_I_IMM:
          pc = st[base + code[pc + 1]] <= code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_GT_I_IMM:
          pc = st[base + code[pc + 1]] > code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_GE_I_IMM:
          pc = st[base + code[pc + 1]] >= code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_EQ_F:
          pc = real(st[base + code[pc + 1]]) == real(st[base + code[pc + 2]]) ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_NE_F:
          pc = real(st[base + code[pc + 1]]) != real(st[base + code[pc + 2]]) ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_LT_F:
          pc = real(st[base + code[pc + 1]]) < real(st[base + code[pc + 2]]) ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_LE_F:
          pc = real(st[base + code[pc + 1]]) <= real(st[base + code[pc + 2]]) ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_NLT_F:
          pc = !(real(st[base + code[pc + 1]]) < real(st[base + code[pc + 2]])) ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.J_NLE_F:
          pc = !(real(st[base + code[pc + 1]]) <= real(st[base + code[pc + 2]])) ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Superinstructions.ADD_I_FOR_I:
          pc = addI(st, base, code, pc);
          // fall through: the second instruction
        case Op.FOR_I:
          pc = ++st[base + code[pc + 1]] < st[base + code[pc + 2]] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.FOR_I_IMM:
          pc = ++st[base + code[pc + 1]] < code[pc + 2] ? taken(code[pc + 3], pc) : pc + 4;
          break;
        case Op.NEW_ARRAY:
          st[base + code[pc + 1]] = heap.allocate(st[base + code[pc + 2]], code[pc + 3]);
          words = heap.words();
          pc += 4;
          break;
        case Op.HEAP_MARK:
          st[base + code[pc + 1]] = heap.mark();
          pc += 2;
          break;
        case Op.HEAP_FREE:
          heap.release(st[base + code[pc + 1]]);
          pc += 2;
          break;
        case Op.LEN:
          st[base + code[pc + 1]] = heap.length(st[base + code[pc + 2]]);
          pc += 3;
          break;
        case Op.ALOAD:
          st[base + code[pc + 1]] =
              words.get(
                  Heap.elementWord(
                      words, Heap.headerWord(st[base + code[pc + 2]]), st[base + code[pc + 3]],
                      code[pc + 4]));
          pc += 5;
          break;
        case Op.ASTORE:
          words.put(
              Heap.elementWord(
                  words, Heap.headerWord(st[base + code[pc + 1]]), st[base + code[pc + 2]],
                  code[pc + 4]),
              st[base + code[pc + 3]]);
          pc += 5;
          break;
        case Superinstructions.ADD_I_IMM_CALL:
          pc = addIImm(st, base, code, pc);
          // fall through: the second instruction
        case Op.CALL:
          {
            int f = code[pc + 2];
            int calleeBase = base + code[pc + 3];
            if ((levelsLeft -= frameLevels[f]) < 0) {
              throw new KilnRuntimeError(RuntimeErrorKind.STACK_OVERFLOW, code[pc + 4]);
            }
            if (--budget < 0 && poll(pc)) {
              callCompiled(st, base, pc);
              pc += CALL_LENGTH;
              break;
            }
            if (calleeBase + frameSizes[f] > st.length) {
              st = grow(st, calleeBase + frameSizes[f]);
            }
            if (depth == calls.length) {
              calls = Arrays.copyOf(calls, depth * 2);
            }
            calls[depth++] = pc;
            base = calleeBase;
            pc = entries[f];
            break;
          }
        case Superinstructions.ADD_I_RET:
          pc = addI(st, base, code, pc);
          // fall through: the second instruction
        case Op.RET:
          {
            long v = st[base + code[pc + 1]];
            int call = calls[--depth];
            levelsLeft += frameLevels[code[call + 2]];
            base -= code[call + 3];
            st[base + code[call + 1]] = v;
            pc = call + CALL_LENGTH;
            break;
          }
        case Op.RET_VOID:
          if (depth == 0) {
            return;
          }
          pc = calls[--depth];
          levelsLeft += frameLevels[code[pc + 2]];
          base -= code[pc + 3];
          pc += CALL_LENGTH;
          break;
        case Op.PRINT_I:
          out.printInt(st[base + code[pc + 1]]);
          out.separator(code[pc + 2] == 1);
          pc += 3;
          break;
        case Op.PRINT_F:
          out.printFloat(real(st[base + code[pc + 1]]));
          out.separator(code[pc + 2] == 1);
          pc += 3;
          break;
        case Op.PRINT_B:
          out.printBool(st[base + code[pc + 1]] != 0);
          out.separator(code[pc + 2] == 1);
          pc += 3;
          break;
        case Op.PRINT_S:
          out.printText(strings[code[pc + 1]]);
          out.separator(code[pc + 2] == 1);
          pc += 3;
          break;
        case Op.ASSERT:
          if (st[base + code[pc + 1]] == 0) {
            throw new KilnRuntimeError(RuntimeErrorKind.ASSERTION_FAILED, code[pc + 2]);
          }
          pc += 3;
          break;
        case Superinstructions.RESUME:
          {
            int f = function();
            long v = compiled.resume(f, resumeAt,
                Arrays.copyOfRange(st, base, base + frameSizes[f]), levelsLeft + frameLevels[f]);
            words = heap.words();
            if (depth == 0) {
              return;
            }
            int call = calls[--depth];
            levelsLeft += frameLevels[f];
            base -= code[call + 3];
            if (returnsValue[f]) {
              st[base + code[call + 1]] = v;
            }
            pc = call + CALL_LENGTH;
            break;
          }
        default:
          throw new IllegalStateException("bad opcode " + code[pc] + " at " + pc);
      }
    }
  }

  // The instructions that begin fused sequences, shared by their own cases and the fused ones.

  private static int mulF(long[] st, int base, int[] code, int pc) {
    st[base + code[pc + 1]] = bits(real(st[base + code[pc + 2]]) * real(st[base + code[pc + 3]]));
    return pc + 4;
  }

  private static int addI(long[] st, int base, int[] code, int pc) {
    st[base + code[pc + 1]] = st[base + code[pc + 2]] + st[base + code[pc + 3]];
    return pc + 4;
  }

  private static int addIImm(long[] st, int base, int[] code, int pc) {
    st[base + code[pc + 1]] = st[base + code[pc + 2]] + code[pc + 3];
    return pc + 4;
  }

  private static double real(long bits) {
    return Double.longBitsToDouble(bits);
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  /**
   * The next pc of the branch at {@code pc} taken to {@code target}; counts a back edge, after
   * which a frame handed over to compiled code goes on there ({@link Superinstructions#RESUME}).
   * Small enough for HotSpot to inline at every site, with the rare work in {@link #poll}.
   */
  private int taken(int target, int pc) {
    if (target <= pc && --budget < 0 && poll(pc) && compiled.resumes(function(), target)) {
      resumeAt = target;
      return code.length - 1;
    }
    return target;
  }

  /** The function of the innermost frame. */
  private int function() {
    return functionOfFrame(depth);
  }

  /** The function of frame {@code k}, 0 being main's, {@link #depth} the innermost. */
  private int functionOfFrame(int k) {
    return k == 0 ? program.mainIndex() : code[calls[k - 1] + 2];
  }

  /**
   * Makes the {@code CALL} at {@code pc}, whose levels are taken, in compiled code: its arguments
   * are in the callee's first slots, and its result goes to the caller's result slot.
   */
  private void callCompiled(long[] st, int base, int pc) {
    int f = code[pc + 2];
    int calleeBase = base + code[pc + 3];
    long v = compiled.call(f, Arrays.copyOfRange(st, calleeBase, calleeBase + paramCounts[f]),
        levelsLeft + frameLevels[f]);
    words = heap.words();
    levelsLeft += frameLevels[f];
    if (returnsValue[f]) {
      st[base + code[pc + 1]] = v;
    }
  }

  /**
   * Starts a new interval of calls and back edges, after the one just counted out: fails with
   * {@code time limit exceeded} once the deadline passed, and hands the program over to compiled
   * code once it is due.
   *
   * @return whether the program runs in compiled code: the call or back edge at {@code pc} goes
   *     there
   */
  private boolean poll(int pc) {
    if (deadline.expired()) {
      throw new KilnRuntimeError(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, program.positionAt(pc));
    }
    if (tierUp != null && (untilTierUp -= interval + 1) <= 0) {
      compiled = tierUp.compile(resumptions(pc));
      tierUp = null;
      untilTierUp = Long.MAX_VALUE;
      words = heap.words();
    }
    budget = interval = nextInterval();
    return compiled != null;
  }

  /**
   * The budget of the next interval: zero once handed over, so that every call and back edge
   * reaches {@link #poll}; else the calls and back edges until the clock is read again, or until
   * compiled code is due if sooner.
   */
  private int nextInterval() {
    return compiled != null ? 0 : (int) Math.min(Deadline.INTERVAL, Math.max(untilTierUp - 1, 0));
  }

  /**
   * The loop headers at which each function's frames go on in compiled code, by function index
   * (null for none), when the call or back edge at {@code pc} hands the program over: the back
   * edge's own target, and for each frame where it goes on after its call returns
   * ({@link LoopEntries}).
   */
  private BitSet[] resumptions(int pc) {
    BitSet[] headers = new BitSet[program.functions().size()];
    int[] original = program.code();
    for (int k = 0; k <= depth; k++) {
      int f = functionOfFrame(k);
      if (headers[f] == null) {
        headers[f] = new BitSet();
      }
      int at = k < depth ? calls[k] : pc;
      if (original[at] == Op.CALL) {
        LoopEntries.resumptions(program, f, at + CALL_LENGTH, headers[f]);
      } else {
        headers[f].set(Op.target(original, at));
      }
    }
    return headers;
  }

  private static KilnRuntimeError divisionByZero(int position) {
    return new KilnRuntimeError(RuntimeErrorKind.DIVISION_BY_ZERO, position);
  }

  /**
   * The value stack, larger, to hold {@code needed} slots: the levels already bound it, so it
   * never outgrows {@link #maxStackSlots} (the frames of a chain overlap in their arguments).
   * Past a quarter of the limit it grows straight to the limit: the old and the new array are
   * both live during the copy, and G1 places arrays this large in contiguous regions it never
   * moves, so a 12.5 and a 25 MiB array could not fit a 64 MiB heap where 6 and 25 MiB do.
   */
  private long[] grow(long[] stack, int needed) {
    long doubled = Math.max(needed, 2L * stack.length);
    return Arrays.copyOf(stack, (int) (doubled > maxStackSlots / 4 ? maxStackSlots : doubled));
  }
}
