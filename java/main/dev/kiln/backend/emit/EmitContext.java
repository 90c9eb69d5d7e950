package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RDX;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;

/**
 * What the emitters of one function share: the assembler, the function after selection, its
 * value locations and constants, its trap stubs, the module's linkage, and the operand helpers
 * several instructions use.
 */
final class EmitContext {
  /** The scratch XMM register of float results and moves. */
  static final Xmm SCRATCH_XMM = Xmm.of(15);
  /** A second scratch XMM register, for an operand loaded from a spill slot. */
  static final Xmm SCRATCH_XMM2 = Xmm.of(14);

  final Assembler a;
  final MachineFunction mf;
  final Function f;
  final Linkage link;
  final Locations at;
  final TrapStubs stubs;

  EmitContext(Assembler a, MachineFunction mf, Linkage link, Locations at) {
    this.a = a;
    this.mf = mf;
    this.f = mf.function();
    this.link = link;
    this.at = at;
    this.stubs = new TrapStubs(a, at, link, f.index(), mf.size());
  }

  /** The GPR to compute {@code r} in: its own register unless that holds {@code avoid}. */
  Reg target(Value r, Value avoid) {
    Operand d = at.of(r);
    return target(d, d instanceof Reg && avoid != null && !mf.isImmediate(avoid)
        ? at.of(avoid) : null);
  }

  /** {@link #target(Value, Value)} of operands already looked up; {@code avoid} null for none. */
  Reg target(Operand d, Operand avoid) {
    return d instanceof Reg reg && !reg.equals(avoid) ? reg : RAX;
  }

  Xmm floatTarget(Value r, Value avoid) {
    Operand d = at.of(r);
    if (d instanceof Xmm x && (avoid == null || !d.equals(at.of(avoid)))) {
      return x;
    }
    return SCRATCH_XMM;
  }


  /**
   * Emits {@code cmp arg0, arg1} for an icmp one of whose operands, {@code loaded}, is read from
   * {@code m} in place; a spilled other operand goes through rdx (rax may address {@code m}).
   */
  void compareWithMemory(Instruction cmp, Value loaded, Mem m) {
    if (cmp.arg(0) == loaded && mf.isImmediateOperand(cmp, 1)) {
      a.cmp(m, mf.constant(cmp.arg(1)));
      return;
    }
    Operand other = at.of(cmp.arg(cmp.arg(0) == loaded ? 1 : 0));
    if (other instanceof Reg r) {
      if (cmp.arg(0) == loaded) {
        a.cmp(m, r);
      } else {
        a.cmp(r, m);
      }
      return;
    }
    a.mov(RDX, m);
    if (cmp.arg(0) == loaded) {
      a.cmp(RDX, (Mem) other);
    } else {
      a.cmp((Mem) other, RDX);
    }
  }

  /** Emits {@code cmp arg0, arg1} for an icmp or bounds_check. */
  void compare(Instruction inst) {
    Operand x = at.of(inst.arg(0));
    if (mf.isImmediateOperand(inst, 1)) {
      long k = mf.constant(inst.arg(1));
      if (x instanceof Reg rx && k == 0) {
        a.test(rx, rx); // the flags of cmp x, 0 (CF and OF clear), two bytes shorter
      } else if (x instanceof Reg rx) {
        a.cmp(rx, k);
      } else {
        a.cmp((Mem) x, k);
      }
      return;
    }
    Operand y = at.of(inst.arg(1));
    if (x instanceof Mem mx && y instanceof Mem) {
      a.mov(RAX, mx);
      x = RAX;
    }
    if (x instanceof Reg rx) {
      if (y instanceof Reg ry) {
        a.cmp(rx, ry);
      } else {
        a.cmp(rx, (Mem) y);
      }
    } else {
      a.cmp((Mem) x, (Reg) y);
    }
  }

