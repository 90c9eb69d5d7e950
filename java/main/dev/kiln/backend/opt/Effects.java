package dev.kiln.backend.opt;

import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;

/** What passes may do with an instruction: whether it is pure (no side effect, never traps), how it may trap. */
final class Effects {
  private Effects() {}

  /**
   * Whether {@code inst} has no side effect and cannot trap, so that it may be removed when
   * unused, merged with an equal one or moved: a division or remainder only when its divisor is
   * a nonzero constant ({@code MIN / -1} is defined), never a load, store, check, call, depth
   * instruction or terminator.
   */
  static boolean isPure(Instruction inst, Definitions defs) {
    return switch (inst.opcode()) {
      case SDIV, SREM, UDIV, UREM -> {
        Instruction d = defs.of(inst.arg(1));
        yield d != null && d.opcode() == Opcode.ICONST && d.immediate() != 0;
      }
      case LOAD, STORE, TRAP, TRAPNZ, TRAPZ, BOUNDS_CHECK, CALL, CALL_INDIRECT, DEPTH_ENTER,
          DEPTH_LEAVE, JUMP, BRIF, RETURN -> false;
      default -> true;
    };
  }

  /**
   * Whether {@code inst} has no side effect and whether it traps depends only on its operands:
   * a division or remainder, {@code bounds_check}, {@code trapnz}/{@code trapz} or a load (whose
   * result also depends on the memory's contents). Run once with operands that do not change, it
   * traps the first time or never.
   */
  static boolean trapsOnlyByOperands(Instruction inst) {
    return switch (inst.opcode()) {
      case SDIV, SREM, UDIV, UREM, BOUNDS_CHECK, TRAPNZ, TRAPZ, LOAD -> true;
      default -> false;
    };
  }

  /** Whether {@code inst} may change memory: a store or a call (a Java callback may write it). */
  static boolean writesMemory(Instruction inst) {
    return switch (inst.opcode()) {
      case STORE, CALL, CALL_INDIRECT -> true;
      default -> false;
    };
  }
}
