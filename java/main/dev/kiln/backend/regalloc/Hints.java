package dev.kiln.backend.regalloc;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.Arrays;
import java.util.List;

/**
 * The registers each value would best live in, so that no copy is needed: the argument register
 * of a function parameter or of a value passed to an internal call (the internal convention's
 * fixed registers), the register of the value on the other side of a block edge (a block
 * parameter and its arguments, so the edge's move vanishes), and the first operand of a
 * two-address instruction, which x86 overwrites with the result. Hints only order the choice
 * among free registers; they never make a register free.
 */
final class Hints {
  private final int[] register;
  private final int[] value;

  private Hints(int n) {
    register = new int[n];
    value = new int[n];
    Arrays.fill(register, -1);
    Arrays.fill(value, -1);
  }

  /** The hints of {@code mf}'s values. */
  static Hints of(MachineFunction mf) {
    Function f = mf.function();
    Hints h = new Hints(f.valueCount());
    h.arguments(f.entry().params(), 0, Registers.argumentRegisters(f.signature().params()));
    for (int i = 0; i < mf.size(); i++) {
      Instruction inst = mf.at(i);
      if (inst == null) {
        continue;
      }
      if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function callee) {
        h.arguments(inst.args(), 0, Registers.argumentRegisters(callee.signature().params()));
      } else if (inst.opcode() == Opcode.CALL_INDIRECT) {
        h.arguments(inst.args(), 1, Registers.argumentRegisters(inst.signature().params()));
      } else if (inst.opcode().isTerminator()) {
        List<BlockCall> targets = inst.targets();
        for (int t = 0; t < targets.size(); t++) {
          BlockCall edge = targets.get(t);
          List<Value> params = edge.target().params();
          for (int p = 0; p < params.size(); p++) {
            h.relate(params.get(p), edge.args().get(p));
            h.relate(edge.args().get(p), params.get(p));
          }
        }
      }
    }
    // after the edges: a loop's back-edge copy costs more than a move before an operation
    for (int i = 0; i < mf.size(); i++) {
      Instruction inst = mf.at(i);
      if (inst != null && isTwoAddress(inst.opcode())) {
        h.relate(inst.result(), inst.arg(0));
      }
    }
    return h;
  }

  private void arguments(List<Value> values, int first, int[] registers) {
    for (int i = 0; i < registers.length; i++) {
      int id = values.get(first + i).id();
      if (registers[i] >= 0 && register[id] < 0) {
        register[id] = registers[i];
      }
    }
  }

  private void relate(Value v, Value to) {
    if (value[v.id()] < 0 && v != to) {
      value[v.id()] = to.id();
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

  /** The value whose register {@code v} would best share, or -1. */
  int value(int v) {
    return value[v];
  }
}