  /** Emits {@code test arg0, arg1} for a tested {@code band}. */
  private void test(Instruction band) {
    Operand x = at.of(band.arg(0));
    if (mf.isImmediateOperand(band, 1)) {
      long mask = mf.constant(band.arg(1));
      if (x instanceof Reg rx) {
        a.test(rx, mask);
      } else {
        a.test((Mem) x, mask);
      }
      return;
    }
    Operand y = at.of(band.arg(1));
    if (x instanceof Reg) { // test is commutative: the register second
      Operand swap = x;
      x = y;
      y = swap;
    }
    if (y instanceof Mem my) {
      a.mov(RAX, my);
      y = RAX;
    }
    if (x instanceof Reg rx) {
      a.test(rx, (Reg) y);
    } else {
      a.test((Mem) x, (Reg) y);
    }
  }

  static Cond intCond(Instruction inst) {
    return switch (inst.intCond()) {
      case EQ -> Cond.E;
      case NE -> Cond.NE;
      case SLT -> Cond.L;
      case SLE -> Cond.LE;
      case SGT -> Cond.G;
      case SGE -> Cond.GE;
      case ULT -> Cond.B;
      case ULE -> Cond.BE;
      case UGT -> Cond.A;
      case UGE -> Cond.AE;
    };
  }


  /**
   * Sets the flags for the condition of the {@code brif} or {@code select} at linear index
   * {@code i}: compares the operands of the {@code icmp} fused with it (or tests a band's), tests
   * the operands of the {@code band} computing the condition, or compares the condition with 0.
   *
   * @return the condition code under which the condition holds
   */
  Cond condition(int i, Instruction inst) {
    if (i > 0 && mf.isFusedCompare(i - 1)) {
      Instruction cmp = mf.at(i - 1);
      if (cmp.opcode() == Opcode.FCMP) {
        return compareFloats(cmp);
      }
      if (mf.isTestedBand(i - 2)) {
        test(mf.at(i - 2));
      } else {
        compare(cmp);
      }
      return intCond(cmp);
    }
    if (i > 0 && mf.isTestedBand(i - 1)) {
      test(mf.at(i - 1));
    } else {
      compareWithZero(at.of(inst.arg(0)));
    }
    return Cond.NE;
  }

  /**
   * Emits {@code ucomisd} for an {@code fcmp} and returns the condition under which it holds
   * on ordered operands. Unordered operands set ZF, PF and CF (Intel SDM vol. 2B, UCOMISD), so
   * "above" and "above or equal" (of {@code gt} and {@code ge}, and of {@code lt} and {@code le}
   * with the operands swapped) are then false; {@code eq} and {@code ne} need PF as well.
   */
  Cond compareFloats(Instruction fcmp) {
    Value x = fcmp.arg(0);
    Value y = fcmp.arg(1);
    return switch (fcmp.floatCond()) {
      case GT -> ucomisd(x, y, Cond.A);
      case GE -> ucomisd(x, y, Cond.AE);
      case LT -> ucomisd(y, x, Cond.A);
      case LE -> ucomisd(y, x, Cond.AE);
      case EQ -> ucomisd(x, y, Cond.E);
      case NE -> ucomisd(x, y, Cond.NE);
    };
  }

  private Cond ucomisd(Value x, Value y, Cond cond) {
    Xmm rx = at.inXmm(x, SCRATCH_XMM);
    Operand oy = at.of(y);
    if (oy instanceof Xmm xy) {
      a.ucomisd(rx, xy);
    } else {
      a.ucomisd(rx, (Mem) oy);
    }
    return cond;
  }

  void compareWithZero(Operand c) {
    if (c instanceof Reg rc) {
      // one byte shorter than cmp r,0, same ZF/SF/PF, CF=OF=0 (Intel SDM vol. 2, TEST)
      a.test(rc, rc);
    } else {
      a.cmp((Mem) c, 0);
    }
  }

  void takeResult(Value r, Operand from) {
    if (r != null && at.has(r)) {
      at.move(at.of(r), from);
    }
  }

}
