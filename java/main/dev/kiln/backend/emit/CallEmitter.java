package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Imm;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.CFunction;
import dev.kiln.ir.Callee;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import dev.kiln.runtime.CallingConvention;
import java.util.List;

/**
 * Calls: to functions of the module in the internal convention (arguments in registers as
 * {@link Registers#argumentRegisters} places them, with the call-depth check), through
 * the function table ({@code call_indirect}), to Java through the upcall helper and to C in the
 * host convention.
 */
final class CallEmitter {
  private final EmitContext cx;
  private final Assembler a;
  private final Locations at;
  private final TrapStubs stubs;

  CallEmitter(EmitContext cx) {
    this.cx = cx;
    this.a = cx.a;
    this.at = cx.at;
    this.stubs = cx.stubs;
  }

  void call(Instruction inst) {
    Callee callee = inst.callee();
    if (callee instanceof JavaFunction j) {
      callJava(inst, j);
      return;
    }
    if (callee instanceof CFunction c) {
      callC(inst, c);
      return;
    }
    passArguments(inst, 0, ((Function) callee).signature()).emit(at);
    Imm levels = new Imm(((Function) callee).levels());
    CallDepth.claim(cx, levels, inst.position());
    Label direct = cx.link.label((Function) callee);
    if (direct != null) {
      a.call(direct);
    } else { // compiled apart: through its table entry, which starts at its lazy stub
      a.call(Mem.qword(R15, cx.link.context().functionEntry(((Function) callee).index())
          + ContextBlock.ENTRY_ADDRESS));
    }
    CallDepth.release(cx, levels);
    cx.takeResult(inst.result(), RAX);
  }

  /**
   * Passes the operands from {@code first} on as the arguments of {@code signature} in the
   * internal convention: stores the stack ones at once (before any argument register is
   * overwritten) and returns the moves into the argument registers, to be performed together.
   */
  private ParallelMove passArguments(Instruction inst, int first, Signature signature) {
    int[] registers = Registers.argumentRegisters(signature.params());
    ParallelMove moves = new ParallelMove();
    for (int i = 0; i < registers.length; i++) {
      Value v = inst.arg(first + i);
      if (registers[i] < 0) {
        at.move(Mem.qword(RSP, 8 * i), at.of(v));
      } else {
        moves.add(Locations.registerKey(registers[i], v.type()), at.key(v));
      }
    }
    return moves;
  }

  void callIndirect(Instruction inst) {
    ParallelMove moves = passArguments(inst, 1, inst.signature());
    moves.add(Locations.registerKey(CallingConvention.RCX, Type.I64), at.key(inst.arg(0)));
    moves.emit(at);
    Label bad = stubs.stub(TrapKind.BAD_INDIRECT_CALL, 0, inst.position(), null, null, 0);
    a.mov(RAX, RCX);
    a.cmp(RAX, cx.link.functions().size());
    a.jcc(Cond.AE, bad); // unsigned: a negative handle fails too
    a.shl(RAX, ContextBlock.FUNCTION_ENTRY_SHIFT);
    int table = cx.link.context().functionTable();
    a.cmp(Mem.qword(R15, RAX, 1, table + ContextBlock.ENTRY_SIGNATURE),
        cx.link.signatureNumber(inst.signature()));
    a.jcc(Cond.NE, bad);
    // The callee's levels, kept for after the call in the outgoing slot past the arguments,
    // which the callee does not use.
    Mem levels = Mem.qword(RSP, 8 * (inst.argCount() - 1));
    a.mov(RCX, Mem.qword(R15, RAX, 1, table + ContextBlock.ENTRY_LEVELS));
    CallDepth.claim(cx, RCX, inst.position());
    a.mov(levels, RCX);
    a.call(Mem.qword(R15, RAX, 1, table + ContextBlock.ENTRY_ADDRESS));
    CallDepth.release(cx, levels);
    cx.takeResult(inst.result(), RAX);
  }

  /**
   * A Java import: the arguments go to the context block's argument area and the upcall helper
   * (in the entry's convention, from this 16-byte aligned frame with its shadow space) runs the
   * callback, which leaves the result in the context block and returns 0; anything else means
   * the callback threw, and the code returns to the entry stub at once. The depth budget goes to
   * the context block first, where a run the callback starts takes its own from.
   */
  private void callJava(Instruction inst, JavaFunction j) {
    a.mov(Mem.qword(R15, ContextBlock.DEPTH_LEFT), CallDepth.LEFT);
    for (int i = 0; i < inst.argCount(); i++) {
      at.move(Mem.qword(R15, ContextBlock.argument(i)), at.of(inst.arg(i)));
    }
    List<Integer> args = cx.link.convention().integerArguments();
    a.mov(Reg.of(args.get(0), 64), cx.f.module().imports().indexOf(j));
    a.mov(Reg.of(args.get(1), 32), ContextBlock.UPCALL_IMPORT);
    a.mov(Reg.of(args.get(2), 32), 0);
    a.mov(RAX, cx.link.upcallAddress());
    a.call(RAX);
    a.test(RAX, RAX);
    a.jcc(Cond.NE, cx.link.upcallFailed());
    cx.takeResult(inst.result(), Mem.qword(R15, ContextBlock.RESULT));
  }

  /**
   * A C import, in the host's convention: the arguments are staged in the context block (their
   * registers may be argument registers themselves) and then loaded into the convention's
   * registers; the function's address is the import's slot of the context block.
   */
  private void callC(Instruction inst, CFunction c) {
    CallingConvention host = CallingConvention.host();
    CArguments places = new CArguments(c.signature().params(), host);
    for (int i = 0; i < inst.argCount(); i++) {
      at.move(Mem.qword(R15, ContextBlock.argument(i)), at.of(inst.arg(i)));
    }
    for (int i = 0; i < inst.argCount(); i++) {
      CArguments.Place p = places.place(i);
      Mem staged = Mem.qword(R15, ContextBlock.argument(i));
      if (p.register() < 0) {
        a.mov(RAX, staged);
        a.mov(Mem.qword(RSP, p.stackOffset()), RAX);
      } else if (p.isFloat()) {
        a.movsd(Xmm.of(p.register()), staged);
      } else {
        a.mov(Reg.of(p.register(), 64), staged);
      }
    }
    int slot = cx.link.context().importAddress(cx.f.module().imports().indexOf(c));
    a.call(Mem.qword(R15, slot));
    cx.takeResult(inst.result(), inst.result() != null && inst.result().type() == Type.F64
        ? Xmm.of(host.floatReturn()) : RAX);
  }


}
