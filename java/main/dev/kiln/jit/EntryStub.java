package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R13;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.vm.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry stub {@code long run(long context)} in the host convention: it saves what the host
 * convention preserves, sets up the fixed registers (r13 = the context block, r15 = the levels
 * allowed beyond main's frame), calls main, and returns 0; and its unwind code, where error stubs jump with a status
 * in eax from any depth: it restores the rsp saved at entry, dropping the whole Kiln stack at
 * once.
 */
final class EntryStub {
  private EntryStub() {}

  static void emit(EmitContext ctx, Label main) {
    Assembler a = ctx.a;
    CallingConvention convention = ctx.convention;
    if (ctx.listing) {
      a.comment("entry stub (" + convention.name() + "): run(context)");
    }
    List<Integer> saved = convention.calleeSaved();
    for (int r : saved) {
      a.push(Reg.of(r, 64));
    }
    // Microsoft x64 makes xmm6-xmm15 callee-saved, all 128 bits: kept in 16-byte aligned cells.
    List<Xmm> savedXmm = new ArrayList<>();
    for (Xmm x : SlotAllocator.XMM_POOL) {
      if (convention.calleeSavedXmm().contains(x.code())) {
        savedXmm.add(x);
      }
    }
    int pad = (saved.size() % 2 == 0 ? 8 : 0) + 16 * savedXmm.size();
    if (pad != 0) {
      a.sub(RSP, pad);
    }
    for (int k = 0; k < savedXmm.size(); k++) {
      a.movaps(Mem.xmmword(RSP, 16 * k), savedXmm.get(k));
    }
    a.mov(R13, ctx.hostArgument(0));
    a.mov(Mem.qword(R13, JitContext.ENTRY_RSP), RSP);
    a.mov(RAX, RSP);
    a.sub(RAX, Mem.qword(R13, JitContext.STACK_BUDGET));
    a.mov(Mem.qword(R13, JitContext.STACK_GUARD), RAX);
    a.mov(R15, Limits.MAX_CALL_DEPTH - ctx.inlined.frameLevels(ctx.program.mainIndex()));
    a.call(main);
    a.xor(EAX, EAX);
    a.bind(ctx.unwind);
    a.comment("unwind: eax = status");
    a.mov(RSP, Mem.qword(R13, JitContext.ENTRY_RSP));
    for (int k = 0; k < savedXmm.size(); k++) {
      a.movaps(savedXmm.get(k), Mem.xmmword(RSP, 16 * k));
    }
    if (pad != 0) {
      a.add(RSP, pad);
    }
    for (int i = saved.size() - 1; i >= 0; i--) {
      a.pop(Reg.of(saved.get(i), 64));
    }
    a.ret();
  }
}
