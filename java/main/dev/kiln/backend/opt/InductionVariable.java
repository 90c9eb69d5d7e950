package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.List;

/**
 * A counted induction variable of a loop and where its range is known. The header
 * has one edge from outside (passing {@code start}) and one back edge (the latch, passing
 * {@code next = iadd i, step} with {@code step} invariant), and a block on every path from the
 * header to the latch ends in the loop's test, a {@code brif} on {@code icmp slt|sle x, bound}
 * (or its mirror or negation) staying in the loop while it holds and leaving it otherwise, with
 * {@code bound} invariant.
 *
 * <p>If the test is on {@code x = next}, each iteration after the first begins only when the
 * previous one found {@code next} below the bound, so everywhere in the loop {@code i} lies in
 * {@code [start, max(start, last)]} ({@code last} the bound, minus one for {@code slt}). If it is
 * on {@code x = i}, that holds in the blocks the test's staying edge dominates: the iteration
 * passed the test. Both hold only while {@code next} does not wrap, which is the caller's to
 * guard (a positive step, and a last value that cannot overflow when stepped).
 *
 * @param header the loop's header
 * @param param the induction variable, a parameter of the header
 * @param index its index among the header's parameters
 * @param entry the block whose branch is the header's only edge from outside
 * @param step the invariant step
 * @param bound the invariant bound of the test
 * @param inclusive whether the test is {@code sle} (else {@code slt})
 * @param testsNext whether the test is on {@code next} (the range holds everywhere in the loop)
 * @param passed the block the test's staying edge leads to, its only predecessor the test's block
 *     (the range holds in the blocks it dominates), or null if {@code testsNext}
 */
record InductionVariable(Block header, Value param, int index, Block entry, Value step,
    Value bound, boolean inclusive, boolean testsNext, Block passed) {

  /**
   * Finds a counted induction variable of {@code loop}, a loop of {@code nest} whose own blocks
   * (nested loops' aside) hold its test, or returns null.
   */
  static InductionVariable find(int loop, LoopNest nest, DominatorTree dom, Definitions defs,
      int[] defBlock) {
    Block h = nest.header(loop);
    BlockCall enter = null;
    Block entry = null;
    BlockCall back = null;
    Block latch = null;
    for (Block p : dom.predecessors(h)) {
      for (BlockCall call : p.terminator().targets()) {
        if (call.target() != h) {
          continue;
        }
        if (nest.contains(loop, p.id())) {
          if (back != null) {
            return null;
          }
          back = call;
          latch = p;
        } else {
          if (enter != null) {
            return null;
          }
          enter = call;
          entry = p;
        }
      }
    }
    if (enter == null || back == null) {
      return null;
    }
    for (int k = 0; k < h.params().size(); k++) {
      Value i = h.params().get(k);
      Instruction next = defs.of(back.args().get(k));
      if (next == null || next.opcode() != Opcode.IADD) {
        continue;
      }
      Value step = next.arg(0) == i ? next.arg(1) : next.arg(1) == i ? next.arg(0) : null;
      if (step == null || nest.contains(loop, defBlock[step.id()])) {
        continue;
      }
      for (Block x : nest.ownBlocksInOrder(loop)) {
        Test test = test(x, loop, nest, dom, defs, defBlock, latch, i, next.result());
        if (test != null) {
          return new InductionVariable(h, i, k, entry, step, test.bound, test.inclusive,
              test.testsNext, test.passed);
        }
      }
    }
    return null;
  }

  /** The loop's test, as the record's fields of the same names say. */
  private record Test(Value bound, boolean inclusive, boolean testsNext, Block passed) {}

  /**
   * The loop's test if block {@code x} ends in one on {@code i} or {@code next} that every
   * iteration passes through, else null.
   */
  private static Test test(Block x, int loop, LoopNest nest, DominatorTree dom,
      Definitions defs, int[] defBlock, Block latch, Value i, Value next) {
    Instruction br = x.terminator();
    if (br.opcode() != Opcode.BRIF || !dom.dominates(x, latch)) {
      return null;
    }
    List<BlockCall> t = br.targets();
    boolean stayOnTrue = nest.contains(loop, t.get(0).target().id());
    if (stayOnTrue == nest.contains(loop, t.get(1).target().id())) {
      return null;
    }
    Instruction cmp = defs.of(br.arg(0));
    if (cmp == null || cmp.opcode() != Opcode.ICMP) {
      return null;
    }
    IntCond cond = stayOnTrue ? cmp.intCond() : cmp.intCond().negated();
    Value a = cmp.arg(0);
    Value b = cmp.arg(1);
    if (a != i && a != next) {
      cond = cond.mirrored();
      Value swap = a;
      a = b;
      b = swap;
    }
    if ((a != i && a != next) || (cond != IntCond.SLT && cond != IntCond.SLE)
        || nest.contains(loop, defBlock[b.id()])) {
      return null;
    }
    Block passed = null;
    if (a == i) {
      passed = t.get(stayOnTrue ? 0 : 1).target();
      if (!dom.predecessors(passed).equals(List.of(x)) || passed == x) {
        return null;
      }
    }
    return new Test(b, cond == IntCond.SLE, a == next, passed);
  }

  /** Whether the range of the induction variable is known in block {@code b} of the loop. */
  boolean bounded(Block b, DominatorTree dom) {
    return testsNext || dom.dominates(passed, b);
  }
}
