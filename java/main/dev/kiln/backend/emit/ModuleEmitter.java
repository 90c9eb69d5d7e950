package dev.kiln.backend.emit;

import dev.kiln.asm.Assembler;
import dev.kiln.asm.Label;
import dev.kiln.asm.Listing;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.regalloc.Allocation;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.Function;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.runtime.CallingConvention;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits a module as one blob: the entry stub at offset 0, then each function (calling the others
 * with relative calls), its trap stubs after its body, and the constant pool.
 */
public final class ModuleEmitter {
  /**
   * The machine code of a module, where each function starts in it (the address of the internal
   * convention, for the function table) and where the entry stub calls it ({@code entryOffsets}).
   */
  public record Emitted(byte[] code, int[] functionOffsets, int[] entryOffsets,
      int[] functionSizes,
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
    if (memories == 0) {
      return -1;
    }
    int[] accesses = new int[memories];
    for (MachineFunction mf : functions) {
      for (int m = 0; m < memories; m++) {
        accesses[m] += mf.memoryAccesses(m);
      }
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
   * Emits {@code module}, whose functions were lowered and allocated in module order.
   *
   * @param upcallAddress the upcall helper's address in {@code convention}, or 0 when the module
   *     imports no Java function
   * @param pinnedMemory the memory whose base stays in a register, {@link #pinnedMemory}
   */
  public static Emitted emit(Module module, List<MachineFunction> functions,
      List<Allocation> allocations, CallingConvention convention, long upcallAddress,
      boolean listing, int pinnedMemory) {
    Assembler a = listing ? Assembler.withListing() : new Assembler();
    List<Label> labels = new ArrayList<>();
    List<Signature> signatures = new ArrayList<>();
    int argumentSlots = 0;
    for (Function f : module.functions()) {
      labels.add(a.label(f.name()));
      if (!signatures.contains(f.signature())) {
        signatures.add(f.signature());
      }
      argumentSlots = Math.max(argumentSlots, f.signature().params().size());
    }
    for (var callee : module.imports()) {
      argumentSlots = Math.max(argumentSlots, callee.signature().params().size());
    }
    ContextBlock context = new ContextBlock(argumentSlots, module.memories().size(),
        module.functions().size(), module.imports().size());
    Linkage link = new Linkage(labels, a.label("unwind"), a.label("upcall_failed"), context,
        signatures, convention, upcallAddress, listing, pinnedMemory);
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
    return new Emitted(code, offsets, entryOffsets, sizes, signatures, context, maxActivation,
        listing ? a.listing() : null);
  }
}
