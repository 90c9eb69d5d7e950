package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.vm.Limits;
import java.util.Arrays;

/**
 * Accumulator recursion elimination, as a rewrite of a function's code before the {@link
 * Inliner} inlines into it (the interpreter runs the original). In a directly recursive function
 * whose returns include {@code return x + f(args)} (or {@code *}), compiled by the front end as
 *
 * <pre>
 *   CALL t, f, s, p ; OP r, x, t ; RET r      (OP: ADD_I, MUL_I; or ADD_I_IMM/MUL_I_IMM r, t, c)
 * </pre>
 *
 * each such call becomes an iteration of a loop around the function's code, with an accumulator
 * that starts at the operator's identity:
 *
 * <pre>
 *   [the guard clause, if any: J... t0; ...; RET e — as it is]
 *   t0: CONST_I acc, 0 (1 for *) ; CONST_I levels, 0
 *   top: ...the code...
 *   at each such site: CONST_I i, 0 (the call's depth check, {@link Inlined.Boundary})
 *                      OP acc, acc, x ; ADD_I_IMM levels, levels, L (the frame's levels)
 *                      MOV 0, s ; MOV 1, s+1 ... ; JMP top (a back edge: it polls)
 *   at every other RET e: MOV g, levels (gives the levels back) ; OP acc, acc, e ; RET acc
 * </pre>
 *
 * <p>Why this is exact. The calls that stay calls and everything else run as before, in the same
 * order: at a site, the arguments and x were computed before the call (x is a slot below the
 * arguments', which the call leaves alone; a constant needs nothing), and nothing but the call,
 * the operator and the return came after it, none of which has an effect besides the result and
 * the frame. So the run of the loop is the run of the recursion's chain of calls at those sites,
 * and what comes back is x1 op (x2 op (... op e)), which the loop computes as ((id op x1) op x2)
 * ... op e: the same, since + and * on wrapping 64-bit ints are associative and commutative
 * (two's complement arithmetic is arithmetic modulo 2^64, a commutative ring); never on floats,
 * where they are not. Each iteration is still a frame for the call-depth limit: its boundary
 * takes the frame's levels from r15 with the call's check and error at its position, the calls
 * inside the loop see the depth reduced by the iterations so far, and {@code levels} are given back
 * before the return, as the returns of the chain would. The guard clause at the top runs first
 * as it is (with the accumulator at its identity, {@code return e} is its own value) so that it
 * stays a guard clause for {@link EarlyReturn}, before the prologue and at call sites.
 *
 * @param operator ADD_I or MUL_I: the sites' operator (sites of the other stay calls)
 * @param sites the offsets of the sites' calls
 * @param guardEnd where the guard clause at the start ends, 0 if there is none
 * @param params the function's parameter count
 * @param keepsCalls whether calls of itself that are no site remain (fib's first call)
 * @param frameLevels the levels of the depth limit each iteration takes, as its call would
 */
