package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.R13;
import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;

import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;

/**
 * Calls into the host's upcall helper in the host convention: prints, buffered in the context
 * block, and {@code new} of an array compiled code does not allocate itself ({@link
 * ArrayEmitter}).
 */
final class UpcallEmitter extends InstructionEmitter {
  private final long upcallAddress;

  UpcallEmitter(EmitContext ctx, Slots slots, long upcallAddress) {
    super(ctx, slots);
    this.upcallAddress = upcallAddress;
  }

  /**
   * Prints slot {@code valueSlot} ({@code -1 - string} for a string constant), {@code lastFlag} 1
   * for a line's last: appends its record to the context block's print records ({@link
   * JitContext#PRINT_RECORDS}); when they are full, an out-of-line upcall has Java format them.
   * So a JNI transition into Java is made once per {@link JitContext#PRINT_CAPACITY} print
   * arguments, not once for each.
   */
  void print(int what, int valueSlot, int lastFlag) {
    if (valueSlot >= 0) {
      slots.load(RAX, valueSlot);
    } else {
      a.mov(EAX, -1 - valueSlot);
    }
    int record = what | (lastFlag == 1 ? JitContext.LAST_ARGUMENT : 0);
    a.mov(RCX, Mem.qword(R13, JitContext.PRINT_BYTES));
    a.mov(Mem.qword(R13, RCX, 1, JitContext.PRINT_RECORDS), record);
    a.mov(Mem.qword(R13, RCX, 1, JitContext.PRINT_RECORDS + 8), RAX);
    a.add(RCX, JitContext.PRINT_RECORD_BYTES);
    a.mov(Mem.qword(R13, JitContext.PRINT_BYTES), RCX);
    a.cmp(RCX, JitContext.PRINT_RECORD_BYTES * JitContext.PRINT_CAPACITY);
    Label full = a.label();
    Label done = a.label();
    a.jcc(Cond.AE, full);
    a.bind(done);
    ctx.stub(() -> {
      a.bind(full);
      upcallWithRax(JitContext.UPCALL_PRINTS, 0);
      a.jmp(done);
    });
  }

  /**
   * Calls the host's upcall helper with {@code (what, rax, extra)} in the host convention, saving
   * the slot registers it may clobber. A negative result means the Java handler threw: unwind at
   * once, and {@code invokeWithUpcall} rethrows the handler's exception (a KilnRuntimeError for
   * {@code new}, a failed write of the prints).
   */
  void upcallWithRax(int what, int extra) {
    Frame frame = ctx.frame;
    int gprs = frame.upcallClobbered.size();
    for (int k = 0; k < gprs; k++) {
      a.mov(frame.saveCell(k), frame.upcallClobbered.get(k));
    }
    for (int k = 0; k < frame.upcallClobberedXmm.size(); k++) {
      a.movsd(frame.saveCell(gprs + k), frame.upcallClobberedXmm.get(k));
    }
    a.mov(ctx.hostArgument(1), RAX);
    a.mov(ctx.hostArgument(0).width(32), what);
    a.mov(ctx.hostArgument(2).width(32), extra);
    a.callAbsolute(upcallAddress);
    for (int k = 0; k < gprs; k++) {
      a.mov(frame.upcallClobbered.get(k), frame.saveCell(k));
    }
    for (int k = 0; k < frame.upcallClobberedXmm.size(); k++) {
      a.movsd(frame.upcallClobberedXmm.get(k), frame.saveCell(gprs + k));
    }
    a.test(RAX, RAX);
    Label failed = a.label();
    a.jcc(Cond.S, failed);
    ctx.stub(() -> {
      a.bind(failed);
      ctx.leave(JitContext.UPCALL_FAILED);
    });
  }
}
