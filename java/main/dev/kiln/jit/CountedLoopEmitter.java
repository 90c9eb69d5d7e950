package dev.kiln.jit;

import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;
import static dev.kiln.asm.Reg.R13;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;

/**
 * The code that the fast version of a {@link CountedLoops.Loop} adds to the loop: its entry test
 * and its strip-mined back edge. The strip limit lives in the context block ({@link
 * JitContext#STRIP_LIMIT}): a fast loop makes no calls, so no other loop can use the cell while
 * it runs, and compiled code needs no register for it. Uses rax, rcx and rdx.
 */
final class CountedLoopEmitter extends InstructionEmitter {
  private static final Mem STRIP_LIMIT = Mem.qword(R13, JitContext.STRIP_LIMIT);

  CountedLoopEmitter(EmitContext ctx, Slots slots) {
    super(ctx, slots);
  }

  /**
   * Jumps to {@code checked} unless the conditions of {@link CountedLoops.Loop} hold for the
   * counter's value on entry.
   */
  void entryTest(CountedLoops.Loop loop, Label checked) {
    boolean up = loop.up();
    if (loop.stepInSlot()) {
      // One unsigned compare bounds the step: up, step - 1 < 2^31; down, -step - 1 = ~step < 2^31.
      Reg step = slots.inReg(loop.step(), RAX);
      if (up) {
        a.lea(RAX, Mem.qword(step, -1));
      } else {
        if (step != RAX) {
          a.mov(RAX, step);
        }
        a.not(RAX);
      }
      a.cmp(RAX, CountedLoops.MAX_STEP - 1);
      a.jcc(Cond.A, checked);
    }
    Reg limit = limit(loop);
    if (loop.testsOverflow()) {
      a.mov(RAX, limit);
      if (loop.stepInSlot()) {
        a.add(RAX, slots.inReg(loop.step(), RCX));
      } else {
        a.add(RAX, loop.step());
      }
      a.jcc(Cond.O, checked); // counter + step could wrap past the limit test
    }
    if (loop.arrays().length == 0 || loop.boundsKnown()) {
      return;
    }
    Reg counter = slots.inReg(loop.counter(), RCX);
    a.cmp(counter, limit);
    a.jcc(loop.cond().negate(), checked); // the first value passes the loop's condition
    if (up) {
      a.test(counter, counter);
      a.jcc(Cond.L, checked);
    } else {
      a.cmp(limit, loop.cond() == Cond.G ? -1 : 0);
      a.jcc(Cond.L, checked);
    }
    for (int array : loop.arrays()) {
      Mem length = Mem.qword(slots.inReg(array, RAX), 0);
      if (up) {
        a.cmp(limit, length); // the last value: below the limit (<) or the limit itself (<=)
        a.jcc(loop.cond() == Cond.L ? Cond.G : Cond.GE, checked);
      } else {
        a.cmp(counter, length); // the first value is the largest
        a.jcc(Cond.AE, checked);
      }
    }
  }

  /** The limit, in its register or loaded into rdx. */
  private Reg limit(CountedLoops.Loop loop) {
    if (loop.limitInSlot()) {
      return slots.inReg(loop.limit(), RDX);
    }
    a.mov(RDX, loop.limit());
    return RDX;
  }

  /**
   * The strip limit: {@link CountedLoops#STRIP_ITERATIONS} steps ahead of the counter, or the
   * loop's limit if that is nearer or the sum overflows. The counter passes the loop's condition
   * here, so it passes the strip's too: each strip runs at least one iteration.
   */
  private void nextStrip(CountedLoops.Loop loop) {
    Reg limit = limit(loop);
    if (loop.stepInSlot()) {
      Reg step = slots.inReg(loop.step(), RAX);
      if (step != RAX) {
        a.mov(RAX, step);
      }
      a.shl(RAX, CountedLoops.LOG_STRIP_ITERATIONS); // at most 2^41 in magnitude: checked on entry
    } else {
      a.mov(RAX, (long) loop.step() << CountedLoops.LOG_STRIP_ITERATIONS);
    }
    Label nearer = a.label();
    Label set = a.label();
    a.add(RAX, slots.inReg(loop.counter(), RCX));
    a.jcc(Cond.O, nearer);
    a.cmp(RAX, limit);
    a.jcc(loop.up() ? Cond.LE : Cond.GE, set);
    a.bind(nearer);
    a.mov(RAX, limit);
    a.bind(set);
    a.mov(STRIP_LIMIT, RAX);
  }

  /**
   * The fast version's back edge: the loop goes on to {@code header} while the counter passes
   * the strip's limit, which implies the loop's; at a strip's end it polls the time limit (to
   * the loop's position), then, at {@code test}, leaves for {@code exit} if the counter fails the
   * loop's condition, or starts the next strip. The loop's entry jumps to {@code test}: the
   * same test as a while loop's condition or a for loop's guard, and the first strip.
   */
  void stripBackEdge(CountedLoops.Loop loop, Label header, Label exit, Label test) {
    if (loop.incrementsAtBackEdge(ctx.code)) {
      slots.aluImm(AluOp.ADD, loop.counter(), 1);
    }
    a.cmp(slots.inReg(loop.counter(), RAX), STRIP_LIMIT);
    a.jcc(loop.cond(), header);
    ctx.poll(ctx.program.positionAt(loop.backEdge()));
    a.bind(test);
    Reg limit = limit(loop);
    a.cmp(slots.inReg(loop.counter(), RAX), limit);
    a.jcc(loop.cond().negate(), exit);
    nextStrip(loop);
    a.jmp(header);
  }
}
