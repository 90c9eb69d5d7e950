package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R13;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RSP;
import static dev.kiln.asm.Xmm.XMM0;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Xmm;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.vm.Limits;
import dev.kiln.vm.RuntimeErrorKind;

/**
 * Calls between Kiln functions in the internal convention of {@link Frame}: arguments, the call
 * depth limit (r15 = levels still allowed before {@link Limits#MAX_CALL_DEPTH}, a frame taking
 * {@link Inlined#frameLevels}) and the stack guard, and guard clauses ({@link EarlyReturn}), both before a function's prologue and inlined
 * at its call sites.
 */
final class CallEmitter extends InstructionEmitter {
  /** How many instructions ahead a call looks for the next call (see {@link #call}). */
  private static final int CALL_LOOKAHEAD = 32;

  private final CallGraph calls;
  /** Each function's guard clause, or null; its call sites test it too (see {@link #call}). */
  private final EarlyReturn[] guards;
  /** Where a function goes on after its guard clause: the prologue, which calls past the guard enter. */
  private final Label[] bodies;
  /** Whether calls compare rsp with the stack guard: only if the depth limit alone cannot. */
  private final boolean stackGuard;
  /** Whether r15 already counts the frame of the next call (see {@link #call}). */
  private boolean depthCounted;

  CallEmitter(EmitContext ctx, Slots slots, CallGraph calls, EarlyReturn[] guards, Label[] bodies,
      boolean stackGuard) {
    super(ctx, slots);
    this.calls = calls;
    this.guards = guards;
    this.bodies = bodies;
    this.stackGuard = stackGuard;
  }

  /** Starts a function: no call counted yet. */
  void begin() {
    depthCounted = false;
  }

  /** {@code d = f(first, first + 1, ...)}; {@code d} < 0 for no result. */
  void call(int pc, int d, int f, int first, int position) {
    FunctionInfo callee = ctx.program.function(f);
    int n = callee.params().size();
    // Stack arguments first: they use rax as scratch, which then carries a register argument.
    for (int j = Frame.ARGUMENT_REGISTERS.size(); j < n; j++) {
      a.mov(Mem.qword(RSP, 8 * j), slots.inReg(first + j, RAX));
    }
    for (int j = 0; j < n && j < Frame.ARGUMENT_REGISTERS.size(); j++) {
      Xmm floatArgument = Frame.floatArgument(callee, j);
      if (floatArgument != null) {
        slots.toXmm(floatArgument, first + j); // no argument is handed over in xmm0 or xmm1
      } else {
        slots.load(Frame.ARGUMENT_REGISTERS.get(j), first + j);
      }
    }
    // The interpreter's depth limit: r15 levels are still allowed. A leaf makes no calls, so its
    // frame need not be counted in r15, only allowed. After a counted call r15 stays counted if
    // the next instruction to make a call is one of as many levels, straight on: that call cannot
    // fail either.
    boolean leaf = calls.isLeaf(f);
    int levels = ctx.inlined.frameLevels(f);
    boolean check = leaf || !depthCounted || stackGuard;
    Label overflow = check ? ctx.error(RuntimeErrorKind.STACK_OVERFLOW, position) : null;
    if (leaf) {
      requireLevels(levels, overflow);
    } else if (!depthCounted) {
      a.sub(R15, levels);
      a.jcc(Cond.B, overflow);
    }
    if (stackGuard) {
      a.cmp(RSP, Mem.qword(R13, JitContext.STACK_GUARD));
      a.jcc(Cond.B, overflow);
    }
    // The callee's guard clause, inlined on the arguments: when it holds, its result is the
    // call's without a call. It comes after the depth check, as the interpreter counts the frame
    // anyway, and before the count is given back, so both paths leave r15 alike.
    EarlyReturn guard = guards[f];
    Label join = null;
    if (guard != null) {
      Label enter = a.label();
      join = a.label();
      testGuard(guard, enter);
      if (d >= 0 && guard.result() != null) {
        slots.store(d, guard.result());
      } else if (d >= 0) {
        slots.constant(d, guard.constant());
      }
      a.jmp(join);
      a.bind(enter);
    }
    a.call(bodies[f]);
    if (d >= 0 && Frame.returnsFloat(callee)) {
      slots.fromXmm(d, XMM0);
    } else if (d >= 0) {
      slots.store(d, RAX);
    }
    if (join != null) {
      a.bind(join);
    }
    if (!leaf) {
      depthCounted = nextCallIsCountedStraightOn(pc, levels);
      if (!depthCounted) {
        a.add(R15, levels);
      }
    }
  }

  /** Goes to {@code overflow} unless r15 allows {@code levels} more levels. */
  private void requireLevels(int levels, Label overflow) {
    if (levels == 1) {
      a.test(R15, R15);
      a.jcc(Cond.E, overflow);
    } else {
      a.cmp(R15, levels);
      a.jcc(Cond.B, overflow);
    }
  }

