package dev.kiln.asm;

import java.util.Map;

/**
 * The machinery under {@link Assembler}'s instruction methods: the raw code buffer, labels and
 * positions, alignment, data and the constant pool, {@link #finish()} (relaxation and fixups),
 * and the shared encoding helpers with their operand checks. {@link Assembler} adds only the
 * instruction set on top.
 */
abstract class Emitter {
  final CodeBuffer buf = new CodeBuffer();
  final Relaxer relaxer = new Relaxer();
  final Encoder enc = new Encoder(buf, relaxer);
  private final ConstantPool pool = new ConstantPool(this);
  final Listing listing;
  private final PositionMap positions = new PositionMap(relaxer);
  private byte[] code;

  Emitter(Listing listing) {
    this.listing = listing;
  }

  // ---------------------------------------------------------------- labels, positions, output

  /** {@return a new unbound label} */
  public Label label() {
    return label(null);
  }

  /**
   * A new unbound label with a name for listings and error messages.
   *
   * @param name the label's name; null for none
   * @return the label
   */
  public Label label(String name) {
    int id = relaxer.newLabel(name);
    return new Label(this, id, name);
  }

  /**
   * Binds a label to the current position.
   *
   * @param l a label of this assembler
   * @throws AsmException if the label is bound already, belongs to another assembler, or the
   *     assembler is finished
   */
  public void bind(Label l) {
    checkOwn(l);
    if (code != null) {
      throw new AsmException("the assembler is finished; cannot bind " + l);
    }
    relaxer.bind(l.id, buf.size());
  }

  /**
   * A new label bound to the current position.
   *
   * @return the bound label
   */
  public Label here() {
    return here(null);
  }

  /**
   * A new label with a name for listings and error messages, bound to the current position.
   *
   * @param name the label's name; null for none
   * @return the bound label
   */
  public Label here(String name) {
    Label l = label(name);
    bind(l);
    return l;
  }

  /**
   * Records that caller position {@code key} (e.g. a bytecode offset) starts here; if a key is
   * marked more than once, the first mark counts. Resolved to a final offset by {@link #finish()}.
   *
   * @param key the caller's position
   */
  public void mark(int key) {
    positions.mark(key, buf.size(), relaxer.siteCount());
  }

  /**
   * Attaches a comment to the next instruction in the listing (ignored without a listing).
   *
   * @param text the comment
   */
  public void comment(String text) {
    if (listing != null) {
      listing.comment(text);
    }
  }

  /**
   * Pads with multi-byte NOPs to a multiple of {@code alignment} (a power of two up to 4096). The
   * padding is recomputed after branch relaxation, so it is exact in the final code.
   *
   * @param alignment the alignment in bytes
   * @throws AsmException if {@code alignment} is not a power of two in 1..4096
   */
  public void align(int alignment) {
    align(alignment, alignment - 1);
  }

  /**
   * Pads with multi-byte NOPs to a multiple of {@code alignment} (a power of two up to 4096)
   * when that takes at most {@code maxPadding} bytes, else not at all (like the GNU assembler's
   * {@code .p2align} with a maximum skip). The padding is decided after branch relaxation.
   *
   * @param alignment the alignment in bytes
   * @param maxPadding the most bytes of padding, at least 0
   * @throws AsmException if {@code alignment} is not a power of two in 1..4096 or
   *     {@code maxPadding} is negative
   */
  public void align(int alignment, int maxPadding) {
    if (alignment < 1 || alignment > 4096 || Integer.bitCount(alignment) != 1) {
      throw new AsmException("align " + alignment + ": not a power of two in 1..4096");
    }
    if (maxPadding < 0) {
      throw new AsmException("align " + alignment + ": negative maximum padding " + maxPadding);
    }
    int k = relaxer.siteCount();
    relaxer.align(buf.size(), alignment, Math.min(maxPadding, alignment - 1));
    if (listing != null) {
      listing.add(buf.size(), k, buf.size(), k + 1, ".align", null, null, null, alignment,
          Listing.DECIMAL);
    }
  }

  /**
   * Emits 8 bytes of data (little-endian), like {@code .quad}.
   *
   * @param value the data
   */
  public void data(long value) {
    int start = buf.size();
    buf.put8(value);
    note(start, ".quad", null, null, null, value, 64);
  }

  /**
   * A double in the constant pool, emitted after the code at {@link #finish()}; equal constants
   * share one slot.
   *
   * @param value the double
   * @return a RIP-relative QWORD operand addressing it
   */
  public Mem constant(double value) {
    return constantBits(Double.doubleToRawLongBits(value));
  }

  /**
   * Eight bytes in the constant pool, emitted after the code at {@link #finish()}; equal constants
   * share one slot.
   *
   * @param bits the bytes, as a little-endian long
   * @return a RIP-relative QWORD operand addressing them
   */
  public Mem constantBits(long bits) {
    return Mem.qword(pool.quad(bits));
  }

