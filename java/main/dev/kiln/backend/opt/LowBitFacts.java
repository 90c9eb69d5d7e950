package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.List;

/**
 * The low bits of a value known to be zero in a block because a dominating branch tested them:
 * the block is dominated by the only edge into a block on which {@code t == 0} (or
 * {@code 0 == t}) holds, t being {@code band x, m} (bits m of x) or {@code srem}/{@code urem x,
 * ±2^j} (bits 2^j - 1: a remainder by 2^j is zero exactly when those bits are, whatever x's
 * sign). In SSA x never changes, so the fact holds wherever that edge dominates.
 */
final class LowBitFacts {
  private final Definitions defs;
  private final DominatorTree dominators;

  LowBitFacts(Function f, Definitions defs) {
    this.defs = defs;
    this.dominators = DominatorTree.of(f);
  }

  /** {@return the bits of {@code x} known to be zero wherever {@code at} runs} */
  long zeroBits(Value x, Block at) {
    if (!dominators.reachable(at)) {
      return 0;
    }
    long zero = 0;
    for (Block d = at; d != null; d = dominators.idom(d)) {
      List<Block> preds = dominators.predecessors(d);
      if (preds.size() == 1) {
        zero |= zeroBitsOnEdge(x, preds.get(0).terminator(), d);
      }
    }
    return zero;
  }

  /** The bits of {@code x} that {@code br} leaves zero on its only edge to {@code to}, if any. */
  private long zeroBitsOnEdge(Value x, Instruction br, Block to) {
    if (br.opcode() != Opcode.BRIF) {
      return 0;
    }
    List<BlockCall> targets = br.targets();
    if (targets.get(0).target() == targets.get(1).target()) {
      return 0;
    }
    Instruction cmp = defs.of(br.arg(0));
    if (cmp == null || cmp.opcode() != Opcode.ICMP
        || (cmp.intCond() != IntCond.EQ && cmp.intCond() != IntCond.NE)) {
      return 0;
    }
    int zeroSide = cmp.intCond() == IntCond.EQ ? 0 : 1;
    if (targets.get(zeroSide).target() != to) {
      return 0;
    }
    Value tested = isZero(cmp.arg(1)) ? cmp.arg(0) : isZero(cmp.arg(0)) ? cmp.arg(1) : null;
    return tested == null ? 0 : testedBits(x, defs.of(tested));
  }

  /** The bits of {@code x} that are zero when {@code t}'s result is zero. */
  private long testedBits(Value x, Instruction t) {
    if (t == null || t.argCount() != 2) {
      return 0;
    }
    Long c = defs.constant(t.arg(1));
    if (t.opcode() == Opcode.BAND) {
      Long first = defs.constant(t.arg(0));
      if (t.arg(0) == x && c != null) {
        return c;
      }
      return t.arg(1) == x && first != null ? first : 0;
    }
    if ((t.opcode() == Opcode.SREM || t.opcode() == Opcode.UREM) && t.arg(0) == x && c != null) {
      long divisor = t.opcode() == Opcode.SREM ? Math.abs(c) : c; // |MIN| is 2^63 unsigned
      return Long.bitCount(divisor) == 1 ? divisor - 1 : 0;
    }
    return 0;
  }

  private boolean isZero(Value v) {
    Long c = defs.constant(v);
    return c != null && c == 0;
  }
}
