package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RBP;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.backend.regalloc.Registers;
import java.util.List;

/**
 * The stand-ins of functions not compiled yet, each the function table's entry of its function
 * until the function is compiled: it puts the function's index in eax and jumps to one shared
 * tail. The tail saves the internal convention's argument registers (its stack arguments stay
 * where the caller put them), aligns rsp and calls the upcall helper with {@link
 * ContextBlock#UPCALL_COMPILE}, whose handler compiles the function and writes its address into
 * the table; then it restores the registers and rsp and jumps to that address, so the function
 * runs as if called directly. A failed compile unwinds to the entry stub like a failed Java
 * call. The registers it uses besides the arguments (rax, rcx, rdx and the convention's scratch)
 * are ones the internal convention does not preserve across a call.
 */
final class LazyStubs {
  private LazyStubs() {}

  /**
   * Emits a stand-in per function and their tail.
   *
   * @return where each function's stand-in starts, by index
   */
  static Label[] emit(Assembler a, Linkage link, int functions) {
    Label tail = a.label();
    Label[] stubs = new Label[functions];
    for (int i = 0; i < functions; i++) {
      stubs[i] = a.label();
      a.bind(stubs[i]);
      a.mov(EAX, i);
      a.jmp(tail);
    }
    a.align(16);
    a.bind(tail);
    if (link.listing()) {
      a.comment("lazy compile: eax = the function's index");
    }
    List<Integer> gprs = Registers.INTEGER_ARGUMENTS;
    int shadow = link.convention().shadowSpace();
    int floats = shadow + 8 * gprs.size();
    int index = floats + 8 * Registers.FLOAT_ARGUMENTS;
    int frame = (index + 8 + 15) / 16 * 16;
    a.push(RBP);
    a.mov(RBP, RSP);
    a.and(RSP, -16);
    a.sub(RSP, frame);
    for (int k = 0; k < gprs.size(); k++) {
      a.mov(Mem.qword(RSP, shadow + 8 * k), Reg.of(gprs.get(k), 64));
    }
    for (int k = 0; k < Registers.FLOAT_ARGUMENTS; k++) {
      a.movsd(Mem.qword(RSP, floats + 8 * k), Xmm.of(k));
    }
    a.mov(Mem.qword(RSP, index), RAX);
    List<Integer> args = link.convention().integerArguments();
    a.mov(Reg.of(args.get(0), 64), RAX);
    a.mov(Reg.of(args.get(1), 32), ContextBlock.UPCALL_COMPILE);
    a.mov(Reg.of(args.get(2), 32), 0);
    a.mov(RAX, link.upcallAddress());
    a.call(RAX);
    a.test(RAX, RAX);
    a.jcc(Cond.NE, link.upcallFailed());
    for (int k = 0; k < gprs.size(); k++) {
      a.mov(Reg.of(gprs.get(k), 64), Mem.qword(RSP, shadow + 8 * k));
    }
    for (int k = 0; k < Registers.FLOAT_ARGUMENTS; k++) {
      a.movsd(Xmm.of(k), Mem.qword(RSP, floats + 8 * k));
    }
    a.mov(RAX, Mem.qword(RSP, index));
    a.mov(RSP, RBP);
    a.pop(RBP);
    a.shl(RAX, ContextBlock.FUNCTION_ENTRY_SHIFT);
    a.jmp(Mem.qword(R15, RAX, 1, link.context().functionTable() + ContextBlock.ENTRY_ADDRESS));
    return stubs;
  }
}
