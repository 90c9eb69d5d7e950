package dev.kiln.backend.emit;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Label;
import dev.kiln.asm.Listing;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.Function;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits a module as one blob: the entry stub at offset 0, then each function (calling the others
 * with relative calls), its trap stubs after its body, and the constant pool. Or, for a module
 * compiled function by function on first calls, the entry stub with a stand-in per function
 * ({@link #emitLazy}) and then each function's blob on its own ({@link #emitFunction}).
 */
public final class ModuleEmitter {
  /**
   * The machine code of a module, where each function starts in it (the address of the internal
   * convention, for the function table), where the entry stub calls it ({@code entryOffsets}) and
   * where the entry stub's unwind code is.
   */
  public record Emitted(byte[] code, int[] functionOffsets, int[] entryOffsets,
      int[] functionSizes, int unwindOffset,
      List<Signature> signatures, ContextBlock context, int maxActivationBytes,
      Listing listing) {}

  private ModuleEmitter() {}

  /**
   * The memory whose base the module keeps in {@link Registers#MEMORY_BASE}: the one with the
   * most loads and stores in the code (the first on a tie), since each of them saves the load of
   * the base from the context block.
   *
   * @param memories the number of memories the module declares
   * @param functions its functions as they are emitted
   * @return the memory's index, or -1 when the module declares none
   */
  public static int pinnedMemory(int memories, List<MachineFunction> functions) {
    int[] accesses = new int[memories];
    for (MachineFunction mf : functions) {
      for (int m = 0; m < memories; m++) {
        accesses[m] += mf.memoryAccesses(m);
      }
    }
    return mostAccessed(accesses);
  }

  /**
   * The memory with the most accesses, the first on a tie.
   *
   * @param accesses the loads and stores of each memory, by index
   * @return its index, or -1 when there is no memory
   */
  public static int mostAccessed(int[] accesses) {
    if (accesses.length == 0) {
      return -1;
    }
    int best = 0;
    for (int i = 1; i < accesses.length; i++) {
      if (accesses[i] > accesses[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * What the code of every function of a module refers to beyond itself: the signature numbers of
   * the function table and the layout of the context block.
   */
  public record Layout(List<Signature> signatures, ContextBlock context) {
    /** The layout of {@code module}'s code. */
    public static Layout of(Module module) {
      List<Signature> signatures = new ArrayList<>();
      int argumentSlots = 0;
      for (Function f : module.functions()) {
        if (!signatures.contains(f.signature())) {
          signatures.add(f.signature());
        }
        argumentSlots = Math.max(argumentSlots, f.signature().params().size());
      }
      for (var callee : module.imports()) {
        argumentSlots = Math.max(argumentSlots, callee.signature().params().size());
      }
      return new Layout(signatures, new ContextBlock(argumentSlots, module.memories().size(),
          module.functions().size(), module.imports().size()));
    }
  }

  /**
   * One function's code, compiled apart from the module's other code (on its first call): its
   * body, trap stubs and constants, with the offsets where it starts (the internal convention's
   * address, for the function table) and where its entry adapter starts.
   */
  public record FunctionCode(byte[] code, int start, int entry) {}

  /**
   * Emits {@code module}, whose functions were lowered and allocated in module order.
   *
   * @param upcallAddress the upcall helper's address in {@code convention}, or 0 when the module
   *     imports no Java function
   * @param pinnedMemory the memory whose base stays in a register, {@link #pinnedMemory}
   * @param outOfLineEdgeMinMoves the fewest moves of a branch's edge that go after the body
   */
  public static Emitted emit(Module module, List<MachineFunction> functions,
      List<Allocation> allocations, CallingConvention convention, long upcallAddress,
      boolean listing, int pinnedMemory, int outOfLineEdgeMinMoves) {
    Assembler a = listing ? Assembler.withListing() : new Assembler();
    Layout layout = Layout.of(module);
    List<Label> labels = new ArrayList<>();
    for (Function f : module.functions()) {
      labels.add(a.label(f.name()));
    }
    Linkage link = new Linkage(labels, a.label("unwind"), a.label("upcall_failed"),
        layout.context(), layout.signatures(), convention, upcallAddress, listing, pinnedMemory,
        outOfLineEdgeMinMoves);
    EntryStub.emit(a, link);
    int maxActivation = 0;
    Label[] ends = new Label[functions.size()];
    Label[] entries = new Label[functions.size()];
    boolean[] aligned = AlignedFrames.of(functions);
    for (int i = 0; i < functions.size(); i++) {
      a.align(16);
      FunctionEmitter fe =
          new FunctionEmitter(a, functions.get(i), allocations.get(i), link, aligned[i]);
      entries[i] = a.label();
      fe.emit(entries[i]);
      ends[i] = a.here();
      maxActivation = Math.max(maxActivation, fe.activationBytes());
    }
    byte[] code = a.finish();
    int[] offsets = new int[labels.size()];
    int[] entryOffsets = new int[labels.size()];
    int[] sizes = new int[labels.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = a.offsetOf(labels.get(i));
      entryOffsets[i] = a.offsetOf(entries[i]);
      sizes[i] = a.offsetOf(ends[i]) - offsets[i];
    }
    return new Emitted(code, offsets, entryOffsets, sizes, a.offsetOf(link.unwind()),
        layout.signatures(), layout.context(), maxActivation, listing ? a.listing() : null);
  }

  /**
   * Emits the code of a module whose functions are compiled on their first call: the entry stub
   * and a {@link LazyStubs stand-in} per function, at {@code functionOffsets}, where the function
   * table points until {@link #emitFunction} has compiled a function ({@code entryOffsets} are
   * -1, {@code functionSizes} the stand-ins' sizes, the last 0, {@code maxActivationBytes} 0: not
   * known yet).
   */
  public static Emitted emitLazy(Module module, Layout layout, CallingConvention convention,
      long upcallAddress, int pinnedMemory) {
    Assembler a = new Assembler();
    int n = module.functions().size();
    Linkage link = new Linkage(Arrays.asList(new Label[n]), a.label("unwind"),
        a.label("upcall_failed"), layout.context(), layout.signatures(), convention,
        upcallAddress, false, pinnedMemory, 0);
    EntryStub.emit(a, link);
    Label[] stubs = LazyStubs.emit(a, link, n);
    byte[] code = a.finish();
    int[] offsets = new int[n];
    int[] sizes = new int[n];
    int[] entryOffsets = new int[n];
    for (int i = 0; i < n; i++) {
      offsets[i] = a.offsetOf(stubs[i]);
      entryOffsets[i] = -1;
      if (i > 0) {
        sizes[i - 1] = offsets[i] - offsets[i - 1];
      }
    }
    return new Emitted(code, offsets, entryOffsets, sizes, a.offsetOf(link.unwind()),
        layout.signatures(), layout.context(), 0, null);
  }

  /**
   * Emits one function of a module compiled on first calls ({@link #emitLazy}): it calls the
   * other functions through the function table, itself directly, and reaches the entry stub's
   * unwind code through {@link ContextBlock#UNWIND}.
   *
   * @param aligned whether it aligns its calls ({@link AlignedFrames#ofIr})
   * @param outOfLineEdgeMinMoves the fewest moves of a branch's edge that go after the body
   */
  public static FunctionCode emitFunction(MachineFunction mf, Allocation allocation,
      Layout layout, CallingConvention convention, long upcallAddress, int pinnedMemory,
      boolean aligned, int outOfLineEdgeMinMoves) {
    Assembler a = new Assembler();
    Function f = mf.function();
    Label[] labels = new Label[f.module().functions().size()];
    labels[f.index()] = a.label(f.name());
    Linkage link = new Linkage(Arrays.asList(labels), a.label("unwind"),
        a.label("upcall_failed"), layout.context(), layout.signatures(), convention,
        upcallAddress, false, pinnedMemory, outOfLineEdgeMinMoves);
    FunctionEmitter fe = new FunctionEmitter(a, mf, allocation, link, aligned);
    Label entry = a.label();
    fe.emit(entry);
    a.bind(link.upcallFailed());
    a.mov(Reg.EAX, (int) ContextBlock.STATUS_UPCALL_FAILED);
    a.bind(link.unwind());
    a.jmp(Mem.qword(Reg.R15, ContextBlock.UNWIND));
    byte[] code = a.finish();
    return new FunctionCode(code, a.offsetOf(labels[f.index()]), a.offsetOf(entry));
  }
}
