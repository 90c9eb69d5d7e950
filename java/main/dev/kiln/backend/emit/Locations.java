package dev.kiln.backend.emit;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;

/**
 * A function's value locations as operands, and moves between any two of them. A location key is
 * a GPR number (0-15), 16 plus an XMM number, or 32 plus a spill slot. A value split by the
 * allocator has several locations: {@link #key(Value)} gives the one at the instruction being
 * emitted ({@link #at(int)}), which holds both its operands and its result.
 */
final class Locations {
  /** rax, the scratch GPR that breaks a move cycle. */
  static final int TEMP_GPR = 0;
  /** xmm15, the scratch XMM register that breaks a move cycle. */
  static final int TEMP_XMM = 16 + 15;
  /** The operand of each register key: looked up for every operand of every instruction. */
  private static final Operand[] REGISTERS = new Operand[32];

  static {
    for (int r = 0; r < 16; r++) {
      REGISTERS[r] = Reg.of(r, 64);
      REGISTERS[16 + r] = Xmm.of(r);
    }
  }

  private final Assembler a;
  private final Allocation allocation;
  private final int spillBase;
  /** The def point of the instruction being emitted. */
  private int point;

  Locations(Assembler a, Allocation allocation, int spillBase) {
    this.a = a;
    this.allocation = allocation;
    this.spillBase = spillBase;
  }

  /** Makes the instruction at linear index {@code i} the one being emitted. */
  void at(int i) {
    point = 2 * i + 1;
  }

  /** The location key of value {@code v} at the instruction being emitted. */
  int key(Value v) {
    return key(v, point);
  }

  /** The location key of value {@code v} at {@code point}, one where it is live. */
  int key(Value v, int point) {
    int id = v.id();
    if (!allocation.has(id)) {
      throw new IllegalStateException("value " + v + " has no location");
    }
    int loc = allocation.location(id, point);
    if (loc < 0) {
      return slotKey(Allocation.slot(loc));
    }
    return v.type() == Type.F64 ? 16 + loc : loc;
  }

  /** Whether value {@code v} has a location (it is used or defined somewhere live). */
  boolean has(Value v) {
    return allocation.has(v.id());
  }

  /** The location key of spill slot {@code slot}. */
  static int slotKey(int slot) {
    return 32 + slot;
  }

  /** The location key of register {@code reg}: an XMM number for an f64, else a GPR number. */
  static int registerKey(int reg, Type type) {
    return type == Type.F64 ? 16 + reg : reg;
  }

  static boolean isXmm(int key) {
    return key >= 16 && key < 32;
  }

  /** The operand of a location key. */
  Operand operand(int key) {
    if (key < 32) {
      return REGISTERS[key];
    }
    return Mem.qword(Reg.RSP, spillBase + 8 * (key - 32));
  }

  /** The operand of value {@code v}. */
  Operand of(Value v) {
    return operand(key(v));
  }

  /** The general register holding {@code v}, or {@code scratch} after loading it from its slot. */
  Reg inRegister(Value v, Reg scratch) {
    Operand o = of(v);
    if (o instanceof Reg r) {
      return r;
    }
    a.mov(scratch, (Mem) o);
    return scratch;
  }

  /** The XMM register holding {@code v}, or {@code scratch} after loading it from its slot. */
  Xmm inXmm(Value v, Xmm scratch) {
    Operand o = of(v);
    if (o instanceof Xmm x) {
      return x;
    }
    a.movsd(scratch, (Mem) o);
    return scratch;
  }

  void move(int dst, int src) {
    if (dst != src) {
      move(operand(dst), operand(src));
    }
  }

  /** Copies 64 bits between any two operands; mem-to-mem goes through rdx. */
  void move(Operand d, Operand s) {
    if (d.equals(s)) {
      return;
    }
    if (d instanceof Reg rd) {
      if (s instanceof Reg rs) {
        a.mov(rd, rs);
      } else if (s instanceof Xmm xs) {
        a.movq(rd, xs);
      } else {
        a.mov(rd, (Mem) s);
      }
    } else if (d instanceof Xmm xd) {
      if (s instanceof Reg rs) {
        a.movq(xd, rs);
      } else if (s instanceof Xmm xs) {
        a.movapd(xd, xs);
      } else {
        a.movsd(xd, (Mem) s);
      }
    } else {
      Mem md = (Mem) d;
      if (s instanceof Reg rs) {
        a.mov(md, rs);
      } else if (s instanceof Xmm xs) {
        a.movsd(md, xs);
      } else {
        a.mov(Reg.RDX, (Mem) s);
        a.mov(md, Reg.RDX);
      }
    }
  }

  /** Writes a 64-bit constant to any operand. */
  void load(Operand d, long bits) {
    if (d instanceof Reg r && (bits >>> 32) == 0) {
      // a 32-bit destination zero-extends into the whole register (Intel SDM vol. 1, 3.4.1.1):
      // two bytes shorter than mov r64, imm32, and like it leaves the flags alone
      a.mov(r.width(32), bits);
    } else if (d instanceof Reg r) {
      a.mov(r, bits);
    } else if (d instanceof Xmm x) {
      if (bits == 0) {
        a.xorpd(x, x);
      } else {
        a.movsd(x, a.constantBits(bits));
      }
    } else if (bits == (int) bits) {
      a.mov((Mem) d, bits);
    } else {
      a.mov(Reg.RAX, bits);
      a.mov((Mem) d, Reg.RAX);
    }
  }
}