  /**
   * A RIP-relative xmmword operand addressing 16 bytes (low qword {@code lo} first) in the
   * constant pool, 16-byte aligned as SSE packed operands require: e.g. a sign mask
   * {@code constant128(0x8000000000000000L, 0)} for {@code xorpd} negation.
   *
   * @param lo the low 8 bytes
   * @param hi the high 8 bytes
   * @return a RIP-relative XMMWORD operand addressing them
   */
  public Mem constant128(long lo, long hi) {
    return Mem.xmmword(pool.oct(lo, hi));
  }

  /**
   * Lays out the code: emits the constant pool, relaxes branches, resolves labels. After this, no
   * more code can be added; calling it again returns a copy of the same code (the first call hands
   * over the array itself, without copying).
   *
   * @return the machine code, position-independent (all label references are relative)
   * @throws AsmException if a label is used but never bound
   */
  public byte[] finish() {
    if (code != null) {
      return code.clone();
    }
    pool.flush();
    int unbound = relaxer.unboundUsedLabel();
    if (unbound >= 0) {
      throw new AsmException("label '" + relaxer.labelName(unbound) + "' is used but never bound");
    }
    code = relaxer.layout(buf);
    if (listing != null) {
      listing.resolve(relaxer, code);
    }
    buf.seal();
    return code;
  }

  /**
   * The final code offset of a label.
   *
   * @param l a bound label of this assembler
   * @return its offset from the start of the code
   * @throws AsmException before {@link #finish()}, or for another assembler's label
   */
  public int offsetOf(Label l) {
    checkOwn(l);
    requireFinished();
    return relaxer.labelOffset(l.id);
  }

  /**
   * The final code offset recorded by {@link #mark(int)}.
   *
   * @param key a marked key
   * @return the offset of its first mark
   * @throws AsmException before {@link #finish()}, or if {@code key} was never marked
   */
  public int position(int key) {
    requireFinished();
    return positions.get(key);
  }

  /**
   * Every marked key with its final code offset.
   *
   * @return the keys and offsets
   * @throws AsmException before {@link #finish()}
   */
  public Map<Integer, Integer> positions() {
    requireFinished();
    return positions.asMap();
  }

  /**
   * The listing of the code.
   *
   * @return the listing
   * @throws AsmException before {@link #finish()}, or if this assembler was not made by {@link
   *     Assembler#withListing()}
   */
  public Listing listing() {
    if (listing == null) {
      throw new AsmException("no listing: create the assembler with Assembler.withListing()");
    }
    requireFinished();
    return listing;
  }

  /** {@return the size of the code so far} Before relaxation: a lower bound on final offsets. */
  public int size() {
    return buf.size();
  }

  private void requireFinished() {
    if (code == null) {
      throw new AsmException("final offsets are known only after finish()");
    }
  }

  final void checkOwn(Label l) {
    if (l.owner != this) {
      throw new AsmException("label " + l + " belongs to another assembler");
    }
  }

  // ---------------------------------------------------------------- encoding helpers

  /*
   * The classic two-operand encodings come in byte/wider pairs: opcode8 takes 8-bit operands,
   * opcode8 + 1 the 16/32/64-bit ones (the "w" bit, Intel SDM Vol. 2, Appendix B.1.4.3).
   */

  /** {@code op r/m, reg} with both registers: ModRM.reg = source, ModRM.rm = destination. */
  final void rmReg(String mn, int opcode8, Reg d, Reg s) {
    int bits = sameSize(mn, d, s);
    rr(mn, d, s, null, osz(bits), w(bits), opcode8 + (bits == 8 ? 0 : 1), s.code(), d.code(),
        d.rexFlags() | s.rexFlags(), 0, 0, 0);
  }

  /** {@code op m, reg}: memory destination, register source in ModRM.reg. */
  final void memReg(String mn, int opcode8, Mem d, Reg s) {
    int bits = memMatches(mn, s, d);
    rm(mn, d, s, null, osz(bits), w(bits), opcode8 + (bits == 8 ? 0 : 1), s.code(), d,
        s.rexFlags(), 0, 0, 0);
  }

  /** {@code op reg, m}: register destination in ModRM.reg, memory source. */
  final void regMem(String mn, int opcode8, Reg d, Mem s) {
    int bits = memMatches(mn, d, s);
    rm(mn, d, s, null, osz(bits), w(bits), opcode8 + (bits == 8 ? 0 : 1), d.code(), s,
        d.rexFlags(), 0, 0, 0);
  }

