package dev.kiln.asm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deduplicated 8- and 16-byte constants (float values, sign masks, helper addresses), placed after
 * the code at {@link Assembler#finish()}, naturally aligned, and addressed RIP-relative: the code
 * and its pool move together, so the 32-bit displacement always reaches.
 */
final class ConstantPool {
  private record Oct(long lo, long hi) {}

  private final Emitter asm;
  private final Map<Long, Label> quads = new LinkedHashMap<>();
  private final Map<Oct, Label> octs = new LinkedHashMap<>();

  ConstantPool(Emitter asm) {
    this.asm = asm;
  }

  Label quad(long bits) {
    return quads.computeIfAbsent(bits, b -> asm.label("const_" + Long.toHexString(b)));
  }

  Label oct(long lo, long hi) {
    return octs.computeIfAbsent(new Oct(lo, hi),
        o -> asm.label("const_" + Long.toHexString(hi) + "_" + Long.toHexString(lo)));
  }

  /** Emits the pool at the current end of code: 16-byte entries first, then 8-byte ones. */
  void flush() {
    if (!octs.isEmpty()) {
      asm.align(16);
      octs.forEach((o, label) -> {
        asm.bind(label);
        asm.data(o.lo);
        asm.data(o.hi);
      });
    }
    if (!quads.isEmpty()) {
      asm.align(8);
      quads.forEach((bits, label) -> {
        asm.bind(label);
        asm.data(bits);
      });
    }
  }
}
