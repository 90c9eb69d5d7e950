package dev.kiln.jit;

import dev.kiln.asm.Reg;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import java.util.Arrays;

/**
 * Small ifs that set one slot, which the code generator compiles without a branch: a diamond
 * {@code if c { s = A } else { s = B }} ("if !c goto L; A; goto M; L: B; M:") or a triangle
 * {@code if c { s = A }} ("if !c goto M; A; M:"). Both arms are computed, the condition is
 * compared as the branch would compare it, and a CMOVcc picks the value (Intel SDM Vol. 2A,
 * CMOVcc: "moves ... if the condition is satisfied"; it has no memory-destination form, and a
 * memory source is read whether or not the condition holds, so only a frame cell, always valid,
 * is ever its source). A data-dependent branch such as Collatz's {@code if n % 2 == 0}
 * mispredicts about half the time, and each misprediction costs some 15-20 cycles.
 *
 * <p>An arm qualifies when it writes no slot's home before the select, so the condition's
 * operands and the other arm's inputs stay intact whatever order the code runs in: each of its
 * instructions but the last hands its result over in rax to the next ({@link HandOvers}, which
 * proved it dead after), and the last writes the selected slot, renamed to rax by the emitter.
 * It may hold only instructions that cannot fail and have no effect but their result: integer
 * arithmetic, logic, shifts, compares into bools, moves and constants, and division or
 * remainder by 1, -1 or a power of two (a dividend the branch proved to be a multiple, see
 * {@link ExactDivisions}, computes a wrong quotient on the other path, which the select drops).
 *
 * <p>Profitability: CMOVcc makes the selected value depend on both arms and on the condition,
 * so the longer arm's latency is paid on every run, also when the branch would have been
 * predicted well. With at most {@link #MAX_ARM} cheap instructions an arm costs a few cycles
 * (imul, the slowest allowed, 3), well below one misprediction: converting loses little on a
 * predictable branch and wins much on an unpredictable one.
 */
final class IfConversions {
  /** The most instructions of one arm (the last, its result, included). */
  static final int MAX_ARM = 3;
  /**
   * The most ints an if's arms can span (folded constants and the jump between them included):
   * no instruction is longer than 5 ints.
   */
  private static final int MAX_SPAN = (2 * MAX_ARM + 1) * 5;
  /**
   * Per opcode: whether it is a branch that may start a conversion, an integer one (a float
   * branch's two jumps on NaN have no one condition code); looked up for every instruction,
   * often while the JVM still interprets this code.
   */
  private static final boolean[] INT_BRANCHES = new boolean[Op.COUNT];

  static {
    for (int op = 0; op < Op.COUNT; op++) {
      INT_BRANCHES[op] = BranchEmitter.intBranchCondition(op) != null || op == Op.JT || op == Op.JF;
    }
  }

  /**
   * A convertible if, at its conditional branch: the arm the branch falls into is {@code
   * [branch's next, fallEnd)}, the one it jumps to {@code [taken, end)} (empty for a triangle:
   * {@code taken == end}); both write {@code slot}. The arm {@code takenFirst} names is computed
   * first, into {@code held}, a scratch register the other arm's code does not use; the other
   * into the remaining one of rcx and rdx.
   */
  record Conversion(int fallEnd, int taken, int end, int slot, boolean takenFirst, Reg held) {
    boolean triangle() {
      return taken == end;
    }

    /** The register of the value of the arm the branch falls into. */
    Reg fallValue() {
      return takenFirst ? other() : held;
    }

    /** The register of the value of the arm the branch jumps to (none in a triangle). */
    Reg takenValue() {
      return takenFirst ? held : other();
    }

    private Reg other() {
      return held == Reg.RCX ? Reg.RDX : Reg.RCX;
    }
  }

