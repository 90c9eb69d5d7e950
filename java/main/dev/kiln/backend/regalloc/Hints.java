package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueLists;
import java.util.Arrays;
import java.util.List;

/**
 * The registers each value would best live in, so that no copy is needed: the argument register
 * of a function parameter or of a value passed to an internal call (the internal convention's
 * fixed registers), the registers of the values on the other side of its block edges (a block
 * parameter and each of its arguments, so the edge's move vanishes), and the first operand of a
 * two-address instruction, which x86 overwrites with the result. A value may be related to
 * several others, edges first (a loop's back-edge copy costs more than a move before an
 * operation), then the operand of its two-address definition; the allocator takes the first of
 * their registers that is free for the whole value. Hints only order the choice among free
 * registers; they never make a register free. A relation is a positive link of the edge lists,
 * or a value's own id as {@code -(id + 1)} for its two-address operand.
 */
final class Hints {
  private final int[] register;
  /** Each value's edge relations, in the order they are preferred. */
  private final ValueLists relations;
  /** Per value, the id of the operand its two-address definition overwrites, or -1. */
  private final int[] overwritten;

  private Hints(int n) {
    register = new int[n];
    Arrays.fill(register, -1);
    relations = new ValueLists(n);
    overwritten = new int[n];
    Arrays.fill(overwritten, -1);
  }

  /** The hints of {@code mf}'s values. */
  static Hints of(MachineFunction mf) {
    Function f = mf.function();
    Hints h = new Hints(f.valueCount());
    h.arguments(f.entry().params(), 0, Registers.argumentRegisters(f.signature().params()));
    for (int i = 0; i < mf.size(); i++) {
      if (mf.opcodeAt(i) != null) {
        h.read(mf, i);
      }
    }
    return h;
  }

  /**
   * Records the hints the instruction at linear index {@code i} gives (a method per instruction,
   * which C1 compiles early); only calls and terminators are visited, a two-address instruction's
   * result and first operand are known without it.
   */
  private void read(MachineFunction mf, int i) {
    Opcode op = mf.opcodeAt(i);
    if (op == Opcode.CALL && mf.at(i).callee() instanceof Function callee) {
      arguments(mf.at(i).args(), 0, Registers.argumentRegisters(callee.signature().params()));
    } else if (op == Opcode.CALL_INDIRECT) {
      Instruction inst = mf.at(i);
      arguments(inst.args(), 1, Registers.argumentRegisters(inst.signature().params()));
    } else if (op.isTerminator()) {
      List<BlockCall> targets = mf.at(i).targets();
      for (int t = 0; t < targets.size(); t++) {
        BlockCall edge = targets.get(t);
        List<Value> params = edge.target().params();
        for (int p = 0; p < params.size(); p++) {
          relate(params.get(p), edge.args().get(p));
          relate(edge.args().get(p), params.get(p));
        }
      }
    } else if (isTwoAddress(op)) {
      overwritten[mf.resultAt(i)] = mf.usedValue(mf.firstUse(i));
    }
  }

  private void arguments(List<Value> values, int first, int[] registers) {
    for (int i = 0; i < registers.length; i++) {
      int id = values.get(first + i).id();
      if (registers[i] >= 0 && register[id] < 0) {
        register[id] = registers[i];
      }
    }
  }

  /** Appends {@code other} to {@code v}'s relations, keeping their order. */
  private void relate(Value v, Value other) {
    if (v != other) {
      relations.add(v, other);
    }
  }

  private static boolean isTwoAddress(Opcode op) {
    return switch (op) {
      case IADD, ISUB, IMUL, BAND, BOR, BXOR, ISHL, SSHR, USHR, INEG, BNOT, FADD, FSUB, FMUL,
          FDIV -> true;
      default -> false;
    };
  }

  /** The register {@code v} is passed or received in, or -1. */
  int register(int v) {
    return register[v];
  }

  /** The first of {@code v}'s relations (for {@link #related} and {@link #next}), or 0. */
  int first(int v) {
    int k = relations.first(v);
    return k != 0 ? k : operandRelation(v);
  }

  /** The relation of {@code v}'s after {@code relation}, or 0. */
  int next(int v, int relation) {
    if (relation < 0) {
      return 0;
    }
    int k = relations.next(relation);
    return k != 0 ? k : operandRelation(v);
  }

  /** The value that {@code relation} relates to. */
  int related(int relation) {
    return relation < 0 ? overwritten[-relation - 1] : relations.value(relation).id();
  }

  /** {@code v}'s relation to its two-address operand, or 0 for none. */
  private int operandRelation(int v) {
    return overwritten[v] >= 0 ? -(v + 1) : 0;
  }
}