record AccumulatorRecursion(int operator, int[] sites, int guardEnd, int params, boolean keepsCalls,
    int frameLevels) {
  /** At most this many instructions in a guard clause peeled before the loop. */
  private static final int GUARD_INSTRUCTIONS = 3;

  /**
   * The accumulating returns of function {@code f}, whose code (targets made relative) is
   * {@code code}, or null if it has none or is not a function this rewrite is for.
   */
  static AccumulatorRecursion find(Program program, int f, int[] code) {
    FunctionInfo fn = program.function(f);
    if (f == program.mainIndex() || fn.result() != ValueKind.INT) {
      return null;
    }
    boolean[] targets = new boolean[code.length + 1];
    for (int pc = 0; pc < code.length; pc += Op.length(code[pc])) {
      if (code[pc] == Op.HEAP_MARK) {
        return null; // its arrays' lifetimes follow frames: not worth the care
      }
      if (Op.isBranch(code[pc])) {
        targets[Op.target(code, pc)] = true;
      }
    }
    int operator = -1;
    int[] sites = new int[4];
    int n = 0;
    int selfCalls = 0;
    for (int pc = 0; pc < code.length; pc += Op.length(code[pc])) {
      selfCalls += code[pc] == Op.CALL && code[pc + 2] == f ? 1 : 0;
      int family = family(code, pc, f, fn.params().size(), targets);
      if (family >= 0 && (operator < 0 || family == operator)) {
        operator = family;
        if (n == sites.length) {
          sites = Arrays.copyOf(sites, 2 * n);
        }
        sites[n++] = pc;
      }
    }
    return n == 0 ? null : new AccumulatorRecursion(operator, Arrays.copyOf(sites, n), guardEnd(code, targets),
        fn.params().size(), selfCalls > n, Limits.frameLevels(fn.frameSize()));
  }

  /**
   * If a call at {@code pc} is a site ({@code CALL t, f, s, p ; OP r, x, t ; RET r}, no jump into
   * the last two, x a slot below s and not t, or a constant): its operator, ADD_I or MUL_I; else -1.
   */
  private static int family(int[] code, int pc, int f, int params, boolean[] targets) {
    if (code[pc] != Op.CALL || code[pc + 2] != f || code[pc + 3] < params) {
      return -1; // (the arguments must not overlap the parameters they become)
    }
    int t = code[pc + 1];
    int first = code[pc + 3];
    int op = pc + Op.length(Op.CALL);
    int ret = op + (op < code.length ? Op.length(code[op]) : 0);
    if (ret >= code.length || targets[op] || targets[ret] || code[ret] != Op.RET
        || code[ret + 1] != code[op + 1]) {
      return -1;
    }
    int family = switch (code[op]) {
      case Op.ADD_I, Op.ADD_I_IMM -> Op.ADD_I;
      case Op.MUL_I, Op.MUL_I_IMM -> Op.MUL_I;
      default -> -1;
    };
    if (family < 0 || code[op + 2] != t && (code[op] != Op.ADD_I && code[op] != Op.MUL_I || code[op + 3] != t)) {
      return -1;
    }
    boolean slotOperand = code[op] == Op.ADD_I || code[op] == Op.MUL_I;
    int x = code[op + 2] == t ? code[op + 3] : code[op + 2];
    return !slotOperand || x != t && x < first ? family : -1;
  }

  /**
   * Where the guard clause at the start of {@code code} ends: a conditional branch over straight
   * code that ends in a return, which nothing else jumps into; 0 if there is none.
   */
  private static int guardEnd(int[] code, boolean[] targets) {
    int op = code[0];
    if (!Op.isBranch(op) || op == Op.JMP || op == Op.FOR_I || op == Op.FOR_I_IMM) {
      return 0;
    }
    int end = Op.target(code, 0);
    int pc = Op.length(op);
    int last = -1;
    for (int k = 0; pc < end && k < GUARD_INSTRUCTIONS; k++, pc += Op.length(code[pc])) {
      if (targets[pc] || Op.isBranch(code[pc]) || code[pc] == Op.CALL || code[pc] == Op.RET_VOID) {
        return 0;
      }
      last = code[pc];
    }
    return pc == end && last == Op.RET ? end : 0;
  }

  /**
   * The site at {@code pc}'s accumulation, {@code acc = acc op x}: its opcode, then x's slot or
   * the constant.
   */
  int[] accumulation(int[] code, int pc) {
    int op = pc + Op.length(Op.CALL);
    int t = code[pc + 1];
    return switch (code[op]) {
      case Op.ADD_I, Op.MUL_I -> new int[] {code[op], code[op + 2] == t ? code[op + 3] : code[op + 2]};
      default -> new int[] {code[op], code[op + 3]};
    };
  }

  /**
   * {@code body}, the code of function {@code f} as {@link #find} saw it, as the loop (see the
   * class comment), its new slots after the frame's.
   */
  Inliner.Body rewrite(Inliner.Body body, int f) {
    int[] c = body.code();
    int acc = body.frameSize();
    int levels = acc + 1;
    int iteration = acc + 2; // the boundaries' slots, which nothing reads
    int givenBack = acc + 3;
    Inliner.Buffer out = new Inliner.Buffer(c.length + 16);
    Inliner.IntStack fixups = new Inliner.IntStack();
    int[] at = new int[c.length + 1];
    for (int pc = 0; pc < guardEnd; pc += Op.length(c[pc])) {
      out.copy(body, pc, Inliner.Slots.SAME, 0, fixups);
    }
    int[] start = new int[c.length + 1];
    start[guardEnd] = out.size; // the guard clause's branch goes on to the accumulator's start
    out.relocate(fixups, start);
    fixups = new Inliner.IntStack();
    out.instruction(body.origin()[0], body.owner()[0], null);
    out.add(Op.CONST_I, acc, identity());
    out.instruction(body.origin()[0], body.owner()[0], null);
    out.add(Op.CONST_I, levels, 0);
    int top = out.size;
    for (int pc = 0, site = 0; pc < c.length; ) {
      at[pc] = out.size;
      int from = body.origin()[pc];
      int owner = body.owner()[pc];
      if (site < sites.length && sites[site] == pc) {
        site++;
        int first = c[pc + 3];
        out.boundary(iteration, Inlined.Boundary.loopIteration(f, c[pc + 4]), from, owner);
        int[] step = accumulation(c, pc);
        out.instruction(from, owner, null);
        out.add(step[0], acc, acc, step[1]);
        out.instruction(from, owner, null);
        out.add(Op.ADD_I_IMM, levels, levels, frameLevels);
        for (int j = 0; j < params; j++) {
          out.instruction(from, owner, null);
          out.add(Op.MOV, j, first + j);
        }
        out.instruction(from, owner, null);
        out.add(Op.JMP, top);
        int op = pc + Op.length(Op.CALL);
        int ret = op + Op.length(c[op]);
        at[op] = out.size;
        at[ret] = out.size;
        pc = ret + Op.length(Op.RET);
      } else if (c[pc] == Op.RET) {
        out.instruction(from, owner, Inlined.Boundary.loopLevels(f));
        out.add(Op.MOV, givenBack, levels);
        out.instruction(from, owner, null);
        out.add(operator, acc, acc, c[pc + 1]);
        out.instruction(from, owner, null);
        out.add(Op.RET, acc);
        pc += Op.length(Op.RET);
      } else {
        out.copy(body, pc, Inliner.Slots.SAME, 0, fixups);
        pc += Op.length(c[pc]);
      }
    }
    at[c.length] = out.size;
    out.relocate(fixups, at);
    return out.body(givenBack + 1);
  }

  /** The operator's identity: the accumulator's start. */
  int identity() {
    return operator == Op.ADD_I ? 0 : 1;
  }
}
