package dev.kiln.asm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deduplicated 8- and 16-byte constants (float values, sign masks, helper addresses), placed after
 * the code at {@link Assembler#finish()}, naturally aligned, and addressed RIP-relative: the code
 * and its pool move together, so the 32-bit displacement always reaches.
 *
 * <p>Written for a cold JVM, as a JIT's first compile runs it: no lambdas, no string
 * concatenation and no record-generated {@code equals}/{@code hashCode}, all of which are linked
 * through {@code invokedynamic} on first use, a start-up cost paid inside the first compile.
 */
final class ConstantPool {
  /** A 16-byte constant as a map key; equals and hashCode written out (see the class comment). */
  private record Oct(long lo, long hi) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Oct other && other.lo == lo && other.hi == hi;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(lo) * 31 + Long.hashCode(hi);
    }
  }

  private final Emitter asm;
  private final Map<Long, Label> quads = new LinkedHashMap<>();
  private final Map<Oct, Label> octs = new LinkedHashMap<>();

  ConstantPool(Emitter asm) {
    this.asm = asm;
  }

  Label quad(long bits) {
    Label label = quads.get(bits);
    if (label == null) {
      label = asm.label("const_".concat(Long.toHexString(bits)));
      quads.put(bits, label);
    }
    return label;
  }

  Label oct(long lo, long hi) {
    Oct key = new Oct(lo, hi);
    Label label = octs.get(key);
    if (label == null) {
      label = asm.label("const_".concat(Long.toHexString(hi)).concat("_").concat(Long.toHexString(lo)));
      octs.put(key, label);
    }
    return label;
  }

  /** Emits the pool at the current end of code: 16-byte entries first, then 8-byte ones. */
  void flush() {
    if (!octs.isEmpty()) {
      asm.align(16);
      for (Map.Entry<Oct, Label> e : octs.entrySet()) {
        asm.bind(e.getValue());
        asm.data(e.getKey().lo);
        asm.data(e.getKey().hi);
      }
    }
    if (!quads.isEmpty()) {
      asm.align(8);
      for (Map.Entry<Long, Label> e : quads.entrySet()) {
        asm.bind(e.getValue());
        asm.data(e.getKey());
      }
    }
  }
}
