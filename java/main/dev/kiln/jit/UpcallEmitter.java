package dev.kiln.jit;

import static dev.kiln.asm.Reg.EAX;
import static dev.kiln.asm.Reg.RAX;

import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;

/**
 * Calls into the host's upcall helper in the host convention: print, and {@code new} of an array
 * compiled code does not allocate itself ({@link ArrayEmitter}).
 */
final class UpcallEmitter extends InstructionEmitter {
  private final long upcallAddress;

  UpcallEmitter(EmitContext ctx, Slots slots, long upcallAddress) {
    super(ctx, slots);
    this.upcallAddress = upcallAddress;
  }

  /** Prints slot {@code valueSlot} ({@code -1 - string} for a string constant), {@code lastFlag} 1 for a line's last. */
  void print(int what, int valueSlot, int lastFlag) {
    upcall(what | (lastFlag == 1 ? JitContext.LAST_ARGUMENT : 0), valueSlot, 0);
  }

  /**
   * Calls the host's upcall helper with {@code (what, value, extra)} in the host convention,
   * saving the slot registers it may clobber. {@code valueSlot} < 0 passes {@code -1 - valueSlot}
   * as an immediate. A negative result means the Java handler threw: unwind at once, and
   * {@code invokeWithUpcall} rethrows the handler's exception (a KilnRuntimeError for
   * {@code new}).
   */
  private void upcall(int what, int valueSlot, int extra) {
    if (valueSlot >= 0) {
      slots.load(RAX, valueSlot);
    } else {
      a.mov(EAX, -1 - valueSlot);
    }
    upcallWithRax(what, extra);
  }

  /** {@link #upcall} with its value already in rax. */
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
