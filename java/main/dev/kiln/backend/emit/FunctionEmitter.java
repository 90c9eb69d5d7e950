package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.AL;
import static dev.kiln.asm.Reg.CL;
import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.EDX;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.asm.Xmm;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Callee;
import dev.kiln.ir.CFunction;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Memory;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits one function in the internal convention. Arguments are passed on the stack, in the
 * caller's outgoing area ({@code [rsp + 8*i]} at the call), and the result comes back in rax (an
 * f64 as its bits). The frame, below the saved callee-saved registers, holds the outgoing area
 * (at least the 32 bytes of shadow space a Windows callee may use) and the spill slots; rsp stays
 * 16-byte aligned in the body, as the host ABIs require at a call. Traps jump to out-of-line stubs
 * after the body.
 */
final class FunctionEmitter {
  private static final Xmm SCRATCH_XMM = Xmm.of(15);
  private static final Xmm SCRATCH_XMM2 = Xmm.of(14);

  private final Assembler a;
  private final MachineFunction mf;
  private final Function f;
  private final Allocation allocation;
  private final Linkage link;
  private final Locations at;
  private final long[] constant;
  private final Label[] blockLabels;
  private final List<Runnable> stubs = new ArrayList<>();
  private final int frameBytes;
  private final int pushes;

