package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Strength reduction of a product of an induction variable and a loop invariant. In a loop whose
 * header parameter {@code i} every back edge passes as {@code iadd i, s} ({@code s} a constant),
 * an {@code imul i, c} with {@code c} defined outside the loop becomes a new header parameter
 * {@code t}: the preheader passes {@code imul start, c} (a constant when both are) and computes
 * the step {@code c * s} once; the header's first instruction, {@code iadd t, step}, is what every
 * back edge passes (the header dominates them all). Wrapping arithmetic makes
 * {@code t == i * c} on every iteration whatever the values, so nothing can trap or differ; the
 * loop trades a multiply for an add. Products used as operands of a memory access or bounds check
 * stay, as the proofs of in-bounds accesses read them (docs/ir.md); at most
 * {@link Thresholds#REDUCED_PRODUCTS_PER_LOOP} per loop, each a register live across it.
 */
public final class InductionProducts implements Pass {
  @Override
  public String name() {
    return "iv-products";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.IMUL) || !multipliesAParameter(f)) {
      return;
    }
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    if (nest.count() == 0) {
      return;
    }
    Definitions defs = new Definitions(f);
    int[] defBlock = Definitions.blocks(f);
    boolean[] addressed = addressed(f);
    Map<Value, Long> steps = new HashMap<>();
    int[] reduced = new int[nest.count()];
    Block[] preheaders = new Block[nest.count()];
    Value[] replacement = new Value[f.valueCount()];
    boolean changed = false;
    for (Block b : List.copyOf(f.blocks())) {
      for (Instruction m : List.copyOf(b.instructions())) {
        if (m.opcode() != Opcode.IMUL || addressed[m.result().id()]) {
          continue;
        }
        for (int side = 0; side < 2; side++) {
          Value i = m.arg(side);
          Value c = m.arg(1 - side);
          int loop = loopOf(i, b, nest, defs, defBlock);
          if (loop < 0 || nest.contains(loop, defBlock[c.id()])
              || reduced[loop] == Thresholds.REDUCED_PRODUCTS_PER_LOOP) {
            continue;
          }
          if (!steps.containsKey(i)) {
            steps.put(i, step(i, loop, nest, dom, defs));
          }
          Long s = steps.get(i);
          if (s == null) {
            continue;
          }
          if (preheaders[loop] == null) {
            preheaders[loop] = LoopInvariantCodeMotion.preheader(f, loop, dom, nest);
          }
          replacement[m.result().id()] = reduce(f, loop, nest, dom, preheaders[loop], i, c, s,
              defs, m.position());
          reduced[loop]++;
          changed = true;
          break;
        }
      }
    }
    if (changed) {
      f.replaceUses(replacement);
    }
  }

  /** Which values are operands of a load, store or bounds check. */
  private static boolean[] addressed(Function f) {
    boolean[] addressed = new boolean[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        Opcode op = inst.opcode();
        if (op == Opcode.LOAD || op == Opcode.STORE || op == Opcode.BOUNDS_CHECK) {
          for (int a = 0; a < inst.argCount(); a++) {
            addressed[inst.arg(a).id()] = true;
          }
        }
      }
    }
    return addressed;
  }

  /**
   * Whether an {@code imul} has a block parameter for an operand, as a product of a loop's counter
   * has: without one there is nothing to do, and the loop nest need not be built (a Brainfuck
   * program multiplies only cells it loaded).
   */
  private static boolean multipliesAParameter(Function f) {
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.IMUL
            && (inst.arg(0).definition() == null || inst.arg(1).definition() == null)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The loop whose header has parameter {@code i} and which contains block {@code b}, or -1 if
   * {@code i} is not such a parameter.
   */
  private static int loopOf(Value i, Block b, LoopNest nest, Definitions defs, int[] defBlock) {
    if (defs.of(i) != null || i.id() >= defBlock.length) {
      return -1;
    }
    int loop = nest.innermost(defBlock[i.id()]);
    return loop >= 0 && nest.header(loop).id() == defBlock[i.id()] && nest.contains(loop, b.id())
        ? loop : -1;
  }

  /**
   * The constant step of header parameter {@code i} of {@code loop} if every back edge passes
   * {@code iadd i, s} with the same constant {@code s}, else null.
   */
  private static Long step(Value i, int loop, LoopNest nest, DominatorTree dom,
      Definitions defs) {
    Block h = nest.header(loop);
    int k = h.params().indexOf(i);
    Long step = null;
    for (Block p : dom.predecessors(h)) {
      if (!nest.contains(loop, p.id())) {
        continue;
      }
      for (BlockCall call : p.terminator().targets()) {
        if (call.target() != h) {
          continue;
        }
        Instruction next = defs.of(call.args().get(k));
        if (next == null || next.opcode() != Opcode.IADD) {
          return null;
        }
        Long s = next.arg(0) == i ? defs.constant(next.arg(1))
            : next.arg(1) == i ? defs.constant(next.arg(0)) : null;
        if (s == null || step != null && !step.equals(s)) {
          return null;
        }
        step = s;
      }
    }
    return step;
  }

  /**
   * Adds {@code loop}'s parameter {@code t == i * c}, {@code i} stepping by {@code s}, its first
   * value and step computed in the preheader {@code pre}.
   */
  private static Value reduce(Function f, int loop, LoopNest nest, DominatorTree dom, Block pre,
      Value i, Value c, long s, Definitions defs, int position) {
    Block h = nest.header(loop);
    BlockCall enter = pre.terminator().targets().get(0);
    Value start = enter.args().get(h.params().indexOf(i));
    Value first = product(f, pre, start, defs.constant(start), c, defs.constant(c), position);
    Value step = s == 1 ? c : product(f, pre, c, defs.constant(c), null, s, position);
    Value t = h.addParam(Type.I64);
    enter.addArg(first);
    // stepped at the top of the header, which dominates every back edge
    Instruction next = f.newArithmetic(Opcode.IADD, position, t, step);
    h.insert(0, next);
    for (Block p : dom.predecessors(h)) {
      if (!nest.contains(loop, p.id())) {
        continue;
      }
      for (BlockCall call : p.terminator().targets()) {
        if (call.target() == h) {
          call.addArg(next.result());
        }
      }
    }
    return t;
  }

  /**
   * {@code a * b} at the end of {@code pre}, {@code x} and {@code y} their constant values or
   * null ({@code b} may be null if {@code y} is not): a constant if both are or one is 0.
   */
  private static Value product(Function f, Block pre, Value a, Long x, Value b, Long y,
      int position) {
    if (x != null && y != null) {
      return constant(f, pre, x * y);
    }
    if (x != null && x == 0 || y != null && y == 0) {
      return constant(f, pre, 0);
    }
    if (b == null) {
      b = constant(f, pre, y);
    }
    Instruction mul = f.newArithmetic(Opcode.IMUL, position, a, b);
    pre.insertBeforeTerminator(mul);
    return mul.result();
  }

  private static Value constant(Function f, Block pre, long value) {
    Instruction c = f.newConstant(Type.I64, value);
    pre.insertBeforeTerminator(c);
    return c.result();
  }
}
