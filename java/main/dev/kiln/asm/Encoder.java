package dev.kiln.asm;

/**
 * The one place that knows x86-64 instruction layout: legacy prefix, REX, opcode, ModRM, SIB and
 * displacement (Intel SDM Vol. 2, chapter 2). Every instruction of {@link Assembler} goes through
 * {@link #regReg}, {@link #regMem} or {@link #opReg}; none builds these bytes itself.
 *
 * <p>Each method first reserves room for a whole instruction, so the byte writes, including the
 * caller's immediate, are unchecked. Each method returns false, having emitted nothing, when the operands need a REX prefix but a
 * high-byte register (AH..BH) forbids one, so the caller can report the instruction by name.
 */
final class Encoder {
  static final int REX_W = 8;

  private final CodeBuffer buf;
  private final Relaxer relaxer;

  Encoder(CodeBuffer buf, Relaxer relaxer) {
    this.buf = buf;
    this.relaxer = relaxer;
  }

  /** [prefix] [REX] opcode ModRM(mod=11, reg, rm): both operands registers. */
  boolean regReg(int prefix, int w, int opcode, int reg, int rm, int rexFlags) {
    buf.reserveInstruction();
    int rex = w | (reg & 8) >> 1 | (rm & 8) >> 3;
    if (!prefixes(prefix, rex, rexFlags)) {
      return false;
    }
    opcode(opcode);
    buf.emit1(0xC0 | (reg & 7) << 3 | (rm & 7));
    return true;
  }

  /** [prefix] [REX] (opcode + reg): the register lives in the opcode's low 3 bits. */
  boolean opReg(int prefix, int w, int opcode, int reg, int rexFlags) {
    buf.reserveInstruction();
    if (!prefixes(prefix, w | (reg & 8) >> 3, rexFlags)) {
      return false;
    }
    opcode(opcode + (reg & 7));
    return true;
  }

  /**
   * [prefix] [REX] opcode ModRM [SIB] [disp]: {@code reg} in ModRM.reg, memory in ModRM.rm.
   * {@code tail} is the number of immediate bytes the caller emits next (a RIP-relative
   * displacement counts from the end of the whole instruction).
   */
  boolean regMem(int prefix, int w, int opcode, int reg, Mem m, int rexFlags, int tail) {
    buf.reserveInstruction();
    Reg base = m.base;
    Reg index = m.index;
    int rex = w | (reg & 8) >> 1;
    if (index != null) {
      rex |= (index.code() & 8) >> 2;
    }
    if (base != null) {
      rex |= (base.code() & 8) >> 3;
    }
    if (!prefixes(prefix, rex, rexFlags)) {
      return false;
    }
    opcode(opcode);
    int r = (reg & 7) << 3;
    if (m.label != null) {
      // mod=00 rm=101: [rip + disp32] in 64-bit mode (SDM Vol. 2, Table 2-7).
      buf.emit1(r | 5);
      relaxer.fixup(buf.size(), tail, m.label.id);
      buf.emit4(m.disp);
    } else if (base == null) {
      // No base: SIB with base=101 and mod=00 means [index*scale + disp32]; index=100 is none.
      buf.emit1(r | 4);
      buf.emit1(scaleBits(m.scale) | (index == null ? 4 : index.code() & 7) << 3 | 5);
      buf.emit4(m.disp);
    } else {
      int b = base.code() & 7;
      int disp = m.disp;
      // mod=00 with base 101 (rbp/r13) means RIP/disp32, so those bases always take a disp8 of 0.
      int mod = disp == 0 && b != 5 ? 0x00 : Imm.fits8(disp) ? 0x40 : 0x80;
      if (index != null || b == 4) {
        // rm=100 means "a SIB byte follows"; rsp/r12 as base therefore need SIB (index=100: none).
        buf.emit1(mod | r | 4);
        buf.emit1(scaleBits(m.scale) | (index == null ? 4 : index.code() & 7) << 3 | b);
      } else {
        buf.emit1(mod | r | b);
      }
      if (mod == 0x40) {
        buf.emit1(disp);
      } else if (mod == 0x80) {
        buf.emit4(disp);
      }
    }
    return true;
  }

  private static int scaleBits(int scale) {
    return (Integer.numberOfTrailingZeros(scale)) << 6;
  }

  private boolean prefixes(int prefix, int rex, int rexFlags) {
    boolean needRex = rex != 0 || (rexFlags & Reg.FORCE_REX) != 0;
    if (needRex && (rexFlags & Reg.NO_REX) != 0) {
      return false;
    }
    if (prefix != 0) {
      buf.emit1(prefix);
    }
    if (needRex) {
      buf.emit1(0x40 | rex);
    }
    return true;
  }

  /** Opcodes are packed big-endian into an int: 0x0FAF is two bytes, 0x05 one. */
  private void opcode(int opcode) {
    if (opcode > 0xFFFF) {
      buf.emit1(opcode >>> 16);
    }
    if (opcode > 0xFF) {
      buf.emit1(opcode >>> 8);
    }
    buf.emit1(opcode);
  }
}
