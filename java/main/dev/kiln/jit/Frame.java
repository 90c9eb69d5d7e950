package dev.kiln.jit;

import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.Xmm;
import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The native stack frame of one compiled function, rsp-relative (rsp does not move inside a
 * body). From rsp upwards: the outgoing area (arguments of Kiln calls, and the 32-byte shadow
 * space of the Microsoft x64 convention for upcalls), the slots that got no register, the saved
 * XMM registers, the save area for registers an upcall may clobber, padding, the pushed general
 * registers, the return address, then the incoming arguments. In a function that reaches an upcall
 * (itself or through its callees) the total keeps rsp 16-byte aligned at every call, as both C
 * conventions require of calls into the host (SysV ABI §3.2.2; Microsoft x64 "Stack
 * allocation"); the others need no padding, as Kiln code itself never depends on alignment.
 *
 * <p>Internal convention between Kiln functions: the first arguments travel in {@link
 * #ARGUMENT_REGISTERS} (a float as its bits, except in {@link #floatArgument}), the others in the caller's outgoing area, argument
 * {@code j} at {@code [rsp + 8j]}, where the callee finds it above its return address. The callee
 * moves each parameter to its home; a stack argument without a register stays in its incoming
 * cell, a register argument without one gets a cell of the callee's frame. The result is in rax, a float one in xmm0 (a float's way on
 * is float arithmetic: no move between register files on the way). Every register of both pools is callee-saved (for XMM
 * registers the low 64 bits, all Kiln keeps in them).
 */
final class Frame {
  private static final int SHADOW_BYTES = 32;

  /**
   * Registers of the first arguments of a Kiln call: scratch registers, outside both pools, so
   * loading them never overwrites a slot and the callee's prologue can take them at once.
   */
  static final List<Reg> ARGUMENT_REGISTERS = List.of(Reg.RCX, Reg.RDX, Reg.RAX);

  /**
   * Where float arguments 0 and 1 travel instead (scratch registers too): a float computed in an
   * XMM register reaches the callee's float arithmetic without a move between register files,
   * which would add its latency to the call's critical path twice (movq out, movq back in).
   */
  private static final List<Xmm> FLOAT_ARGUMENT_REGISTERS = List.of(Xmm.XMM0, Xmm.XMM1);

  /** The XMM register argument {@code j} of a call to {@code callee} travels in, or null (a general register or the stack). */
  static Xmm floatArgument(FunctionInfo callee, int j) {
    return j < FLOAT_ARGUMENT_REGISTERS.size() && j < callee.params().size()
        && callee.params().get(j) == ValueKind.FLOAT ? FLOAT_ARGUMENT_REGISTERS.get(j) : null;
  }

  final Reg[] registers;
  final Xmm[] xmmRegisters;
  final boolean[] folded;
  final long[] constants;
  final HandOvers.Result handOvers;
  final List<Reg> pushed;
  final List<Xmm> xmmSaved;
  /**
   * Pool registers the host convention does not preserve across an upcall. All the program uses,
   * not just this function's: the pools are callee-saved between Kiln functions, so a caller's
   * values may sit in registers this function never names. Empty when it makes no upcalls.
   */
  final List<Reg> upcallClobbered = new ArrayList<>();
  final List<Xmm> upcallClobberedXmm = new ArrayList<>();
  final int size;
  private final int[] displacement;
  private final int xmmSaveArea;
  private final int saveArea;

  /**
   * @param upcalls whether the function calls the host
   * @param aligned whether rsp must be 16-byte aligned at the function's calls
   * @param inUse the pool registers any function of the program uses: only those can hold a
   *     caller's value across an upcall
   */
  Frame(SlotAllocator.Homes homes, int params, int maxCallArgs, boolean upcalls, boolean aligned,
      Set<Object> inUse, CallingConvention convention) {
    this.registers = homes.gpr();
    this.xmmRegisters = homes.xmm();
    this.folded = homes.folded();
    this.constants = homes.constants();
    this.handOvers = homes.handOvers();
    this.pushed = SlotAllocator.used(SlotAllocator.POOL, registers);
    this.xmmSaved = SlotAllocator.used(SlotAllocator.XMM_POOL, xmmRegisters);
    if (upcalls) {
      for (Reg r : SlotAllocator.POOL) {
        if (inUse.contains(r) && !convention.calleeSaved().contains(r.code())) {
          upcallClobbered.add(r);
        }
      }
      for (Xmm x : SlotAllocator.XMM_POOL) {
        if (inUse.contains(x) && !convention.calleeSavedXmm().contains(x.code())) {
          upcallClobberedXmm.add(x);
        }
      }
    }
    // Stack arguments sit at their index's cell, so the cells of the register arguments are
    // reserved only when some call has stack arguments.
    int stackArguments = maxCallArgs > ARGUMENT_REGISTERS.size() ? maxCallArgs : 0;
    int outgoing = Math.max(upcalls ? SHADOW_BYTES : 0, 8 * stackArguments);
    displacement = new int[registers.length];
    int next = outgoing;
    for (int slot = 0; slot < registers.length; slot++) {
      if (inMemory(slot) && !isStackArgument(slot, params)) {
        displacement[slot] = next;
        next += 8;
      }
    }
    xmmSaveArea = next;
    next += 8 * xmmSaved.size();
    saveArea = next;
    next += 8 * (upcallClobbered.size() + upcallClobberedXmm.size());
    // At entry rsp = 8 mod 16 (the return address); pushes and the frame must realign it.
    int pushedBytes = 8 * pushed.size();
    int size = next;
    if (aligned && (8 + pushedBytes + size) % 16 != 0) {
      size += 8;
    }
    this.size = size;
    for (int slot = 0; slot < params && slot < registers.length; slot++) {
      if (isStackArgument(slot, params)) {
        displacement[slot] = incoming(slot);
      }
    }
  }

  /** Whether {@code fn} returns a float, which the internal convention returns in xmm0. */
  static boolean returnsFloat(FunctionInfo fn) {
    return fn.result() == ValueKind.FLOAT;
  }

  /** Whether parameter {@code slot} arrives on the stack (then a spilled one stays there). */
  static boolean isStackArgument(int slot, int params) {
    return slot >= ARGUMENT_REGISTERS.size() && slot < params;
  }

  boolean inMemory(int slot) {
    return registers[slot] == null && xmmRegisters[slot] == null && !folded[slot]
        && !handOvers.only()[slot];
  }

  /** The offset from rsp of incoming argument {@code j} (after the prologue). */
  int incoming(int j) {
    return size + 8 * pushed.size() + 8 + 8 * j;
  }

  /** The frame home of a slot without a register. */
  Mem memory(int slot) {
    return Mem.qword(Reg.RSP, displacement[slot]);
  }

  /** Where the prologue keeps callee-saved XMM register number {@code k} of {@link #xmmSaved}. */
  Mem xmmSaveCell(int k) {
    return Mem.qword(Reg.RSP, xmmSaveArea + 8 * k);
  }

  /** The upcall save-area cell number {@code k} (general registers first, then XMM). */
  Mem saveCell(int k) {
    return Mem.qword(Reg.RSP, saveArea + 8 * k);
  }

  /** Bytes this frame takes on the stack, return address included. */
  int totalBytes() {
    return size + 8 * pushed.size() + 8;
  }
}
