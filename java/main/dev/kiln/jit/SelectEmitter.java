package dev.kiln.jit;

import dev.kiln.asm.Cond;
import dev.kiln.asm.Reg;

/**
 * The end of an if-converted diamond or triangle ({@link IfConversions}): the branch's compare,
 * then a CMOVcc writes the selected slot. CMOVcc has no memory destination (Intel SDM Vol. 2A,
 * CMOVcc: "the destination operand is a general-purpose register"), so a slot in its frame cell
 * is selected in a scratch register and stored; its source may be memory, which "is always read"
 * whatever the condition, so only the slot's own frame cell, always valid, is one. Moves leave
 * the flags alone (Intel SDM Vol. 1, Appendix A: MOV and CMOVcc set no flags).
 */
final class SelectEmitter extends InstructionEmitter {
  private final BranchEmitter branches;

  SelectEmitter(EmitContext ctx, Slots slots, BranchEmitter branches) {
    super(ctx, slots);
    this.branches = branches;
  }

  /**
   * slot = the branch at {@code branch} taken ? {@code taken} : {@code fall}: a diamond whose arms
   * left their values in the two registers (neither rax, which the compare may use).
   */
  void diamond(int branch, int slot, Reg fall, Reg taken) {
    Cond jumps = branches.compare(branch);
    Reg home = slots.reg(slot);
    if (home != null) {
      a.mov(home, fall);
      a.cmov(jumps, home, taken);
    } else {
      a.cmov(jumps, fall, taken);
      a.mov(slots.mem(slot), fall);
    }
  }

  /**
   * slot = the branch at {@code branch} taken ? slot : {@code fall}: a triangle, whose one arm left
   * its value in a register (not rax).
   */
  void triangle(int branch, int slot, Reg fall) {
    Cond jumps = branches.compare(branch);
    Reg home = slots.reg(slot);
    if (home != null) {
      a.cmov(jumps.negate(), home, fall);
    } else {
      a.cmov(jumps, fall, slots.mem(slot));
      a.mov(slots.mem(slot), fall);
    }
  }
}