  FunctionEmitter(Assembler a, MachineFunction mf, Allocation allocation, Linkage link) {
    this.a = a;
    this.mf = mf;
    this.f = mf.function();
    this.allocation = allocation;
    this.link = link;
    int outgoing = 32;
    constant = new long[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.ICONST) {
          constant[inst.result().id()] = inst.immediate();
        }
        if (inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT) {
          // call_indirect's handle operand makes room for its callee's levels
          outgoing = Math.max(outgoing, 8 * inst.argCount());
        }
      }
    }
    pushes = allocation.calleeSaved().size();
    int frame = outgoing + 8 * allocation.spillSlots();
    // at entry rsp = 8 mod 16 (the return address); the pushes and the frame make it 0 mod 16
    if ((8 + 8 * pushes + frame) % 16 != 0) {
      frame += 8;
    }
    this.frameBytes = frame;
    this.at = new Locations(a, allocation, outgoing);
    blockLabels = new Label[f.blockCount()];
    for (Block b : f.blocks()) {
      blockLabels[b.id()] = a.label();
    }
  }

  /** The bytes of native stack one activation takes, its return address included. */
  int activationBytes() {
    return 8 + 8 * pushes + frameBytes;
  }

  void emit() {
    a.bind(link.label(f));
    if (link.listing()) {
      a.comment("function @" + f.name() + " " + f.signature());
    }
    Label overflow = a.label();
    a.cmp(RSP, Mem.qword(R15, ContextBlock.STACK_LIMIT));
    a.jcc(Cond.B, overflow);
    stubs.add(() -> {
      a.bind(overflow);
      trapStub(TrapKind.STACK_OVERFLOW, 0, Instruction.NO_POSITION, null, null, 0);
    });
    for (int r : allocation.calleeSaved()) {
      a.push(Reg.of(r, 64));
    }
    a.sub(RSP, frameBytes);
    poll(f.position());
    List<Value> params = f.entry().params();
    for (int i = 0; i < params.size(); i++) {
      if (at.has(params.get(i))) {
        at.move(at.of(params.get(i)), Mem.qword(RSP, activationBytes() + 8 * i));
      }
    }
    for (int i = 0; i < mf.size(); i++) {
      Instruction inst = mf.at(i);
      if (inst == null) {
        Block b = mf.layout().get(mf.blockAt(i));
        a.bind(blockLabels[b.id()]);
        continue;
      }
      if (link.listing()) {
        a.comment(inst.toString());
      }
      if (!mf.isFusedCompare(i)) {
        instruction(i, inst);
      }
    }
    for (Runnable stub : stubs) {
      stub.run();
    }
  }

  private void instruction(int index, Instruction inst) {
    Value r = inst.result();
    if (r != null && !at.has(r) && inst.opcode() != Opcode.CALL
        && inst.opcode() != Opcode.CALL_INDIRECT && !mayTrap(inst.opcode())) {
      return; // a result nobody reads, of an instruction without effects
    }
    switch (inst.opcode()) {
      case ICONST, FCONST -> at.load(at.of(r), inst.immediate());
      case IADD -> alu(AluOp.ADD, inst);
      case ISUB -> alu(AluOp.SUB, inst);
      case BAND -> alu(AluOp.AND, inst);
      case BOR -> alu(AluOp.OR, inst);
      case BXOR -> alu(AluOp.XOR, inst);
      case IMUL -> multiply(inst);
      case ISHL -> shift(ShiftOp.SHL, inst);
      case SSHR -> shift(ShiftOp.SAR, inst);
      case USHR -> shift(ShiftOp.SHR, inst);
      case INEG, BNOT -> {
        Reg t = target(r, null);
        at.move(t, at.of(inst.arg(0)));
        if (inst.opcode() == Opcode.INEG) {
          a.neg(t);
        } else {
          a.not(t);
        }
        at.move(at.of(r), t);
      }
      case SDIV, SREM, UDIV, UREM -> divide(inst);
      case ICMP -> {
        compare(inst);
        a.setcc(intCond(inst), AL);
        a.movzx(EAX, AL);
        at.move(at.of(r), RAX);
      }
      case FCMP -> floatCompare(inst);
      case SELECT -> select(inst);
      case FADD, FSUB, FMUL, FDIV -> floatArithmetic(inst);
      case FNEG, FABS -> {
        Xmm t = floatTarget(r, null);
        at.move(t, at.of(inst.arg(0)));
        if (inst.opcode() == Opcode.FNEG) {
          a.xorpd(t, a.constant128(Long.MIN_VALUE, 0));
        } else {
          a.andpd(t, a.constant128(Long.MAX_VALUE, 0));
        }
        at.move(at.of(r), t);
      }
      case FSQRT -> {
        Xmm t = floatTarget(r, null);
        Operand s = at.of(inst.arg(0));
        if (s instanceof Xmm x) {
          a.sqrtsd(t, x);
        } else {
          a.sqrtsd(t, (Mem) s);
        }
        at.move(at.of(r), t);
      }
      case FCVT_FROM_SINT -> {
        Xmm t = floatTarget(r, null);
        Operand s = at.of(inst.arg(0));
        a.xorpd(t, t); // cvtsi2sd keeps the upper lane: no false dependency on an old value
        if (s instanceof Reg x) {
          a.cvtsi2sd(t, x);
        } else {
          a.cvtsi2sd(t, (Mem) s);
        }
        at.move(at.of(r), t);
      }
      case FCVT_TO_SINT_SAT -> convertToInt(inst);
      case BITCAST -> at.move(at.of(r), at.of(inst.arg(0)));
      case LOAD -> load(inst);
      case STORE -> store(inst);
      case TRAP -> a.jmp(stub(TrapKind.USER, inst.immediate(), inst.position(), null, null, 0));
      case TRAPNZ, TRAPZ -> {
        compareWithZero(at.of(inst.arg(0)));
        a.jcc(inst.opcode() == Opcode.TRAPNZ ? Cond.NE : Cond.E,
            stub(TrapKind.USER, inst.immediate(), inst.position(), null, null, 0));
      }
      case BOUNDS_CHECK -> {
        compare(inst);
        Operand checked = at.of(inst.arg(0));
        Operand length = mf.isImmediateOperand(inst, 1) ? null : at.of(inst.arg(1));
        a.jcc(Cond.AE, stub(TrapKind.INDEX_OUT_OF_BOUNDS, 0, inst.position(), checked, length,
            constant[inst.arg(1).id()]));
      }
      case CALL -> call(inst);
      case FUNC_REF -> at.load(at.of(r), ((Function) inst.callee()).index());
      case CALL_INDIRECT -> callIndirect(inst);
      case JUMP -> {
        Block from = mf.layout().get(mf.blockAt(index));
        edge(from, inst.targets().get(0), inst.position(), true);
      }
      case BRIF -> branch(index, inst);
      case RETURN -> {
        if (inst.argCount() > 0) {
          at.move(RAX, at.of(inst.arg(0)));
        }
        a.add(RSP, frameBytes);
        List<Integer> saved = allocation.calleeSaved();
        for (int k = saved.size() - 1; k >= 0; k--) {
          a.pop(Reg.of(saved.get(k), 64));
        }
        a.ret();
      }
    }
  }

  private static boolean mayTrap(Opcode op) {
    return switch (op) {
      case SDIV, SREM, UDIV, UREM, LOAD -> true;
      default -> false;
    };
  }

  /** The GPR to compute {@code r} in: its own register unless that holds {@code avoid}. */
  private Reg target(Value r, Value avoid) {
    Operand d = at.of(r);
    if (d instanceof Reg reg && (avoid == null || mf.isImmediate(avoid)
        || !d.equals(at.of(avoid)))) {
      return reg;
    }
    return RAX;
  }

  private Xmm floatTarget(Value r, Value avoid) {
    Operand d = at.of(r);
    if (d instanceof Xmm x && (avoid == null || !d.equals(at.of(avoid)))) {
      return x;
    }
    return SCRATCH_XMM;
  }

  private void alu(AluOp op, Instruction inst) {
    Value r = inst.result();
    Value x = inst.arg(0);
    Value y = inst.arg(1);
    if (op != AluOp.SUB && !mf.isImmediate(y) && at.of(r) instanceof Reg && at.of(r).equals(at.of(y))) {
      x = y; // commutative: compute in the register that already holds the second operand
      y = inst.arg(0);
    }
    Reg t = target(r, y);
    at.move(t, at.of(x));
    if (mf.isImmediate(y)) {
      a.alu(op, t, constant[y.id()]);
    } else {
      Operand b = at.of(y);
      if (b instanceof Reg rb) {
        a.alu(op, t, rb);
      } else {
        a.alu(op, t, (Mem) b);
      }
    }
    at.move(at.of(r), t);
  }

  private void multiply(Instruction inst) {
    Value r = inst.result();
    Reg t = target(r, inst.arg(1));
    if (mf.isImmediateOperand(inst, 1)) {
      Operand s = at.of(inst.arg(0));
      if (s instanceof Reg rs) {
        a.imul(t, rs, constant[inst.arg(1).id()]);
      } else {
        a.imul(t, (Mem) s, constant[inst.arg(1).id()]);
      }
    } else {
      at.move(t, at.of(inst.arg(0)));
      Operand b = at.of(inst.arg(1));
      if (b instanceof Reg rb) {
        a.imul(t, rb);
      } else {
        a.imul(t, (Mem) b);
      }
    }
    at.move(at.of(r), t);
  }

  private void shift(ShiftOp op, Instruction inst) {
    Value r = inst.result();
    Reg t = target(r, null);
    if (mf.isImmediateOperand(inst, 1)) {
      at.move(t, at.of(inst.arg(0)));
      a.shift(op, t, (int) (constant[inst.arg(1).id()] & 63));
    } else {
      moveToRcx(inst.arg(1));
      at.move(t, at.of(inst.arg(0)));
      a.shift(op, t, CL); // x86 masks the count to its low six bits, as the IR defines
    }
    at.move(at.of(r), t);
  }

  /** Loads a value into rcx (a shift count, a divisor). */
  private void moveToRcx(Value v) {
    at.move(RCX, at.of(v));
  }

  private void divide(Instruction inst) {
    Opcode op = inst.opcode();
    boolean signed = op == Opcode.SDIV || op == Opcode.SREM;
    boolean quotient = op == Opcode.SDIV || op == Opcode.UDIV;
    Label done = a.label();
    boolean minusOneCheck = signed;
    if (mf.isImmediateOperand(inst, 1)) {
      long divisor = constant[inst.arg(1).id()];
      if (divisor == 0) {
        a.jmp(stub(TrapKind.DIVISION_BY_ZERO, 0, inst.position(), null, null, 0));
        return;
      }
      a.mov(RCX, divisor);
      minusOneCheck = signed && divisor == -1;
    } else {
      moveToRcx(inst.arg(1));
      a.test(RCX, RCX);
      a.jcc(Cond.E, stub(TrapKind.DIVISION_BY_ZERO, 0, inst.position(), null, null, 0));
    }
    at.move(RAX, at.of(inst.arg(0)));
    if (minusOneCheck) {
      // idiv faults on MIN / -1; the IR defines it as MIN (remainder 0), which neg gives
      Label normal = a.label();
      a.cmp(RCX, -1);
      a.jcc(Cond.NE, normal);
      if (quotient) {
        a.neg(RAX);
      } else {
        a.xor(EDX, EDX);
      }
      a.jmp(done);
      a.bind(normal);
    }
    if (signed) {
      a.cqo();
      a.idiv(RCX);
    } else {
      a.xor(EDX, EDX);
      a.div(RCX);
    }
    a.bind(done);
    if (at.has(inst.result())) {
      at.move(at.of(inst.result()), quotient ? RAX : RDX);
    }
  }

  /** Emits {@code cmp arg0, arg1} for an icmp or bounds_check. */
  private void compare(Instruction inst) {
    Operand x = at.of(inst.arg(0));
    if (mf.isImmediateOperand(inst, 1)) {
      long k = constant[inst.arg(1).id()];
      if (x instanceof Reg rx) {
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

  private static Cond intCond(Instruction inst) {
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

  private void floatCompare(Instruction inst) {
    Value x = inst.arg(0);
    Value y = inst.arg(1);
    switch (inst.floatCond()) {
      // ucomisd sets ZF, PF and CF on unordered: "above" and "above or equal" are then false
      case GT -> ucomisd(x, y, Cond.A);
      case GE -> ucomisd(x, y, Cond.AE);
      case LT -> ucomisd(y, x, Cond.A);
      case LE -> ucomisd(y, x, Cond.AE);
      case EQ -> {
        ucomisd(x, y, Cond.E);
        a.setcc(Cond.NP, CL);
        a.and(AL, CL);
      }
      case NE -> {
        ucomisd(x, y, Cond.NE);
        a.setcc(Cond.P, CL);
        a.or(AL, CL);
      }
    }
    a.movzx(EAX, AL);
    at.move(at.of(inst.result()), RAX);
  }

  private void ucomisd(Value x, Value y, Cond cond) {
    Operand ox = at.of(x);
    Xmm rx;
    if (ox instanceof Xmm xx) {
      rx = xx;
    } else {
      a.movsd(SCRATCH_XMM, (Mem) ox);
      rx = SCRATCH_XMM;
    }
    Operand oy = at.of(y);
    if (oy instanceof Xmm xy) {
      a.ucomisd(rx, xy);
    } else {
      a.ucomisd(rx, (Mem) oy);
    }
    a.setcc(cond, AL);
  }

  private void select(Instruction inst) {
    Value r = inst.result();
    Operand c = at.of(inst.arg(0));
    if (r.type() == Type.I64) {
      at.move(RAX, at.of(inst.arg(2)));
      compareWithZero(c);
      Operand yes = at.of(inst.arg(1));
      if (yes instanceof Reg ry) {
        a.cmov(Cond.NE, RAX, ry);
      } else {
        a.cmov(Cond.NE, RAX, (Mem) yes);
      }
      at.move(at.of(r), RAX);
    } else {
      Label keep = a.label();
      at.move(SCRATCH_XMM, at.of(inst.arg(2)));
      compareWithZero(c);
      a.jcc(Cond.E, keep);
      at.move(SCRATCH_XMM, at.of(inst.arg(1)));
      a.bind(keep);
      at.move(at.of(r), SCRATCH_XMM);
    }
  }

  private void compareWithZero(Operand c) {
    if (c instanceof Reg rc) {
      a.cmp(rc, 0);
    } else {
      a.cmp((Mem) c, 0);
    }
  }

  private void floatArithmetic(Instruction inst) {
    Value r = inst.result();
    Xmm t = floatTarget(r, inst.arg(1));
    at.move(t, at.of(inst.arg(0)));
    Operand b = at.of(inst.arg(1));
    switch (inst.opcode()) {
      case FADD -> {
        if (b instanceof Xmm xb) {
          a.addsd(t, xb);
        } else {
          a.addsd(t, (Mem) b);
        }
      }
      case FSUB -> {
        if (b instanceof Xmm xb) {
          a.subsd(t, xb);
        } else {
          a.subsd(t, (Mem) b);
        }
      }
      case FMUL -> {
        if (b instanceof Xmm xb) {
          a.mulsd(t, xb);
        } else {
          a.mulsd(t, (Mem) b);
        }
      }
      default -> {
        if (b instanceof Xmm xb) {
          a.divsd(t, xb);
        } else {
          a.divsd(t, (Mem) b);
        }
      }
    }
    at.move(at.of(r), t);
  }

  /**
   * Java's double-to-long: cvttsd2si gives MIN for NaN and out-of-range values (Intel SDM
   * vol. 2A, CVTTSD2SI), so MIN is corrected to 0 for NaN and MAX for large positive inputs.
   */
  private void convertToInt(Instruction inst) {
    Operand s = at.of(inst.arg(0));
    Xmm x;
    if (s instanceof Xmm xs) {
      x = xs;
    } else {
      a.movsd(SCRATCH_XMM2, (Mem) s);
      x = SCRATCH_XMM2;
    }
    Label done = a.label();
    Label nan = a.label();
    a.cvttsd2si(RAX, x);
    a.cmp(RAX, 1);
    a.jcc(Cond.NO, done); // rax - 1 overflows only for MIN
    a.xorpd(SCRATCH_XMM, SCRATCH_XMM);
    a.ucomisd(x, SCRATCH_XMM);
    a.jcc(Cond.P, nan);
    a.jcc(Cond.B, done);
    a.not(RAX);
    a.jmp(done);
    a.bind(nan);
    a.xor(EAX, EAX);
    a.bind(done);
    at.move(at.of(inst.result()), RAX);
  }

  /**
   * The checked effective address of a load or store, in rax, and the memory's base in rcx:
   * {@code base + index*scale + offset} wraps as the IR defines, and one unsigned compare with
   * {@code size - width} rejects both an address past the end and a negative one.
   */
  private Mem access(Instruction inst, int width) {
    Address ad = inst.address();
    Memory m = inst.memory();
    Operand base = at.of(ad.base());
    Reg b;
    if (base instanceof Reg rb) {
      b = rb;
    } else {
      a.mov(RAX, (Mem) base);
      b = RAX;
    }
    Reg index = null;
    if (ad.index() != null) {
      Operand oi = at.of(ad.index());
      if (oi instanceof Reg ri) {
        index = ri;
      } else {
        a.mov(RCX, (Mem) oi);
        index = RCX;
      }
    }
    a.lea(RAX, Mem.mem(b, index, ad.scale(), ad.offset()));
    Label fail = stub(TrapKind.MEMORY_OUT_OF_BOUNDS, 0, inst.position(), RAX, null, m.size());
    if (m.size() < width) {
      a.jmp(fail);
    } else {
      a.cmp(RAX, m.size() - width);
      a.jcc(Cond.A, fail);
    }
    a.mov(RCX, Mem.qword(R15, link.context().memoryBase(m.index())));
    return Mem.qword(RCX, RAX, 1, 0).withSize(width);
  }

  private void load(Instruction inst) {
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

  private void store(Instruction inst) {
    MemType type = inst.memType();
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

  private void call(Instruction inst) {
    Callee callee = inst.callee();
    if (callee instanceof JavaFunction j) {
      callJava(inst, j);
      return;
    }
    if (callee instanceof CFunction c) {
      callC(inst, c);
      return;
    }
    passArguments(inst, 0);
    int levels = ((Function) callee).levels();
    Mem left = Mem.qword(R15, ContextBlock.DEPTH_LEFT);
    a.cmp(left, levels);
    a.jcc(Cond.B, stub(TrapKind.STACK_OVERFLOW, 0, inst.position(), null, null, 0));
    a.sub(left, levels);
    a.call(link.label((Function) callee));
    a.add(left, levels);
    takeResult(inst.result(), RAX);
  }

  private void passArguments(Instruction inst, int first) {
    for (int i = first; i < inst.argCount(); i++) {
      at.move(Mem.qword(RSP, 8 * (i - first)), at.of(inst.arg(i)));
    }
  }

  private void takeResult(Value r, Operand from) {
    if (r != null && at.has(r)) {
      at.move(at.of(r), from);
    }
  }

  private void callIndirect(Instruction inst) {
    passArguments(inst, 1);
    Label bad = stub(TrapKind.BAD_INDIRECT_CALL, 0, inst.position(), null, null, 0);
    at.move(RAX, at.of(inst.arg(0)));
    a.cmp(RAX, link.functions().size());
    a.jcc(Cond.AE, bad); // unsigned: a negative handle fails too
    a.shl(RAX, ContextBlock.FUNCTION_ENTRY_SHIFT);
    int table = link.context().functionTable();
    a.cmp(Mem.qword(R15, RAX, 1, table + ContextBlock.ENTRY_SIGNATURE),
        link.signatureNumber(inst.signature()));
    a.jcc(Cond.NE, bad);
    // The callee's levels, kept for after the call in the outgoing slot past the arguments,
    // which the internal convention's callee only reads.
    Mem levels = Mem.qword(RSP, 8 * (inst.argCount() - 1));
    Mem left = Mem.qword(R15, ContextBlock.DEPTH_LEFT);
    a.mov(RCX, Mem.qword(R15, RAX, 1, table + ContextBlock.ENTRY_LEVELS));
    a.cmp(left, RCX);
    a.jcc(Cond.B, stub(TrapKind.STACK_OVERFLOW, 0, inst.position(), null, null, 0));
    a.sub(left, RCX);
    a.mov(levels, RCX);
    a.call(Mem.qword(R15, RAX, 1, table + ContextBlock.ENTRY_ADDRESS));
    a.mov(RCX, levels);
    a.add(left, RCX);
    takeResult(inst.result(), RAX);
  }

  /**
   * A Java import: the arguments go to the context block's argument area and the upcall helper
   * (in the entry's convention, from this 16-byte aligned frame with its shadow space) runs the
   * callback, which leaves the result in the context block and returns 0; anything else means
   * the callback threw, and the code returns to the entry stub at once.
   */
  private void callJava(Instruction inst, JavaFunction j) {
    for (int i = 0; i < inst.argCount(); i++) {
      at.move(Mem.qword(R15, ContextBlock.argument(i)), at.of(inst.arg(i)));
    }
    List<Integer> args = link.convention().integerArguments();
    a.mov(Reg.of(args.get(0), 64), f.module().imports().indexOf(j));
    a.mov(Reg.of(args.get(1), 32), 0);
    a.mov(Reg.of(args.get(2), 32), 0);
    a.mov(RAX, link.upcallAddress());
    a.call(RAX);
    a.test(RAX, RAX);
    a.jcc(Cond.NE, link.upcallFailed());
    takeResult(inst.result(), Mem.qword(R15, ContextBlock.RESULT));
  }

  /**
   * A C import, in the host's convention: the arguments are staged in the context block (their
   * registers may be argument registers themselves) and then loaded into the convention's
   * registers; the function's address is the import's slot of the context block.
   */
  private void callC(Instruction inst, CFunction c) {
    CallingConvention host = CallingConvention.host();
    int ints = 0;
    int floats = 0;
    for (int i = 0; i < inst.argCount(); i++) {
      at.move(Mem.qword(R15, ContextBlock.argument(i)), at.of(inst.arg(i)));
    }
    for (int i = 0; i < inst.argCount(); i++) {
      boolean isFloat = inst.arg(i).type() == Type.F64;
      int k = host.positionalArguments() ? i : isFloat ? floats : ints;
      List<Integer> regs = isFloat ? host.floatArguments() : host.integerArguments();
      if (k >= regs.size()) {
        throw new UnsupportedOperationException("@" + f.name() + " calls the C function @"
            + c.name() + " with " + inst.argCount() + " arguments: the back end passes C"
            + " arguments in registers only (" + host.name() + ")");
      }
      Mem staged = Mem.qword(R15, ContextBlock.argument(i));
      if (isFloat) {
        a.movsd(Xmm.of(regs.get(k)), staged);
        floats++;
      } else {
        a.mov(Reg.of(regs.get(k), 64), staged);
        ints++;
      }
    }
    int slot = link.context().importAddress(f.module().imports().indexOf(c));
    a.call(Mem.qword(R15, slot));
    takeResult(inst.result(), inst.result() != null && inst.result().type() == Type.F64
        ? Xmm.of(host.floatReturn()) : RAX);
  }

  private void branch(int index, Instruction inst) {
    Block from = mf.layout().get(mf.blockAt(index));
    Cond cond;
    if (index > 0 && mf.isFusedCompare(index - 1)) {
      Instruction cmp = mf.at(index - 1);
      compare(cmp);
      cond = intCond(cmp);
    } else {
      compareWithZero(at.of(inst.arg(0)));
      cond = Cond.NE;
    }
    BlockCall yes = inst.targets().get(0);
    BlockCall no = inst.targets().get(1);
    int next = mf.layout().indexOf(from) + 1;
    boolean yesFollows = next < mf.layout().size() && mf.layout().get(next) == yes.target();
    if (yesFollows && isPlain(from, yes) && isPlain(from, no)) {
      a.jcc(cond.negate(), blockLabels[no.target().id()]);
    } else if (isPlain(from, yes)) {
      a.jcc(cond, blockLabels[yes.target().id()]);
      edge(from, no, inst.position(), true);
    } else {
      Label other = a.label();
      a.jcc(cond.negate(), other);
      edge(from, yes, inst.position(), false);
      a.bind(other);
      edge(from, no, inst.position(), true);
    }
  }

  /** Whether the edge needs no code: no poll and no moves. */
  private boolean isPlain(Block from, BlockCall edge) {
    return !mf.isBackEdge(from, edge.target()) && moves(edge).isEmpty();
  }

  private ParallelMove moves(BlockCall edge) {
    ParallelMove pm = new ParallelMove();
    List<Value> params = edge.target().params();
    for (int i = 0; i < params.size(); i++) {
      if (at.has(params.get(i))) {
        pm.add(at.key(params.get(i)), at.key(edge.args().get(i)));
      }
    }
    return pm;
  }

  /** An edge's code: a poll on a back edge, the moves, the jump (unless it falls through). */
  private void edge(Block from, BlockCall edge, int position, boolean mayFallThrough) {
    Block to = edge.target();
    if (mf.isBackEdge(from, to)) {
      poll(position);
    }
    moves(edge).emit(at);
    int next = mf.layout().indexOf(from) + 1;
    if (!mayFallThrough || next >= mf.layout().size() || mf.layout().get(next) != to) {
      a.jmp(blockLabels[to.id()]);
    }
  }

  /** A poll: one compare of the context block's flag, out of line when it is raised. */
  private void poll(int position) {
    Label due = a.label();
    a.cmp(Mem.byte_(R15, ContextBlock.POLL), 0);
    a.jcc(Cond.NE, due);
    stubs.add(() -> {
      a.bind(due);
      a.movzx(EAX, Mem.byte_(R15, ContextBlock.POLL));
      a.dec(EAX);
      a.mov(Mem.qword(R15, ContextBlock.TRAP_KIND), RAX);
      record(0, position, null, null, 0);
    });
  }

  /** A trap stub for later emission; returns its label. */
  private Label stub(TrapKind kind, long code, int position, Operand index, Operand length,
      long lengthConstant) {
    Label l = a.label();
    stubs.add(() -> {
      a.bind(l);
      trapStub(kind, code, position, index, length, lengthConstant);
    });
    return l;
  }

  private void trapStub(TrapKind kind, long code, int position, Operand index, Operand length,
      long lengthConstant) {
    a.mov(Mem.qword(R15, ContextBlock.TRAP_KIND), kind.ordinal());
    record(code, position, index, length, lengthConstant);
  }

  /** Records the trap's details in the context block and unwinds to the entry stub. */
  private void record(long code, int position, Operand index, Operand length,
      long lengthConstant) {
    if (index != null) {
      at.move(Mem.qword(R15, ContextBlock.TRAP_INDEX), index);
      if (length != null) {
        at.move(Mem.qword(R15, ContextBlock.TRAP_LENGTH), length);
      } else {
        at.load(Mem.qword(R15, ContextBlock.TRAP_LENGTH), lengthConstant);
      }
    }
    at.load(Mem.qword(R15, ContextBlock.TRAP_CODE), code);
    a.mov(Mem.qword(R15, ContextBlock.TRAP_POSITION), position);
    a.mov(Mem.qword(R15, ContextBlock.TRAP_FUNCTION), f.index());
    a.mov(EAX, (int) ContextBlock.STATUS_TRAP);
    a.jmp(link.unwind());
  }
}
