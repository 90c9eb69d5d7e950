package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.Instruction;
import java.util.BitSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What passes remove with {@link Block#removeIf}, as named classes: a lambda or method reference
 * would be linked on a cold compile, and the first one a JVM links costs the start-up of its
 * lambda machinery (a run of {@code kiln run} links none).
 */
final class Removal {
  private Removal() {}

  /** The instructions whose result is one of {@code values} (by id). */
  static Predicate<Instruction> resultIn(BitSet values) {
    return new ResultIn(values);
  }

  /** The instructions of {@code instructions}. */
  static Predicate<Instruction> in(Set<Instruction> instructions) {
    return new In(instructions);
  }

  private static final class ResultIn implements Predicate<Instruction> {
    private final BitSet values;

    ResultIn(BitSet values) {
      this.values = values;
    }

    @Override
    public boolean test(Instruction inst) {
      return inst.result() != null && values.get(inst.result().id());
    }
  }

  private static final class In implements Predicate<Instruction> {
    private final Set<Instruction> instructions;

    In(Set<Instruction> instructions) {
      this.instructions = instructions;
    }

    @Override
    public boolean test(Instruction inst) {
      return instructions.contains(inst);
    }
  }
}
