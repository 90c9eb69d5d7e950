package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Imm;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.asm.Xmm;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.CFunction;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits one function in the internal convention. Arguments are passed in registers
 * ({@link Registers#argumentRegisters}), those beyond the registers in the caller's outgoing area
 * ({@code [rsp + 8*i]} at the call for parameter i), and the result comes back in rax (an f64 as
 * its bits). The entry stub, which knows no signature, calls an adapter after the body that
 * loads the register arguments from the stack slots. The frame, below the saved callee-saved
 * registers, holds the outgoing area (what the function's calls need: stack arguments, a host
 * callee's shadow space) and the spill slots; in a function whose calls may reach host code, rsp
 * stays 16-byte aligned in the body, as the host ABIs require at a call ({@link AlignedFrames});
 * a function that calls nothing and spills nothing has no frame. This class lays out the frame
 * and the blocks, the edges and returns; the instructions go to the emitters of their kind, and
 * traps to out-of-line stubs after the body, as do the moves of an edge whose branch's other way
 * falls through.
 */
final class FunctionEmitter {
  private final Assembler a;
  private final MachineFunction mf;
  private final Function f;
  private final Allocation allocation;
  private final Linkage link;
  private final Locations at;
  private final EmitContext cx;
  private final TrapStubs stubs;
  private final ArithmeticEmitter arithmetic;
  private final FloatEmitter floats;
  private final MemoryEmitter memory;
  private final CallEmitter calls;
  private final Label[] blockLabels;
  /**
   * The moves being gathered before an instruction and on a branch's two edges: each is empty
   * again once emitted, or unused when it holds none, so one of each serves the whole function.
   */
  private final ParallelMove splits = new ParallelMove();
  private final ParallelMove yesMoves = new ParallelMove();
  private final ParallelMove noMoves = new ParallelMove();
  /**
   * The edges of branches whose other way falls through, emitted after the body: their moves
   * stay off the way the layout expects, which then runs no taken jump.
   */
  private final List<OutOfLineEdge> outOfLine = new ArrayList<>();
  private final int frameBytes;
  private final int pushes;

  /**
   * Lays out the frame of {@code mf}, aligned at calls if {@code aligned}
   * ({@link AlignedFrames}).
   */
  FunctionEmitter(Assembler a, MachineFunction mf, Allocation allocation, Linkage link,
      boolean aligned) {
    this.a = a;
    this.mf = mf;
    this.f = mf.function();
    this.allocation = allocation;
    this.link = link;
    int outgoing = 0;
    for (int k = 0; k < mf.callCount(); k++) {
      outgoing = Math.max(outgoing, outgoingBytes(mf.at(mf.call(k)), link));
    }
    pushes = allocation.calleeSaved().size();
    int frame = outgoing + 8 * allocation.spillSlots();
    // at entry rsp = 8 mod 16 (the return address); before a call, the pushes and the frame
    // make it 0 mod 16, as the host ABIs require
    if (aligned && (8 + 8 * pushes + frame) % 16 != 0) {
      frame += 8;
    }
    this.frameBytes = frame;
    this.at = new Locations(a, allocation, outgoing);
    this.cx = new EmitContext(a, mf, link, at);
    this.stubs = cx.stubs;
    this.arithmetic = new ArithmeticEmitter(cx);
    this.floats = new FloatEmitter(cx);
    this.memory = new MemoryEmitter(cx);
    this.calls = new CallEmitter(cx);
    blockLabels = new Label[f.blockCount()];
    for (Block b : f.blocks()) {
      blockLabels[b.id()] = a.label();
    }
  }

  /**
   * The outgoing area a call needs: a C call's stack arguments and shadow space, the upcall
   * helper's shadow space, and for an internal call the slots of its parameters when some go on
   * the stack (call_indirect always: its handle operand makes room for its callee's levels).
   */
  private static int outgoingBytes(Instruction inst, Linkage link) {
    if (inst.opcode() == Opcode.CALL_INDIRECT) {
      return 8 * inst.argCount();
    }
    if (inst.callee() instanceof CFunction c) {
      return new CArguments(c.signature().params(), CallingConvention.host()).outgoingBytes();
    }
    if (inst.callee() instanceof JavaFunction) {
      return link.convention().shadowSpace();
    }
    for (int r : Registers.argumentRegisters(inst.callee().signature().params())) {
      if (r < 0) {
        return 8 * inst.argCount();
      }
    }
    return 0;
  }

  /** The bytes of native stack one activation takes, its return address included. */
  int activationBytes() {
    return 8 + 8 * pushes + frameBytes;
  }

  /** Emits the function, and at {@code entry} its adapter for the entry stub. */
  void emit(Label entry) {
    a.bind(link.label(f));
    if (link.listing()) {
      a.comment("function @" + f.name() + " " + f.signature());
    }
    a.cmp(RSP, Mem.qword(R15, ContextBlock.STACK_LIMIT)); // the entry poll too
    a.jcc(Cond.B, stubs.entryCheck(f.position()));
    for (int r : allocation.calleeSaved()) {
      a.push(Reg.of(r, 64));
    }
    if (frameBytes > 0) {
      a.sub(RSP, frameBytes);
    }
    at.at(mf.blockIndex(f.entry()));
    receiveArguments();
    for (Block b : mf.layout()) {
      emit(b);
    }
    for (OutOfLineEdge e : outOfLine) {
      a.bind(e.label());
      if (link.listing()) {
        a.comment("edge to " + e.to() + ":");
      }
      e.moves().emit(at);
      a.jmp(blockLabels[e.to().id()]);
    }
    stubs.emit();
    entryAdapter(entry);
  }

  /** Emits block {@code b} (a method per block, which C1 compiles early). */
  private void emit(Block b) {
    if (mf.alignmentPadding(b) > 0) {
      a.align(16, mf.alignmentPadding(b));
    }
    a.bind(blockLabels[b.id()]);
    memory.forgetBase();
    if (link.listing()) {
      a.comment(b + ":");
    }
    int first = mf.blockIndex(b);
    int k = mf.blockAt(first) + 1; // the next block in the IR's order starts after its last
    int end = k < mf.order().size() ? mf.blockIndexAt(k) : mf.size();
    for (int i = first + 1; i < end; i++) {
      emit(i, mf.at(i));
    }
  }

  /** Emits the instruction at linear index {@code i}. */
  private void emit(int i, Instruction inst) {
    if (!keepsRcx(inst.opcode())) {
      memory.forgetBase();
    }
    if (link.listing()) {
      a.comment(inst.toString());
    }
    at.at(i);
    splitMoves(i);
    if (mf.isEmittedLater(i)) {
      return;
    }
    stubs.reportAs(inst.origin());
    if (mf.isByteAdd(i)) { // its store
      Instruction add = mf.at(i - 1);
      Value other = add.arg(0) == mf.at(i - 2).result() ? add.arg(1) : add.arg(0);
      if (mf.isImmediate(other)) {
        memory.addToByte(inst, mf.constant(other));
      } else {
        memory.addToByte(inst, at.of(other));
      }
    } else {
      instruction(i, inst);
      if (inst.result() != null) {
        storeDefinition(inst.result(), 2 * i + 1);
      }
    }
  }

  /**
   * Stores a value defined at {@code point} in a register to its spill slot, if the allocator
   * keeps it there from its definition on ({@link Allocation#storedAtDefinition}).
   */
  private void storeDefinition(Value v, int point) {
    if (at.has(v) && allocation.storedAtDefinition(v.id())
        && allocation.location(v.id(), point) >= 0) {
      at.move(Locations.slotKey(allocation.slotOf(v.id())), at.key(v, point));
    }
  }

  /** Whether {@code v} is in its slot at {@code point} because its definition stored it there. */
  private boolean storedAlready(Value v, int point) {
    return allocation.storedAtDefinition(v.id()) && allocation.location(v.id(), point) < 0;
  }

  /** Moves the values the allocator split right before instruction {@code i} to their new place. */
  private void splitMoves(int i) {
    int[] split = allocation.splitsBefore(i);
    if (split.length > 0) {
      for (int v : split) {
        Value value = mf.value(v);
        if (!storedAlready(value, 2 * i)) {
          splits.add(at.key(value, 2 * i), at.key(value, 2 * i - 1));
        }
      }
      splits.emit(at);
    }
  }

  /** Moves the parameters from where the caller passed them to their locations. */
  private void receiveArguments() {
    List<Value> params = f.entry().params();
    int[] registers = Registers.argumentRegisters(f.signature().params());
    ParallelMove fromRegisters = new ParallelMove();
    for (int i = 0; i < params.size(); i++) {
      Value p = params.get(i);
      if (at.has(p) && registers[i] >= 0) {
        fromRegisters.add(at.key(p), Locations.registerKey(registers[i], p.type()));
      }
    }
    fromRegisters.emit(at);
    for (int i = 0; i < params.size(); i++) {
      if (at.has(params.get(i)) && registers[i] < 0) {
        at.move(at.of(params.get(i)), Mem.qword(RSP, activationBytes() + 8 * i));
      }
    }
    int point = 2 * mf.blockIndex(f.entry()) + 1;
    for (Value p : params) {
      storeDefinition(p, point);
    }
  }

  /**
   * The entry stub's way in: it stores every argument at {@code [rsp + 8*i]} of its outgoing
   * area, which suits the stack parameters; this loads the register ones and enters the function.
   */
  private void entryAdapter(Label entry) {
    a.bind(entry);
    if (link.listing()) {
      a.comment("entry adapter of @" + f.name());
    }
    int[] registers = Registers.argumentRegisters(f.signature().params());
    for (int i = 0; i < registers.length; i++) {
      Mem slot = Mem.qword(RSP, 8 + 8 * i); // past the return address
      if (registers[i] < 0) {
        continue;
      }
      if (f.signature().params().get(i) == Type.F64) {
        a.movsd(Xmm.of(registers[i]), slot);
      } else {
        a.mov(Reg.of(registers[i], 64), slot);
      }
    }
    a.jmp(link.label(f));
  }

  /**
   * Whether emitting an instruction leaves rcx alone: everything but shifts (the count in cl),
   * divisions, an f64 select (its bits go through rax and rcx), calls (rcx is an argument and
   * caller-saved register) and terminators.
   */
  private static boolean keepsRcx(Opcode op) {
    return switch (op) {
      case ISHL, SSHR, USHR, SDIV, SREM, UDIV, UREM, SELECT, CALL, CALL_INDIRECT -> false;
      default -> !op.isTerminator();
    };
  }

  private void instruction(int index, Instruction inst) {
    Value r = inst.result();
    Opcode op = inst.opcode();
    if (r != null && !at.has(r) && op != Opcode.CALL && op != Opcode.CALL_INDIRECT
        && !mayTrap(op)) {
      return; // a result nobody reads, of an instruction without effects
    }
    switch (op) {
      case ICONST, FCONST -> at.load(at.of(r), inst.immediate());
      case IADD -> {
        if (mf.scaledOperand(index) > 0) {
          arithmetic.scaledAdd(inst, mf.at(mf.scaledOperand(index)));
        } else {
          arithmetic.alu(AluOp.ADD, inst);
        }
      }
      case ISUB -> arithmetic.alu(AluOp.SUB, inst);
      case BAND -> arithmetic.alu(AluOp.AND, inst);
      case BOR -> arithmetic.alu(AluOp.OR, inst);
      case BXOR -> arithmetic.alu(AluOp.XOR, inst);
      case IMUL -> arithmetic.multiply(inst);
      case SMULHI, UMULHI -> arithmetic.multiplyHigh(inst);
      case ISHL -> arithmetic.shift(ShiftOp.SHL, inst);
      case SSHR -> arithmetic.shift(ShiftOp.SAR, inst);
      case USHR -> arithmetic.shift(ShiftOp.SHR, inst);
      case INEG, BNOT -> arithmetic.negate(inst);
      case SDIV, SREM, UDIV, UREM -> arithmetic.divide(inst);
      case ICMP -> arithmetic.compareToValue(inst);
      case SELECT -> {
        if (r.type() == Type.F64) {
          floats.select(index, inst);
        } else {
          arithmetic.select(index, inst);
        }
      }
      case FCMP -> floats.compare(inst);
      case FADD, FSUB, FMUL, FDIV -> floats.arithmetic(inst);
      case FNEG, FABS, FSQRT, FCVT_FROM_SINT -> floats.unary(inst);
      case FCVT_TO_SINT_SAT -> floats.convertToInt(inst);
      case BITCAST -> at.move(at.of(r), at.of(inst.arg(0)));
      case LOAD -> memory.load(inst);
      case STORE -> memory.store(inst);
      case TRAP -> a.jmp(stubs.stub(TrapKind.USER, inst.immediate(), inst.position(), null,
          null, 0));
      case TRAPNZ, TRAPZ -> {
        cx.compareWithZero(at.of(inst.arg(0)));
        a.jcc(op == Opcode.TRAPNZ ? Cond.NE : Cond.E,
            stubs.stub(TrapKind.USER, inst.immediate(), inst.position(), null, null, 0));
      }
      case BOUNDS_CHECK -> {
        Operand checked = at.of(inst.arg(0));
        Operand length;
        if (mf.comparedLoad(index) > 0) {
          Instruction load = mf.at(mf.comparedLoad(index));
          stubs.reportAs(load.origin());
          Mem m = memory.operand(load); // the trap stub reads the length from it too
          stubs.reportAs(inst.origin());
          cx.compareWithMemory(inst, load.result(), m);
          length = m;
        } else {
          cx.compare(inst);
          length = mf.isImmediateOperand(inst, 1) ? null : at.of(inst.arg(1));
        }
        a.jcc(Cond.AE, stubs.stub(TrapKind.INDEX_OUT_OF_BOUNDS, 0, inst.position(), checked,
            length, mf.constant(inst.arg(1))));
      }
      case CALL -> calls.call(inst);
      case FUNC_REF -> at.load(at.of(r), ((Function) inst.callee()).index());
      case CALL_INDIRECT -> calls.callIndirect(inst);
      case DEPTH_ENTER -> {
        if (mf.isDepthProbe(index)) {
          CallDepth.probe(cx, inst.immediate(), inst.position());
        } else {
          CallDepth.claim(cx, new Imm(inst.immediate()), inst.position());
        }
      }
      case DEPTH_LEAVE -> {
        if (!mf.isDepthProbe(index - 1)) {
          CallDepth.release(cx, mf.isImmediateOperand(inst, 0)
              ? new Imm(mf.constant(inst.arg(0))) : at.of(inst.arg(0)));
        }
      }
      case JUMP -> {
        Block from = mf.order().get(mf.blockAt(index));
        BlockCall target = inst.targets().get(0);
        edge(from, target, moves(target, yesMoves), inst.position(), true, false);
      }
      case BRIF -> branch(index, inst);
      case RETURN -> {
        if (inst.argCount() > 0) {
          at.move(RAX, at.of(inst.arg(0)));
        }
        if (frameBytes > 0) {
          a.add(RSP, frameBytes);
        }
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

  /**
   * A {@code brif}. One with a back edge polls before its compare, on both ways: the loop's
   * test and its jump back are then one compare-and-branch, and the poll on the way out only
   * raises a trap that is due anyway, at the same branch's position.
   */
  private void branch(int index, Instruction inst) {
    Block from = mf.order().get(mf.blockAt(index));
    BlockCall yes = inst.targets().get(0);
    BlockCall no = inst.targets().get(1);
    boolean polled = mf.polls(from, yes.target()) || mf.polls(from, no.target());
    if (polled) {
      stubs.poll(inst.position());
    }
    Cond cond;
    if (mf.isFusedCompare(index - 1) && mf.at(index - 1).opcode() == Opcode.LOAD) {
      Instruction load = mf.at(index - 1);
      stubs.reportAs(load.origin());
      cx.compareWithZero(memory.operand(load)); // zero exactly when the bytes are
      stubs.reportAs(inst.origin());
      cond = Cond.NE;
    } else if (mf.comparedLoad(index) > 0) {
      Instruction load = mf.at(mf.comparedLoad(index));
      stubs.reportAs(load.origin());
      Instruction cmp = mf.at(index - 1);
      cx.compareWithMemory(cmp, load.result(), memory.operand(load));
      stubs.reportAs(inst.origin());
      cond = EmitContext.intCond(cmp);
    } else {
      cond = cx.condition(index, inst);
    }
    boolean yesFollows = mf.nextInLayout(from) == yes.target();
    moves(yes, yesMoves);
    moves(no, noMoves);
    boolean yesPlain = isPlain(from, yes, yesMoves, polled);
    boolean noPlain = isPlain(from, no, noMoves, polled);
    if (yesFollows && yesPlain && noPlain) {
      a.jcc(cond.negate(), blockLabels[no.target().id()]);
    } else if (yesFollows && yesPlain && movesOnly(from, no, noMoves, polled)) {
      a.jcc(cond.negate(), outOfLine(no, noMoves));
    } else if (mf.nextInLayout(from) == no.target() && noPlain
        && movesOnly(from, yes, yesMoves, polled)) {
      a.jcc(cond, outOfLine(yes, yesMoves));
    } else if (yesPlain) {
      a.jcc(cond, blockLabels[yes.target().id()]);
      edge(from, no, noMoves, inst.position(), true, polled);
    } else if (noPlain) {
      a.jcc(cond.negate(), blockLabels[no.target().id()]);
      edge(from, yes, yesMoves, inst.position(), true, polled);
    } else {
      Label other = a.label();
      a.jcc(cond.negate(), other);
      edge(from, yes, yesMoves, inst.position(), false, polled);
      a.bind(other);
      edge(from, no, noMoves, inst.position(), true, polled);
    }
  }

  /**
   * Whether an edge's code is moves, at least {@link Linkage#outOfLineEdgeMinMoves}, and
   * its jump: no poll, unless {@code polled} already.
   */
  private boolean movesOnly(Block from, BlockCall edge, ParallelMove moves, boolean polled) {
    return (polled || !mf.polls(from, edge.target()))
        && moves.size() >= link.outOfLineEdgeMinMoves();
  }

  /**
   * The label of an edge's moves and jump, emitted after the body; takes {@code moves}, leaving
   * it empty.
   */
  private Label outOfLine(BlockCall edge, ParallelMove moves) {
    ParallelMove taken = new ParallelMove();
    taken.takeFrom(moves);
    Label label = a.label();
    outOfLine.add(new OutOfLineEdge(label, edge.target(), taken));
    return label;
  }

  /** An edge emitted after the body: at {@code label}, {@code moves} and a jump to {@code to}. */
  private record OutOfLineEdge(Label label, Block to, ParallelMove moves) {}

  /**
   * Whether an edge with these moves needs no code: no poll (unless {@code polled} already) and
   * no moves.
   */
  private boolean isPlain(Block from, BlockCall edge, ParallelMove moves, boolean polled) {
    return (polled || !mf.polls(from, edge.target())) && moves.isEmpty();
  }

  /**
   * Adds to {@code pm}, which is empty, the moves of an edge, emitted at its source's terminator:
   * each argument to its parameter, and each split value live into the target from where it is
   * at the end of the source to where it is at the start of the target.
   */
  private ParallelMove moves(BlockCall edge, ParallelMove pm) {
    Block to = edge.target();
    int start = 2 * mf.blockIndex(to);
    List<Value> params = to.params();
    List<Value> args = edge.args();
    for (int i = 0; i < params.size(); i++) {
      Value p = params.get(i);
      if (at.has(p)) {
        pm.add(at.key(p, start + 1), at.key(args.get(i)));
      }
    }
    for (int v : allocation.splitLiveIn(to)) {
      Value value = mf.value(v);
      if (!storedAlready(value, start)) {
        pm.add(at.key(value, start), at.key(value));
      }
    }
    return pm;
  }

  /**
   * An edge's code: a poll on a back edge (unless {@code polled} already), its {@link #moves},
   * the jump (unless it falls through).
   */
  private void edge(Block from, BlockCall edge, ParallelMove moves, int position,
      boolean mayFallThrough, boolean polled) {
    Block to = edge.target();
    if (!polled && mf.polls(from, to)) {
      stubs.poll(position);
    }
    moves.emit(at);
    if (!mayFallThrough || mf.nextInLayout(from) != to) {
      a.jmp(blockLabels[to.id()]);
    }
  }

}
