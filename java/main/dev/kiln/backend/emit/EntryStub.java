package dev.kiln.backend.emit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R15;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RSP;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.runtime.CallingConvention;
import java.util.List;

/**
 * The module's one entry point, {@code long run(long context)} in the host (or chosen)
 * convention: it saves what that convention preserves, points r15 at the context block, saves the
 * enclosing run's unwind point (a Java import may run the module again), loads the call-depth
 * budget into its register ({@link CallDepth}) and the pinned memory base into
 * {@link Linkage#MEMORY_BASE} (both preserved by the host convention, so restored on return),
 * computes the stack limit for the outermost run, copies the arguments into its outgoing area,
 * calls the function at {@link ContextBlock#CALL_TARGET} and stores its result. Its unwind code, where trap stubs jump
 * from any depth with a status in eax, restores the rsp saved at entry and returns that status.
 */
final class EntryStub {
  private EntryStub() {}

  static void emit(Assembler a, Linkage link) {
    CallingConvention convention = link.convention();
    if (link.listing()) {
      a.comment("entry stub (" + convention.name() + "): run(context)");
    }
    List<Integer> saved = convention.calleeSaved();
    List<Integer> savedXmm = convention.calleeSavedXmm();
    for (int r : saved) {
      a.push(Reg.of(r, 64));
    }
    a.mov(R15, Reg.of(convention.integerArguments().get(0), 64));
    a.push(Mem.qword(R15, ContextBlock.ENTRY_RSP));
    int outgoing = (8 * link.context().argumentSlots() + 15) / 16 * 16;
    int frame = outgoing + 16 * savedXmm.size();
    if ((8 + 8 * (saved.size() + 1) + frame) % 16 != 0) {
      frame += 8;
    }
    a.sub(RSP, frame);
    for (int k = 0; k < savedXmm.size(); k++) {
      a.movaps(Mem.xmmword(RSP, outgoing + 16 * k), Xmm.of(savedXmm.get(k)));
    }
    a.mov(Mem.qword(R15, ContextBlock.ENTRY_RSP), RSP);
    a.mov(CallDepth.LEFT, Mem.qword(R15, ContextBlock.DEPTH_LEFT));
    if (link.pinnedMemory() >= 0) {
      a.mov(Linkage.MEMORY_BASE, Mem.qword(R15, link.context().memoryBase(link.pinnedMemory())));
    }
    Label limitSet = a.label();
    a.cmp(Mem.qword(R15, ContextBlock.STACK_LIMIT), 0);
    a.jcc(Cond.NE, limitSet);
    a.mov(RAX, RSP);
    a.sub(RAX, Mem.qword(R15, ContextBlock.STACK_BUDGET));
    a.mov(Mem.qword(R15, ContextBlock.STACK_LIMIT), RAX);
    a.bind(limitSet);
    for (int i = 0; i < link.context().argumentSlots(); i++) {
      a.mov(RAX, Mem.qword(R15, ContextBlock.argument(i)));
      a.mov(Mem.qword(RSP, 8 * i), RAX);
    }
    a.call(Mem.qword(R15, ContextBlock.CALL_TARGET));
    a.mov(Mem.qword(R15, ContextBlock.RESULT), RAX);
    a.xor(EAX, EAX);
    a.bind(link.unwind());
    if (link.listing()) {
      a.comment("unwind: eax = status");
    }
    a.mov(RSP, Mem.qword(R15, ContextBlock.ENTRY_RSP));
    for (int k = 0; k < savedXmm.size(); k++) {
      a.movaps(Xmm.of(savedXmm.get(k)), Mem.xmmword(RSP, outgoing + 16 * k));
    }
    a.add(RSP, frame);
    a.pop(Mem.qword(R15, ContextBlock.ENTRY_RSP));
    for (int i = saved.size() - 1; i >= 0; i--) {
      a.pop(Reg.of(saved.get(i), 64));
    }
    a.ret();
    a.bind(link.upcallFailed());
    a.mov(EAX, (int) ContextBlock.STATUS_UPCALL_FAILED);
    a.jmp(link.unwind());
  }
}
