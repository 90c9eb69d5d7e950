package dev.kiln.jit;

import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Xmm.XMM0;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;

/**
 * Slot access for the emitters: where a slot of the current function lives (its register of
 * either pool, its frame cell, a folded constant, or the scratch register it is handed over in at
 * the current instruction, see {@link HandOvers}) and moving values into and out of it.
 */
final class Slots {
  private final EmitContext ctx;
  private final Assembler a;
  /** The scratch register a slot is handed over in at the current instruction, else null. */
  private Reg[] handed;
  private Xmm[] handedXmm;

  Slots(EmitContext ctx) {
    this.ctx = ctx;
    this.a = ctx.a;
  }

  /** Starts a function of {@code frameSize} slots, none handed over. */
  void begin(int frameSize) {
    handed = new Reg[frameSize + 1];
    handedXmm = new Xmm[frameSize + 1];
  }

  /**
   * A slot past the frame's that is scratch register {@code r}: an instruction given it as its
   * result computes into r and stores nowhere, as if its result were handed over (an
   * if-converted arm's value, see {@link IfConversions}). Being handed over, it is neither a
   * float nor folded.
   */
  int resultIn(Reg r) {
    handed[handed.length - 1] = r;
    return handed.length - 1;
  }

  /** Starts ({@code on}) or ends the hand-overs of one instruction. */
  void handOver(HandOvers.HandOver[] here, boolean on) {
    if (here != null) {
      for (HandOvers.HandOver h : here) {
        handed[h.slot()] = on ? h.register() : null;
        handedXmm[h.slot()] = on ? h.xmm() : null;
      }
    }
  }

  /** The slot's general register, if it has one (an int, bool or array slot) or is handed over in one. */
  Reg reg(int slot) {
    return handed[slot] != null ? handed[slot] : ctx.frame.registers[slot];
  }

  /** The slot's XMM register, if it has one (a float slot) or is handed over in one. */
  Xmm xmm(int slot) {
    if (handed[slot] != null) {
      return null; // handed over in a general register: not a float
    }
    return handedXmm[slot] != null ? handedXmm[slot] : ctx.frame.xmmRegisters[slot];
  }

  Mem mem(int slot) {
    return ctx.frame.memory(slot);
  }

  /** Whether the slot is a constant folded into the instructions that use it. */
  boolean folded(int slot) {
    return handed[slot] == null && ctx.frame.folded[slot]; // a folded slot is never handed over
  }

  /** A folded slot's constant. */
  long foldedValue(int slot) {
    return ctx.frame.constants[slot];
  }

  /** Whether the slot lives in its frame cell. */
  boolean inMemory(int slot) {
    return ctx.frame.inMemory(slot);
  }

  /** r = the slot's 64 bits, wherever it lives. */
  void load(Reg r, int slot) {
    Reg home = reg(slot);
    if (folded(slot)) {
      a.mov(r, foldedValue(slot));
    } else if (xmm(slot) != null) {
      a.movq(r, xmm(slot));
    } else if (home == null) {
      a.mov(r, mem(slot));
    } else if (home != r) {
      a.mov(r, home);
    }
  }

  void store(int slot, Reg r) {
    Reg home = reg(slot);
    if (xmm(slot) != null) {
      a.movq(xmm(slot), r);
    } else if (home == null) {
      a.mov(mem(slot), r);
    } else if (home != r) {
      a.mov(home, r);
    }
  }

  /** Loads a register-homed slot from memory {@code m}. */
  void store(int slot, Mem m) {
    if (xmm(slot) != null) {
      a.movq(xmm(slot), m);
    } else {
      a.mov(reg(slot), m);
    }
  }

  /** The slot's general register, or the slot loaded into {@code scratch}. */
  Reg inReg(int slot, Reg scratch) {
    Reg home = reg(slot);
    if (home != null) {
      return home;
    }
    load(scratch, slot);
    return scratch;
  }

  /** The slot's XMM register, or the slot loaded into {@code scratch}. */
  Xmm inXmm(int slot, Xmm scratch) {
    if (xmm(slot) != null) {
      return xmm(slot);
    }
    toXmm(scratch, slot);
    return scratch;
  }

  /** Where to compute a float result for slot d: its XMM register, or xmm0. */
  Xmm xmmTarget(int d) {
    return xmm(d) != null ? xmm(d) : XMM0;
  }

  /** Where to compute a result for slot d: its register, or rax. */
  Reg target(int d) {
    return reg(d) != null ? reg(d) : RAX;
  }

  /** d = d op slot, the slot as an immediate, a register or memory operand. */
  void alu(AluOp op, Reg d, int slot) {
    Reg home = reg(slot);
    if (folded(slot)) {
      a.alu(op, d, foldedValue(slot));
    } else if (home == null) {
      a.alu(op, d, mem(slot));
    } else {
      a.alu(op, d, home);
    }
  }

  /** slot = slot op imm, in place. */
  void aluImm(AluOp op, int slot, long imm) {
    Reg home = reg(slot);
    if (home == null) {
      a.alu(op, mem(slot), imm);
    } else {
      a.alu(op, home, imm);
    }
  }

  void toXmm(Xmm x, int slot) {
    Reg home = reg(slot);
    if (xmm(slot) != null) {
      if (xmm(slot) != x) {
        a.movapd(x, xmm(slot));
      }
    } else if (home == null) {
      a.movq(x, mem(slot));
    } else {
      a.movq(x, home);
    }
  }

  void fromXmm(int slot, Xmm x) {
    Reg home = reg(slot);
    if (xmm(slot) != null) {
      if (xmm(slot) != x) {
        a.movapd(xmm(slot), x);
      }
    } else if (home == null) {
      a.movq(mem(slot), x);
    } else {
      a.movq(home, x);
    }
  }

  /** d = s. */
  void move(int d, int s) {
    Reg rd = reg(d);
    if (xmm(d) != null) {
      toXmm(xmm(d), s);
    } else if (rd != null) {
      load(rd, s);
    } else {
      store(d, inReg(s, RAX));
    }
  }

  /** d = value (a float as its bits). */
  void constant(int d, long value) {
    Reg rd = reg(d);
    if (xmm(d) != null) {
      if (value == 0) {
        a.xorpd(xmm(d), xmm(d));
      } else {
        a.movq(xmm(d), a.constantBits(value)); // from the RIP-relative constant pool
      }
    } else if (rd != null) {
      if (value == 0) {
        a.xor(rd.width(32), rd.width(32));
      } else {
        a.mov(rd, value);
      }
    } else if (value == (int) value) {
      a.mov(mem(d), value);
    } else {
      a.mov(RAX, value);
      a.mov(mem(d), RAX);
    }
  }
}
