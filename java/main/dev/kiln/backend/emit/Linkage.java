package dev.kiln.backend.emit;

import dev.kiln.asm.Label;
import dev.kiln.asm.Reg;
import dev.kiln.backend.regalloc.Registers;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import dev.kiln.runtime.CallingConvention;
import java.util.List;

/**
 * What every function's code refers to beyond itself: the functions' labels, the unwind code of
 * the entry stub, the context block's layout, the signature numbers of the function table, the
 * convention and address of the upcall helper for Java imports, the memory whose base is
 * pinned in {@link Registers#MEMORY_BASE} (-1 for none), and the fewest moves of a branch's edge
 * that go after the body ({@code Thresholds.OUT_OF_LINE_EDGE_MIN_MOVES}).
 */
record Linkage(List<Label> functions, Label unwind, Label upcallFailed, ContextBlock context,
    List<Signature> signatures, CallingConvention convention, long upcallAddress,
    boolean listing, int pinnedMemory, int outOfLineEdgeMinMoves) {
  /** The register holding the base of memory {@link #pinnedMemory}. */
  static final Reg MEMORY_BASE = Reg.of(Registers.MEMORY_BASE, 64);

  Label label(Function f) {
    return functions.get(f.index());
  }

  /** The number {@code call_indirect} checks a handle's signature against. */
  int signatureNumber(Signature s) {
    return signatures.indexOf(s);
  }
}
