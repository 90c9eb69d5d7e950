package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Value;

/** Loads and stores, each through one checked effective address. */
final class MemoryEmitter {
  private final EmitContext cx;
  private final Assembler a;
  private final Locations at;
  private final TrapStubs stubs;
  /** The index of the memory whose base rcx holds, or -1: valid across consecutive accesses. */
  private int baseInRcx = -1;

  MemoryEmitter(EmitContext cx) {
    this.cx = cx;
    this.a = cx.a;
    this.at = cx.at;
    this.stubs = cx.stubs;
  }

  /**
   * The operand of a load or store at its checked effective address: {@code base + index*scale +
   * offset} wraps as the IR defines, and one unsigned compare with {@code size - width} rejects
   * both an address past the end and a negative one. The address is computed into rax, unless it
   * is a plain value (no index, offset 0), which is compared where it is. The memory's base is
   * {@link Linkage#MEMORY_BASE} for the pinned memory, else loaded into rcx. An access marked
   * {@code inbounds} (verified to lie inside) is not checked: the operand is
   * {@code [memory base + base + offset]} (one displacement when the base is an immediate), with {@code base + index*scale} computed into rax first
   * when there is an index.
   */
  private Mem access(Instruction inst, int width) {
    Value base = inst.addressBase();
    Value indexValue = inst.addressIndex();
    int offset = (int) inst.immediate();
    Memory m = inst.memory();
    int baseOperand = inst.opcode() == Opcode.STORE ? 1 : 0;
    if (cx.mf.isImmediateOperand(inst, baseOperand)) { // inbounds: the sum is inside the memory
      return sized(width, memoryBase(m), null, (int) (cx.mf.constant(base) + offset));
    }
    Reg b = at.inRegister(base, RAX);
    if (inst.inBounds()) {
      Reg address = b;
      if (indexValue != null) {
        a.lea(RAX, Mem.mem(b, index(indexValue), inst.scale(), 0));
        address = RAX;
      }
      return sized(width, memoryBase(m), address, offset);
    }
    Reg address = b;
    if (indexValue != null || offset != 0) {
      a.lea(RAX, Mem.mem(b, indexValue == null ? null : index(indexValue), inst.scale(), offset));
      address = RAX;
    }
    Label fail =
        stubs.stub(TrapKind.MEMORY_OUT_OF_BOUNDS, 0, inst.position(), address, null, m.size());
    if (m.size() < width) {
      a.jmp(fail);
    } else {
      a.cmp(address, m.size() - width);
      a.jcc(Cond.A, fail);
    }
    return sized(width, memoryBase(m), address, 0);
  }

  /** The operand {@code [base + index + disp]} of {@code width} bytes, made once. */
  private static Mem sized(int width, Reg base, Reg index, int disp) {
    return switch (width) {
      case 1 -> Mem.byte_(base, index, 1, disp);
      case 2 -> Mem.word(base, index, 1, disp);
      case 4 -> Mem.dword(base, index, 1, disp);
      case 8 -> Mem.qword(base, index, 1, disp);
      default -> Mem.mem(base, index, 1, disp).withSize(width);
    };
  }

  /** The register holding the index {@code v} of an address (rcx if it is in memory). */
  private Reg index(Value v) {
    Reg index = at.inRegister(v, RCX);
    if (index == RCX) {
      baseInRcx = -1;
    }
    return index;
  }

  /**
   * The register holding memory {@code m}'s base: the pinned one, or rcx, loaded from the context
   * block unless it already holds that base.
   */
  private Reg memoryBase(Memory m) {
    if (m.index() == cx.link.pinnedMemory()) {
      return Linkage.MEMORY_BASE;
    }
    if (baseInRcx != m.index()) {
      a.mov(RCX, Mem.qword(R15, cx.link.context().memoryBase(m.index())));
      baseInRcx = m.index();
    }
    return RCX;
  }

  /** Forgets which memory base rcx holds: at a label, and before an instruction using rcx. */
  void forgetBase() {
    baseInRcx = -1;
  }

  /** The checked memory operand of the load {@code inst}, whose value is used in place. */
  Mem operand(Instruction inst) {
    return access(inst, inst.memType().width());
  }

  void load(Instruction inst) {
    MemType type = inst.memType();
    Mem m = access(inst, type.width());
    Operand d = at.has(inst.result()) ? at.of(inst.result()) : RDX;
    if (type == MemType.F64) {
      if (d instanceof Xmm x) {
        a.movsd(x, m);
        return;
      }
      d = d instanceof Reg ? d : RDX;
    }
    Reg t = d instanceof Reg r ? r : RDX;
    switch (type) {
      case I8, I16 -> a.movsx(t, m);
      case U8, U16 -> a.movzx(t.width(32), m);
      case I32 -> a.movsxd(t, m);
      case U32 -> a.mov(t.width(32), m);
      default -> a.mov(t, m);
    }
    if (at.has(inst.result())) {
      at.move(at.of(inst.result()), t);
    }
  }

  /** {@code add byte [m], c} at the address of the one-byte store {@code inst}. */
  void addToByte(Instruction inst, long c) {
    a.add(access(inst, 1), (byte) c);
  }

  /** {@code add byte [m], r8}: value {@code v}'s low byte, at the address of store {@code inst}. */
  void addToByte(Instruction inst, Operand v) {
    Reg r;
    if (v instanceof Mem mv) {
      a.mov(RDX, mv); // read before access() takes rax and rcx
      r = RDX;
    } else {
      r = (Reg) v;
    }
    a.add(access(inst, 1), r.width(8));
  }

  void store(Instruction inst) {
    MemType type = inst.memType();
    if (cx.mf.isImmediateOperand(inst, 0)) {
      int bits = 8 * type.width(); // the stored bytes, sign-extended as the encoding wants
      long c = cx.mf.constant(inst.arg(0)) << (64 - bits) >> (64 - bits);
      a.mov(access(inst, type.width()), c);
      return;
    }
    Operand v = at.of(inst.arg(0));
    if (v instanceof Mem mv) {
      a.mov(RDX, mv); // read before access() takes rax and rcx
      v = RDX;
    }
    Mem m = access(inst, type.width());
    if (v instanceof Xmm x) {
      a.movsd(m, x);
    } else {
      a.mov(m, ((Reg) v).width(8 * type.width()));
    }
  }

}