  /**
   * Per instruction ({@code pc - entry}) of {@code fn}: the conversion its branch starts, or
   * null. Nothing but the branch may jump into an arm, no tail copy ({@link TailCopies}) may
   * copy a part of it, and the branch must be no inverted one ({@link BranchInversions}) nor
   * read a value handed over to it (the arms use rax first). A tail copy of a converted if's
   * jump is never made, so it neither copies nor joins anything.
   */
  static Conversion[] find(Program program, FunctionInfo fn, Frame frame, Inlined inlined,
      int[] tailCopies, boolean[] inversions) {
    IfConversions finder = new IfConversions(program.code(), fn, frame, inlined);
    int[] code = finder.code;
    int entry = fn.entry();
    Conversion[] found = new Conversion[fn.end() - entry];
    for (int pc = entry; pc < fn.end(); pc += Op.length(code[pc])) {
      if (Op.isBranch(code[pc])) {
        finder.joins[Op.target(code, pc) - entry]++;
      }
    }
    int converted = entry; // the end of the last conversion: copies of jumps before it are not made
    for (int pc = entry; pc < fn.end(); pc += Op.length(code[pc])) {
      int copyEnd = tailCopies[pc - entry];
      if (copyEnd != 0 && pc >= converted) {
        Arrays.fill(finder.copied, Op.target(code, pc) - entry, copyEnd - entry, true);
        finder.joins[copyEnd - entry]++; // where the copy's branch falls through
      }
      Conversion c = INT_BRANCHES[code[pc]] && !inversions[pc - entry]
          && frame.handOvers.at()[pc - entry] == null ? finder.at(pc) : null;
      if (c != null && finder.joins[Op.target(code, pc) - entry] == 1 && !finder.copied(pc, c.end())) {
        found[pc - entry] = c;
        converted = c.end();
      }
    }
    return found;
  }

  private final int[] code;
  private final FunctionInfo fn;
  private final Frame frame;
  private final Inlined inlined;
  /** Per instruction ({@code pc - entry}): how many branches and tail copies lead there. */
  private final int[] joins;
  /** Per instruction ({@code pc - entry}): whether a tail copy copies it. */
  private final boolean[] copied;

  private IfConversions(int[] code, FunctionInfo fn, Frame frame, Inlined inlined) {
    this.code = code;
    this.fn = fn;
    this.frame = frame;
    this.inlined = inlined;
    this.joins = new int[fn.end() - fn.entry() + 1];
    this.copied = new boolean[fn.end() - fn.entry()];
  }

  /** The diamond or triangle whose branch is at {@code pc}, or null. */
  private Conversion at(int pc) {
    int next = pc + Op.length(code[pc]);
    int target = Op.target(code, pc);
    if (target <= next || target - next > MAX_SPAN) {
      return null; // a loop's back edge, or an if too long
    }
    int last = -1;
    for (int at = next, count = 0; at < target; at += Op.length(code[at])) {
      if (++count > 2 * MAX_ARM + 1) {
        return null; // too long even with folded constants and a jump at its end
      }
      last = at;
    }
    boolean diamond = last >= 0 && code[last] == Op.JMP && Op.target(code, last) > target
        && joins[last - fn.entry()] == 0;
    int fallEnd = diamond ? last : target;
    int end = diamond ? Op.target(code, last) : target;
    int slot = armResult(next, fallEnd, false);
    if (slot < 0 || (diamond && armResult(target, end, true) != slot) || !selectable(slot)) {
      return null;
    }
    Scratch fall = Scratch.of(code, next, fallEnd);
    Scratch taken = diamond ? Scratch.of(code, target, end) : Scratch.NONE;
    // The arm computed first keeps its value in a register the other one leaves alone.
    if (!taken.rdx) {
      return new Conversion(fallEnd, target, end, slot, false, Reg.RDX);
    } else if (!taken.rcx) {
      return new Conversion(fallEnd, target, end, slot, false, Reg.RCX);
    } else if (!fall.rdx) {
      return new Conversion(fallEnd, target, end, slot, true, Reg.RDX);
    } else if (!fall.rcx) {
      return new Conversion(fallEnd, target, end, slot, true, Reg.RCX);
    }
    return null;
  }

  /**
   * The slot the arm {@code [start, end)} selects: what its last instruction writes, when the arm
   * has 1 to {@link #MAX_ARM} instructions (not counting {@link #folded} constants), all {@link
   * #harmless}, none a jump target (but the first of the arm the branch jumps to, {@code
   * entered}), each but the last handing its result over to the next or folded; -1 if it does not
   * qualify.
   */
  private int armResult(int start, int end, boolean entered) {
    int count = 0;
    int last = -1;
    for (int pc = start; pc < end; pc += Op.length(code[pc])) {
      boolean joined = joins[pc - fn.entry()] > 0 && !(entered && pc == start);
      if (joined || !harmless(pc) || (last >= 0 && !handsOver(last) && !folded(last))
          || (!folded(pc) && ++count > MAX_ARM)) {
        return -1;
      }
      last = pc;
    }
    if (last < 0 || handed(last, Op.resultSlot(code, last))) {
      return -1;
    }
    return Op.resultSlot(code, last);
  }