  /** ModRM with a register r/m operand, then an immediate of {@code immBytes}. */
  final void rr(String mn, Operand a, Operand b, Operand c, int prefix, int w, int opcode,
      int reg, int rm, int rexFlags, long imm, int immBytes, int immBits) {
    int start = buf.size();
    if (!enc.regReg(prefix, w, opcode, reg, rm, rexFlags)) {
      throw rexConflict(mn, a, b);
    }
    buf.emitImm(imm, immBytes);
    note(start, mn, a, b, c, imm, immBits);
  }

  /** ModRM with a memory r/m operand {@code m}, then an immediate of {@code immBytes}. */
  final void rm(String mn, Operand a, Operand b, Operand c, int prefix, int w, int opcode,
      int reg, Mem m, int rexFlags, long imm, int immBytes, int immBits) {
    if (m.label != null) {
      checkOwn(m.label);
    }
    int start = buf.size();
    if (!enc.regMem(prefix, w, opcode, reg, m, rexFlags, immBytes)) {
      throw rexConflict(mn, a, b);
    }
    buf.emitImm(imm, immBytes);
    note(start, mn, a, b, c, imm, immBits);
  }

  /** No ModRM: the register (if any) is in the opcode's low bits. */
  final void op(String mn, Operand a, Operand b, int prefix, int w, int opcode, int reg,
      int rexFlags, long imm, int immBytes, int immBits) {
    int start = buf.size();
    if (!enc.opReg(prefix, w, opcode, reg, rexFlags)) {
      throw rexConflict(mn, a, b);
    }
    buf.emitImm(imm, immBytes);
    note(start, mn, a, b, null, imm, immBits);
  }

  final void note(int start, String mn, Operand a, Operand b, Operand c, long imm,
      int immBits) {
    if (listing != null) {
      int k = relaxer.siteCount();
      listing.add(start, k, buf.size(), k, mn, a, b, c, imm, immBits);
    }
  }

  /**
   * The memory operand as the listing should show it, with the access size the instruction
   * implies; only built when listing, so the encoding path does not allocate.
   */
  final Mem shown(Mem m, int size) {
    return listing == null || m.size == size ? m : m.withSize(size);
  }

  static int w(int bits) {
    return bits == 64 ? Encoder.REX_W : 0;
  }

  /** The operand-size override prefix selects 16-bit operands (Intel SDM Vol. 1, 3.6). */
  static int osz(int bits) {
    return bits == 16 ? 0x66 : 0;
  }

  static int immBytes(int bits) {
    return bits == 8 ? 1 : bits == 16 ? 2 : 4;
  }

  /**
   * Checks that {@code imm} is encodable for a {@code bits}-wide operation and returns it
   * sign-extended from that width (so {@code add eax, 0xffffffff} is -1 and takes the imm8
   * form). 64-bit operations only have sign-extended 32-bit immediates.
   */
  static long immediate(String mn, Operand dst, long imm, int bits) {
    if (bits == 64) {
      if (!Imm.fits32(imm)) {
        throw err(mn, "immediate does not fit a sign-extended 32-bit field", dst, new Imm(imm));
      }
      return imm;
    }
    if (!Imm.fitsWidth(imm, bits)) {
      throw err(mn, "immediate does not fit " + bits + " bits", dst, new Imm(imm));
    }
    return imm << (64 - bits) >> (64 - bits);
  }

  static int sameSize(String mn, Reg a, Reg b) {
    if (a.bits() != b.bits()) {
      throw err(mn, "operand sizes differ", a, b);
    }
    return a.bits();
  }

  /** A register and a memory operand: the memory's size, if given, must match the register. */
  static int memMatches(String mn, Reg r, Mem m) {
    if (m.size != 0 && m.size * 8 != r.bits()) {
      throw err(mn, "operand sizes differ", r, m);
    }
    return r.bits();
  }

  /** A memory operand with nothing else to fix the size must be sized. */
  static int sized(String mn, Mem m, Operand other) {
    if (m.size == 0 || m.size == 16) {
      throw err(mn, "memory operand needs a size (BYTE/WORD/DWORD/QWORD PTR)", m, other);
    }
    return m.size * 8;
  }

  static void noByte(String mn, Reg d, Operand s) {
    if (d.bits() == 8) {
      throw err(mn, "has no 8-bit form", d, s);
    }
  }

  static AsmException rexConflict(String mn, Operand a, Operand b) {
    return err(mn, "ah/bh/ch/dh cannot be used in an instruction that needs a REX prefix", a, b);
  }

  /** "add rax, ebx: operand sizes differ". */
  static AsmException err(String mn, String why, Operand... ops) {
    StringBuilder sb = new StringBuilder(mn);
    String sep = " ";
    for (Operand o : ops) {
      if (o != null) {
        sb.append(sep).append(o);
        sep = ", ";
      }
    }
    return new AsmException(sb.append(": ").append(why).toString());
  }
}