  /**
   * Whether the first call after the one at {@code pc} is to a function that is not a leaf, whose
   * frame takes {@code levels} levels, and comes before any jump, jump target or return, within a
   * short look-ahead.
   */
  private boolean nextCallIsCountedStraightOn(int pc, int levels) {
    int[] code = ctx.code;
    int end = ctx.functionEnd;
    int next = pc + Op.length(code[pc]);
    for (int steps = 0; steps < CALL_LOOKAHEAD && next < end; steps++) {
      int op = code[next];
      if (ctx.label(next) != null || Op.isBranch(op) || op == Op.RET || op == Op.RET_VOID) {
        return false;
      }
      if (op == Op.CALL) {
        return !calls.isLeaf(code[next + 2]) && ctx.inlined.frameLevels(code[next + 2]) == levels;
      }
      Inlined.Boundary inlinedCall = ctx.inlined.boundary(next);
      if (inlinedCall != null) {
        return inlinedCall.enter() && inlinedCall.counted()
            && ctx.inlined.frameLevels(inlinedCall.callee()) == levels;
      }
      next += Op.length(op);
    }
    return false;
  }

  /**
   * Where an inlined call's body starts or ends ({@link Inlined.Boundary}), the depth limit as
   * {@link #call} keeps it. A counted body takes its levels on entry (unless r15 already counts
   * them, see {@link #depthCounted}) and gives them back at its end; an uncounted one makes no
   * call and only tests that its frame is allowed: r15 must allow its levels beyond those it does
   * not count, of the enclosing uncounted bodies and of this function if it is a leaf, except
   * main: the entry stub counts main's frame (a leaf main is entered from there only).
   */
  void inlinedCallBoundary(int pc, Inlined.Boundary b) {
    int levels = ctx.inlined.frameLevels(b.callee());
    int f = ctx.functionIndex;
    int ownUncounted = calls.isLeaf(f) && f != ctx.program.mainIndex() ? ctx.inlined.frameLevels(f) : 0;
    if (b.enter() && !b.counted()) {
      requireLevels(b.uncountedLevels() + ownUncounted + levels,
          ctx.error(RuntimeErrorKind.STACK_OVERFLOW, b.position()));
    } else if (b.enter()) {
      if (!depthCounted) {
        // An accumulating loop whose calls are all iterations is a leaf: r15 does not count its
        // own frame, so each iteration needs its frame's levels allowed beyond those it takes.
        boolean leafLoop = b.loop() && ownUncounted > 0;
        Label overflow = ctx.error(RuntimeErrorKind.STACK_OVERFLOW, b.position());
        a.sub(R15, levels);
        if (leafLoop && ownUncounted == 1) {
          a.jcc(Cond.BE, overflow);
        } else {
          a.jcc(Cond.B, overflow);
          if (leafLoop) {
            requireLevels(ownUncounted, overflow);
          }
        }
      }
      depthCounted = false;
    } else if (b.counted()) {
      depthCounted = nextCallIsCountedStraightOn(pc, levels);
      if (!depthCounted) {
        a.add(R15, levels);
      }
    }
  }

  /**
   * An accumulating loop's return ({@link AccumulatorRecursion}): r15 gets back the levels its
   * iterations took, summed in slot {@code levels}, as the returns of their calls would give them.
   */
  void giveBackLevels(int levels) {
    slots.alu(AluOp.ADD, R15, levels);
  }

  /** The guard clause of the current function, or null: it then resumes after the clause. */
  EarlyReturn guardClause() {
    return guards[ctx.functionIndex];
  }

  /** The guard clause before the prologue: its branch goes on to the prologue, which follows. */
  void emitGuardClause(EarlyReturn early) {
    for (int pc : early.pcs()) {
      ctx.mark(pc);
      if (ctx.listing) {
        a.comment(ctx.describe(pc) + " (before the prologue)");
      }
    }
    Label prologue = bodies[ctx.functionIndex];
    testGuard(early, prologue);
    if (ctx.returnsFloat()) {
      if (early.result() != null) {
        a.movq(XMM0, early.result());
      } else if (early.constant() == 0) {
        a.xorpd(XMM0, XMM0);
      } else {
        a.movq(XMM0, a.constantBits(early.constant()));
      }
    } else if (early.result() != null) {
      if (early.result() != RAX) {
        a.mov(RAX, early.result());
      }
    } else if (early.constant() == 0) {
      a.xor(EAX, EAX);
    } else {
      a.mov(RAX, early.constant());
    }
    a.ret();
    a.bind(prologue);
  }

  /** Compares the guard's operands, in their argument registers, and goes on to {@code body} if it fails. */
  private void testGuard(EarlyReturn early, Label body) {
    if (early.right() != null) {
      a.cmp(early.left(), early.right());
    } else {
      a.cmp(early.left(), early.imm());
    }
    a.jcc(early.cond(), body);
  }
}