  /**
   * Whether the instruction at {@code pc} sets a folded constant ({@link SlotAllocator}), which
   * has no code: its uses take the constant as an immediate.
   */
  private boolean folded(int pc) {
    return code[pc] == Op.CONST_I && frame.folded[code[pc + 1]];
  }

  /** Whether the instruction at {@code pc} hands its result over to the next in a register. */
  private boolean handsOver(int pc) {
    return handed(pc, Op.resultSlot(code, pc));
  }

  private boolean handed(int pc, int slot) {
    HandOvers.HandOver[] here = frame.handOvers.at()[pc - fn.entry()];
    if (here != null) {
      for (HandOvers.HandOver h : here) {
        if (h.slot() == slot && h.register() == Reg.RAX) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a CMOVcc can write {@code slot}: it has a general register or a frame cell. */
  private boolean selectable(int slot) {
    return slot >= 0 && !frame.folded[slot] && frame.xmmRegisters[slot] == null
        && !frame.handOvers.only()[slot];
  }

  /** Whether the instruction at {@code pc} cannot fail and has no effect but its result. */
  private boolean harmless(int pc) {
    int op = code[pc];
    if (frame.handOvers.zeroTests()[pc - fn.entry()] != null) {
      return false;
    }
    return switch (op) {
      case Op.MOV, Op.CONST_K, Op.ADD_I, Op.SUB_I, Op.MUL_I, Op.AND_I, Op.OR_I, Op.XOR_I, Op.SHL_I,
          Op.SHR_I, Op.USHR_I, Op.ADD_I_IMM, Op.MUL_I_IMM, Op.AND_I_IMM, Op.OR_I_IMM, Op.XOR_I_IMM,
          Op.SHL_I_IMM, Op.SHR_I_IMM, Op.USHR_I_IMM, Op.NEG_I, Op.NOT_I, Op.NOT_B, Op.EQ_I, Op.NE_I,
          Op.LT_I, Op.LE_I -> true;
      case Op.CONST_I -> inlined.boundary(pc) == null;
      // Power-of-two divisors are shifts; others would take a multiplication by a reciprocal.
      case Op.DIV_I_IMM, Op.REM_I_IMM -> {
        int imm = code[pc + 3];
        yield imm == -1 || (imm > 0 && Integer.bitCount(imm) == 1);
      }
      default -> false;
    };
  }

  /** Whether a tail copy copies any instruction of {@code [start, end)}. */
  private boolean copied(int start, int end) {
    for (int pc = start; pc < end; pc++) {
      if (copied[pc - fn.entry()]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the code of the instruction at {@code pc} may compute its result into {@code r}, one
   * of rcx and rdx: it uses r for nothing else (it may use rax, whose value it then leaves
   * there, see {@link Slots#resultIn}).
   */
  static boolean computesInto(int[] code, int pc, Reg r) {
    Scratch used = Scratch.of(code, pc, pc + Op.length(code[pc]));
    return !(r == Reg.RCX ? used.rcx : used.rdx);
  }

  /**
   * The scratch registers besides rax that an arm's code uses: variable shifts load their count
   * into rcx; division and remainder by 2^k round toward zero with rcx, and the remainder
   * subtracts the rounded quotient from rdx ({@link DivisionEmitter}).
   */
  private record Scratch(boolean rcx, boolean rdx) {
    static final Scratch NONE = new Scratch(false, false);

    static Scratch of(int[] code, int start, int end) {
      boolean rcx = false;
      boolean rdx = false;
      for (int pc = start; pc < end; pc += Op.length(code[pc])) {
        switch (code[pc]) {
          case Op.SHL_I, Op.SHR_I, Op.USHR_I, Op.DIV_I_IMM -> rcx = true;
          case Op.REM_I_IMM -> {
            rcx = true;
            rdx = true;
          }
          default -> { }
        }
      }
      return new Scratch(rcx, rdx);
    }
  }
}
