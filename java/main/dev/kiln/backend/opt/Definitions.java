package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;

/**
 * The instruction defining each value of a function (null for a block parameter), as {@link
 * Value#definition()} records it, for the values that existed when it was made: a value a pass
 * adds afterwards reads as a parameter, so the pass's decisions do not depend on its own edits.
 */
final class Definitions {
  private final int limit;

  Definitions(Function f) {
    limit = f.valueCount();
  }

  /** The id of the block defining each value of {@code f} (parameter or result), by value id. */
  static int[] blocks(Function f) {
    int[] defBlock = new int[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Value p : b.params()) {
        defBlock[p.id()] = b.id();
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null) {
          defBlock[inst.result().id()] = b.id();
        }
      }
    }
    return defBlock;
  }

  /** The value of {@code v} if an {@code iconst} defines it, else null. */
  Long constant(Value v) {
    Instruction d = of(v);
    return d != null && d.opcode() == Opcode.ICONST ? d.immediate() : null;
  }

  /**
   * The value {@code v} is a chain of {@code iadd}s of 32-bit constants from, adding the constants
   * to {@code offset[0]}; {@code v} itself if none.
   */
  Value root(Value v, long[] offset) {
    for (Instruction d = of(v); d != null && d.opcode() == Opcode.IADD; d = of(v)) {
      Long c = constant(d.arg(1));
      if (c == null || c != c.intValue() || Math.abs(offset[0]) > Integer.MAX_VALUE) {
        break;
      }
      offset[0] += c;
      v = d.arg(0);
    }
    return v;
  }

  /** The instruction defining {@code v}, or null if it is a block parameter. */
  Instruction of(Value v) {
    return v.id() < limit ? v.definition() : null;
  }
}
