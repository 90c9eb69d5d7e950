package dev.kiln.asm;

/**
 * An x86-64 assembler for JIT compilers: one method per mnemonic, overloaded by operand kinds, in
 * the spirit of AsmJit and Xbyak.
 *
 * <pre>{@code
 * Assembler a = new Assembler();
 * Label loop = a.label("loop");
 * a.xor(EAX, EAX);
 * a.bind(loop);
 * a.add(RAX, qword(RSI, RCX, 8, 0));
 * a.dec(RCX);
 * a.jcc(Cond.NE, loop);
 * a.ret();
 * byte[] code = a.finish();
 * }</pre>
 *
 * <p>Branches to labels are relaxed at {@link #finish()} (rel8 where it reaches, rel32 otherwise);
 * everything else is encoded immediately into a byte buffer, without allocation. Operand
 * combinations the CPU does not have throw {@link AsmException} naming the instruction and its
 * operands. Immediate forms follow GNU as: the sign-extended imm8 form whenever the value fits,
 * the short accumulator forms otherwise, so the bytes equal what {@code as} emits (one deliberate
 * exception, documented at {@link #mov(Reg, long)}, is shorter). An assembler is not thread-safe;
 * use one per thread.
 */
public final class Assembler extends Emitter {
  /** An assembler without a listing: the fast path for JITs. */
  public Assembler() {
    super(null);
  }

  private Assembler(Listing listing) {
    super(listing);
  }

  /**
   * An assembler that records a {@link Listing} of everything it emits, for disassembly-style
   * output and tests; slower than {@link #Assembler()}.
   *
   * @return the assembler; its listing is {@link #listing()} after {@link #finish()}
   */
  public static Assembler withListing() {
    return new Assembler(new Listing());
  }

  // ---------------------------------------------------------------- moves

  /**
   * Moves {@code s} into {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void mov(Reg d, Reg s) {
    rmReg("mov", 0x88, d, s);
  }

  /**
   * Moves {@code s} into {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void mov(Reg d, Mem s) {
    regMem("mov", 0x8A, d, s);
  }

  /**
   * Moves {@code s} into {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void mov(Mem d, Reg s) {
    memReg("mov", 0x88, d, s);
  }

  /**
   * Loads an immediate, with the shortest exact encoding: for a 64-bit register, {@code C7 /0}
   * (sign-extended imm32) when the value fits; {@code mov r32, imm32} when it is in [2^31, 2^32)
   * (writing a 32-bit register zero-extends, Intel SDM Vol. 1, 3.4.1.1: 5 bytes where GNU as uses a
   * 10-byte movabs); otherwise the 10-byte {@code B8+r imm64}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void mov(Reg d, long imm) {
    int bits = d.bits();
    if (bits == 64 && Imm.fits32(imm)) {
      rr("mov", d, null, null, 0, Encoder.REX_W, 0xC7, 0, d.code(), 0, imm, 4, 64);
    } else if (bits == 64 && (imm >>> 32) == 0) {
      mov(d.width(32), imm);
    } else if (bits == 64) {
      movabs(d, imm);
    } else {
      long v = immediate("mov", d, imm, bits);
      op("mov", d, null, osz(bits), 0, bits == 8 ? 0xB0 : 0xB8, d.code(), d.rexFlags(), v,
          immBytes(bits), bits);
    }
  }

  /**
   * Always the 10-byte {@code mov r64, imm64} (e.g. for a patchable address).
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void movabs(Reg d, long imm) {
    if (d.bits() != 64) {
      throw err("movabs", "needs a 64-bit register", d, new Imm(imm));
    }
    op("movabs", d, null, 0, Encoder.REX_W, 0xB8, d.code(), 0, imm, 8, 64);
  }

  /**
   * Moves {@code imm} into {@code d}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void mov(Mem d, long imm) {
    int bits = sized("mov", d, new Imm(imm));
    long v = immediate("mov", d, imm, bits);
    rm("mov", d, null, null, osz(bits), w(bits), bits == 8 ? 0xC6 : 0xC7, 0, d, 0, v,
        immBytes(bits), bits);
  }

  /**
   * Moves {@code s} into {@code d} with zero extension from 8 or 16 bits.
   *
   * @param d the destination
   * @param s the source
   */
  public void movzx(Reg d, Reg s) {
    extend("movzx", 0x0FB6, d, s, s.bits(), s.rexFlags());
  }

  /**
   * Moves {@code s} into {@code d} with zero extension from 8 or 16 bits.
   *
   * @param d the destination
   * @param s the source
   */
  public void movzx(Reg d, Mem s) {
    extend("movzx", 0x0FB6, d, s, s.size * 8, 0);
  }

  /**
   * Moves {@code s} into {@code d} with sign extension from 8 or 16 bits.
   *
   * @param d the destination
   * @param s the source
   */
  public void movsx(Reg d, Reg s) {
    extend("movsx", 0x0FBE, d, s, s.bits(), s.rexFlags());
  }

  /**
   * Moves {@code s} into {@code d} with sign extension from 8 or 16 bits.
   *
   * @param d the destination
   * @param s the source
   */
  public void movsx(Reg d, Mem s) {
    extend("movsx", 0x0FBE, d, s, s.size * 8, 0);
  }

  /** movzx/movsx: 0F B6/BE from 8 bits, 0F B7/BF from 16 bits, into a wider register. */
  private void extend(String mn, int opcode, Reg d, Operand s, int srcBits, int srcFlags) {
    int bits = d.bits();
    if (srcBits != 8 && srcBits != 16 || bits <= srcBits) {
      throw err(mn, srcBits == 0 ? "memory operand needs a size (BYTE or WORD PTR)"
          : "source must be 8 or 16 bits and narrower than the destination", d, s);
    }
    int opc = opcode + (srcBits == 16 ? 1 : 0);
    if (s instanceof Reg r) {
      rr(mn, d, s, null, osz(bits), w(bits), opc, d.code(), r.code(), d.rexFlags() | srcFlags,
          0, 0, 0);
    } else {
      rm(mn, d, s, null, osz(bits), w(bits), opc, d.code(), (Mem) s, d.rexFlags(), 0, 0, 0);
    }
  }

  /**
   * Moves the 32-bit {@code s} into the 64-bit {@code d} with sign extension.
   *
   * @param d the destination
   * @param s the source
   */
  public void movsxd(Reg d, Reg s) {
    if (d.bits() != 64 || s.bits() != 32) {
      throw err("movsxd", "needs a 64-bit destination and a 32-bit source", d, s);
    }
    rr("movsxd", d, s, null, 0, Encoder.REX_W, 0x63, d.code(), s.code(), 0, 0, 0, 0);
  }

  /**
   * Moves the 32-bit {@code s} into the 64-bit {@code d} with sign extension.
   *
   * @param d the destination
   * @param s the source
   */
  public void movsxd(Reg d, Mem s) {
    if (d.bits() != 64 || s.size != 4 && s.size != 0) {
      throw err("movsxd", "needs a 64-bit destination and a 32-bit source", d, s);
    }
    rm("movsxd", d, shown(s, 4), null, 0, Encoder.REX_W, 0x63, d.code(), s, 0, 0, 0, 0);
  }

  /**
   * Load effective address (the memory operand's size is irrelevant).
   *
   * @param d the destination
   * @param s the source
   */
  public void lea(Reg d, Mem s) {
    if (d.bits() == 8) {
      throw err("lea", "needs a 16-, 32- or 64-bit destination", d, s);
    }
    rm("lea", d, shown(s, 0), null, osz(d.bits()), w(d.bits()), 0x8D, d.code(), s, 0, 0, 0, 0);
  }

  /**
   * Exchanges {@code a} and {@code b} (with a memory operand, implicitly locked).
   *
   * @param a the first operand
   * @param b the second operand
   */
  public void xchg(Reg a, Reg b) {
    int bits = sameSize("xchg", a, b);
    Reg other = a.code() == 0 ? b : a;
    boolean accumulatorForm = bits != 8 && (a.code() == 0 || b.code() == 0)
        && !(bits == 32 && other.code() == 0); // 87 C0: 90 would be a nop, not a zero-extension
    if (accumulatorForm && bits == 64 && other.code() == 0) {
      nop(); // xchg rax,rax: GNU as emits 90 without REX.W, the one-byte nop it is anyway
    } else if (accumulatorForm) {
      // 90+r; listed as objdump shows it, "xchg other,accumulator".
      op("xchg", other, other == a ? b : a, osz(bits), w(bits), 0x90, other.code(), 0, 0, 0, 0);
    } else {
      rmReg("xchg", 0x86, a, b);
    }
  }

  /**
   * Exchanges {@code a} and {@code b} (with a memory operand, implicitly locked).
   *
   * @param a the first operand
   * @param b the second operand
   */
  public void xchg(Mem a, Reg b) {
    memReg("xchg", 0x86, a, b);
  }

  /**
   * Exchanges {@code a} and {@code b} (with a memory operand, implicitly locked).
   *
   * @param a the first operand
   * @param b the second operand
   */
  public void xchg(Reg a, Mem b) {
    xchg(b, a);
  }

  // ---------------------------------------------------------------- ALU group

  /**
   * The ALU operation {@code op} on {@code d} and {@code s}: see {@link AluOp}.
   *
   * @param op the operation
   * @param d the destination
   * @param s the source
   */
  public void alu(AluOp op, Reg d, Reg s) {
    rmReg(op.mnemonic, op.n() * 8, d, s);
  }

  /**
   * The ALU operation {@code op} on {@code d} and {@code s}: see {@link AluOp}.
   *
   * @param op the operation
   * @param d the destination
   * @param s the source
   */
  public void alu(AluOp op, Reg d, Mem s) {
    regMem(op.mnemonic, op.n() * 8 + 2, d, s);
  }

  /**
   * The ALU operation {@code op} on {@code d} and {@code s}: see {@link AluOp}.
   *
   * @param op the operation
   * @param d the destination
   * @param s the source
   */
  public void alu(AluOp op, Mem d, Reg s) {
    memReg(op.mnemonic, op.n() * 8, d, s);
  }

  /**
   * {@code 83 /n ib} if the value fits a sign-extended byte, else {@code 04+8n}/{@code 05+8n} for
   * the accumulator, else {@code 80/81 /n}.
   *
   * @param op the operation
   * @param d the destination
   * @param imm the immediate
   */
  public void alu(AluOp op, Reg d, long imm) {
    int bits = d.bits();
    long v = immediate(op.mnemonic, d, imm, bits);
    if (bits != 8 && Imm.fits8(v)) {
      rr(op.mnemonic, d, null, null, osz(bits), w(bits), 0x83, op.n(), d.code(), 0, v, 1, bits);
    } else if (d.code() == 0 && d.rexFlags() == 0) {
      op(op.mnemonic, d, null, osz(bits), w(bits), op.n() * 8 + (bits == 8 ? 4 : 5), 0, 0, v,
          immBytes(bits), bits);
    } else {
      rr(op.mnemonic, d, null, null, osz(bits), w(bits), bits == 8 ? 0x80 : 0x81, op.n(),
          d.code(), d.rexFlags(), v, immBytes(bits), bits);
    }
  }

  /**
   * The ALU operation {@code op} on {@code d} and {@code imm}: see {@link AluOp}.
   *
   * @param op the operation
   * @param d the destination
   * @param imm the immediate
   */
  public void alu(AluOp op, Mem d, long imm) {
    int bits = sized(op.mnemonic, d, new Imm(imm));
    long v = immediate(op.mnemonic, d, imm, bits);
    boolean short8 = bits != 8 && Imm.fits8(v);
    rm(op.mnemonic, d, null, null, osz(bits), w(bits), bits == 8 ? 0x80 : short8 ? 0x83 : 0x81,
        op.n(), d, 0, v, short8 ? 1 : immBytes(bits), bits);
  }

  /**
   * Adds: {@code d} += {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void add(Reg d, Reg s) { alu(AluOp.ADD, d, s); }
  /**
   * Adds: {@code d} += {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void add(Reg d, Mem s) { alu(AluOp.ADD, d, s); }
  /**
   * Adds: {@code d} += {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void add(Mem d, Reg s) { alu(AluOp.ADD, d, s); }
  /**
   * Adds: {@code d} += {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void add(Reg d, long imm) { alu(AluOp.ADD, d, imm); }
  /**
   * Adds: {@code d} += {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void add(Mem d, long imm) { alu(AluOp.ADD, d, imm); }
  /**
   * Bitwise or: {@code d} |= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void or(Reg d, Reg s) { alu(AluOp.OR, d, s); }
  /**
   * Bitwise or: {@code d} |= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void or(Reg d, Mem s) { alu(AluOp.OR, d, s); }
  /**
   * Bitwise or: {@code d} |= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void or(Mem d, Reg s) { alu(AluOp.OR, d, s); }
  /**
   * Bitwise or: {@code d} |= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void or(Reg d, long imm) { alu(AluOp.OR, d, imm); }
  /**
   * Bitwise or: {@code d} |= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void or(Mem d, long imm) { alu(AluOp.OR, d, imm); }
  /**
   * Adds with carry: {@code d} += {@code s} + CF.
   *
   * @param d the destination
   * @param s the source
   */
  public void adc(Reg d, Reg s) { alu(AluOp.ADC, d, s); }
  /**
   * Adds with carry: {@code d} += {@code s} + CF.
   *
   * @param d the destination
   * @param s the source
   */
  public void adc(Reg d, Mem s) { alu(AluOp.ADC, d, s); }
  /**
   * Adds with carry: {@code d} += {@code s} + CF.
   *
   * @param d the destination
   * @param s the source
   */
  public void adc(Mem d, Reg s) { alu(AluOp.ADC, d, s); }
  /**
   * Adds with carry: {@code d} += {@code imm} + CF.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void adc(Reg d, long imm) { alu(AluOp.ADC, d, imm); }
  /**
   * Adds with carry: {@code d} += {@code imm} + CF.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void adc(Mem d, long imm) { alu(AluOp.ADC, d, imm); }
  /**
   * Subtracts with borrow: {@code d} -= {@code s} + CF.
   *
   * @param d the destination
   * @param s the source
   */
  public void sbb(Reg d, Reg s) { alu(AluOp.SBB, d, s); }
  /**
   * Subtracts with borrow: {@code d} -= {@code s} + CF.
   *
   * @param d the destination
   * @param s the source
   */
  public void sbb(Reg d, Mem s) { alu(AluOp.SBB, d, s); }
  /**
   * Subtracts with borrow: {@code d} -= {@code s} + CF.
   *
   * @param d the destination
   * @param s the source
   */
  public void sbb(Mem d, Reg s) { alu(AluOp.SBB, d, s); }
  /**
   * Subtracts with borrow: {@code d} -= {@code imm} + CF.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void sbb(Reg d, long imm) { alu(AluOp.SBB, d, imm); }
  /**
   * Subtracts with borrow: {@code d} -= {@code imm} + CF.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void sbb(Mem d, long imm) { alu(AluOp.SBB, d, imm); }
  /**
   * Bitwise and: {@code d} &amp;= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void and(Reg d, Reg s) { alu(AluOp.AND, d, s); }
  /**
   * Bitwise and: {@code d} &amp;= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void and(Reg d, Mem s) { alu(AluOp.AND, d, s); }
  /**
   * Bitwise and: {@code d} &amp;= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void and(Mem d, Reg s) { alu(AluOp.AND, d, s); }
  /**
   * Bitwise and: {@code d} &amp;= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void and(Reg d, long imm) { alu(AluOp.AND, d, imm); }
  /**
   * Bitwise and: {@code d} &amp;= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void and(Mem d, long imm) { alu(AluOp.AND, d, imm); }
  /**
   * Subtracts: {@code d} -= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void sub(Reg d, Reg s) { alu(AluOp.SUB, d, s); }
  /**
   * Subtracts: {@code d} -= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void sub(Reg d, Mem s) { alu(AluOp.SUB, d, s); }
  /**
   * Subtracts: {@code d} -= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void sub(Mem d, Reg s) { alu(AluOp.SUB, d, s); }
  /**
   * Subtracts: {@code d} -= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void sub(Reg d, long imm) { alu(AluOp.SUB, d, imm); }
  /**
   * Subtracts: {@code d} -= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void sub(Mem d, long imm) { alu(AluOp.SUB, d, imm); }
  /**
   * Bitwise xor: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void xor(Reg d, Reg s) { alu(AluOp.XOR, d, s); }
  /**
   * Bitwise xor: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void xor(Reg d, Mem s) { alu(AluOp.XOR, d, s); }
  /**
   * Bitwise xor: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void xor(Mem d, Reg s) { alu(AluOp.XOR, d, s); }
  /**
   * Bitwise xor: {@code d} ^= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void xor(Reg d, long imm) { alu(AluOp.XOR, d, imm); }
  /**
   * Bitwise xor: {@code d} ^= {@code imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void xor(Mem d, long imm) { alu(AluOp.XOR, d, imm); }
  /**
   * Compares: sets the flags as {@code d} - {@code s} would, without writing {@code d}.
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void cmp(Reg d, Reg s) { alu(AluOp.CMP, d, s); }
  /**
   * Compares: sets the flags as {@code d} - {@code s} would, without writing {@code d}.
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void cmp(Reg d, Mem s) { alu(AluOp.CMP, d, s); }
  /**
   * Compares: sets the flags as {@code d} - {@code s} would, without writing {@code d}.
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void cmp(Mem d, Reg s) { alu(AluOp.CMP, d, s); }
  /**
   * Compares: sets the flags as {@code d} - {@code imm} would, without writing {@code d}.
   *
   * @param d the first operand
   * @param imm the immediate
   */
  public void cmp(Reg d, long imm) { alu(AluOp.CMP, d, imm); }
  /**
   * Compares: sets the flags as {@code d} - {@code imm} would, without writing {@code d}.
   *
   * @param d the first operand
   * @param imm the immediate
   */
  public void cmp(Mem d, long imm) { alu(AluOp.CMP, d, imm); }

  /**
   * Tests bits: sets the flags as {@code a} &amp; {@code b} would, without writing.
   *
   * @param a the first operand
   * @param b the second operand
   */
  public void test(Reg a, Reg b) {
    rmReg("test", 0x84, a, b);
  }

  /**
   * Tests bits: sets the flags as {@code a} &amp; {@code b} would, without writing.
   *
   * @param a the first operand
   * @param b the second operand
   */
  public void test(Mem a, Reg b) {
    memReg("test", 0x84, a, b);
  }

  /**
   * Tests bits: sets the flags as {@code a} &amp; {@code imm} would, without writing. There is no
   * imm8 form: A8/A9 for the accumulator, else F6/F7 /0 with a full immediate.
   *
   * @param a the first operand
   * @param imm the immediate
   */
  public void test(Reg a, long imm) {
    int bits = a.bits();
    long v = immediate("test", a, imm, bits);
    if (a.code() == 0 && a.rexFlags() == 0) {
      op("test", a, null, osz(bits), w(bits), bits == 8 ? 0xA8 : 0xA9, 0, 0, v, immBytes(bits),
          bits);
    } else {
      rr("test", a, null, null, osz(bits), w(bits), bits == 8 ? 0xF6 : 0xF7, 0, a.code(),
          a.rexFlags(), v, immBytes(bits), bits);
    }
  }

  /**
   * Tests bits: sets the flags as {@code a} &amp; {@code imm} would, without writing.
   *
   * @param a the first operand
   * @param imm the immediate
   */
  public void test(Mem a, long imm) {
    int bits = sized("test", a, new Imm(imm));
    long v = immediate("test", a, imm, bits);
    rm("test", a, null, null, osz(bits), w(bits), bits == 8 ? 0xF6 : 0xF7, 0, a, 0, v,
        immBytes(bits), bits);
  }

  // ---------------------------------------------------------------- one-operand groups

  /**
   * The one-operand operation {@code op} on {@code r}: see {@link UnaryOp}.
   *
   * @param op the operation
   * @param r the operand
   */
  public void unary(UnaryOp op, Reg r) {
    int bits = r.bits();
    rr(op.mnemonic, r, null, null, osz(bits), w(bits), op.opcode + (bits == 8 ? 0 : 1), op.ext,
        r.code(), r.rexFlags(), 0, 0, 0);
  }

  /**
   * The one-operand operation {@code op} on {@code m}: see {@link UnaryOp}.
   *
   * @param op the operation
   * @param m the operand
   */
  public void unary(UnaryOp op, Mem m) {
    int bits = sized(op.mnemonic, m, null);
    rm(op.mnemonic, m, null, null, osz(bits), w(bits), op.opcode + (bits == 8 ? 0 : 1), op.ext,
        m, 0, 0, 0, 0);
  }

  /**
   * Adds one to {@code r} (CF unchanged).
   *
   * @param r the operand
   */
  public void inc(Reg r) { unary(UnaryOp.INC, r); }
  /**
   * Adds one to {@code m} (CF unchanged).
   *
   * @param m the operand
   */
  public void inc(Mem m) { unary(UnaryOp.INC, m); }
  /**
   * Subtracts one from {@code r} (CF unchanged).
   *
   * @param r the operand
   */
  public void dec(Reg r) { unary(UnaryOp.DEC, r); }
  /**
   * Subtracts one from {@code m} (CF unchanged).
   *
   * @param m the operand
   */
  public void dec(Mem m) { unary(UnaryOp.DEC, m); }
  /**
   * Complements every bit of {@code r}.
   *
   * @param r the operand
   */
  public void not(Reg r) { unary(UnaryOp.NOT, r); }
  /**
   * Complements every bit of {@code m}.
   *
   * @param m the operand
   */
  public void not(Mem m) { unary(UnaryOp.NOT, m); }
  /**
   * Negates {@code r} (two's complement).
   *
   * @param r the operand
   */
  public void neg(Reg r) { unary(UnaryOp.NEG, r); }
  /**
   * Negates {@code m} (two's complement).
   *
   * @param m the operand
   */
  public void neg(Mem m) { unary(UnaryOp.NEG, m); }
  /**
   * Unsigned multiply: rdx:rax = rax * {@code r} (and the narrower forms).
   *
   * @param r the operand
   */
  public void mul(Reg r) { unary(UnaryOp.MUL, r); }
  /**
   * Unsigned multiply: rdx:rax = rax * {@code m} (and the narrower forms).
   *
   * @param m the operand
   */
  public void mul(Mem m) { unary(UnaryOp.MUL, m); }
  /**
   * Signed multiply: rdx:rax = rax * {@code r} (and the narrower forms).
   *
   * @param r the operand
   */
  public void imul(Reg r) { unary(UnaryOp.IMUL, r); }
  /**
   * Signed multiply: rdx:rax = rax * {@code m} (and the narrower forms).
   *
   * @param m the operand
   */
  public void imul(Mem m) { unary(UnaryOp.IMUL, m); }
  /**
   * Unsigned divide of rdx:rax (and the narrower forms) by {@code r}: quotient in rax, remainder in
   * rdx; raises #DE on zero.
   *
   * @param r the operand
   */
  public void div(Reg r) { unary(UnaryOp.DIV, r); }
  /**
   * Unsigned divide of rdx:rax (and the narrower forms) by {@code m}: quotient in rax, remainder in
   * rdx; raises #DE on zero.
   *
   * @param m the operand
   */
  public void div(Mem m) { unary(UnaryOp.DIV, m); }
  /**
   * Signed divide of rdx:rax (and the narrower forms) by {@code r}: quotient in rax, remainder in
   * rdx; raises #DE on zero or overflow.
   *
   * @param r the operand
   */
  public void idiv(Reg r) { unary(UnaryOp.IDIV, r); }
  /**
   * Signed divide of rdx:rax (and the narrower forms) by {@code m}: quotient in rax, remainder in
   * rdx; raises #DE on zero or overflow.
   *
   * @param m the operand
   */
  public void idiv(Mem m) { unary(UnaryOp.IDIV, m); }

  /**
   * Signed multiply, truncated: {@code d} *= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void imul(Reg d, Reg s) {
    int bits = sameSize("imul", d, s);
    noByte("imul", d, s);
    rr("imul", d, s, null, osz(bits), w(bits), 0x0FAF, d.code(), s.code(), 0, 0, 0, 0);
  }

  /**
   * Signed multiply, truncated: {@code d} *= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void imul(Reg d, Mem s) {
    int bits = memMatches("imul", d, s);
    noByte("imul", d, s);
    rm("imul", d, s, null, osz(bits), w(bits), 0x0FAF, d.code(), s, 0, 0, 0, 0);
  }

  /**
   * Three-operand {@code d = s * imm}: 6B with imm8 when it fits, else 69 with imm16/32.
   *
   * @param d the destination
   * @param s the source
   * @param imm the immediate
   */
  public void imul(Reg d, Reg s, long imm) {
    int bits = sameSize("imul", d, s);
    noByte("imul", d, s);
    long v = immediate("imul", d, imm, bits);
    boolean short8 = Imm.fits8(v);
    rr("imul", d, s, null, osz(bits), w(bits), short8 ? 0x6B : 0x69, d.code(), s.code(), 0, v,
        short8 ? 1 : immBytes(bits), bits);
  }

  /**
   * Signed multiply, truncated: {@code d} *= {@code s}.
   *
   * @param d the destination
   * @param s the source
   * @param imm the immediate
   */
  public void imul(Reg d, Mem s, long imm) {
    int bits = memMatches("imul", d, s);
    noByte("imul", d, s);
    long v = immediate("imul", d, imm, bits);
    boolean short8 = Imm.fits8(v);
    rm("imul", d, s, null, osz(bits), w(bits), short8 ? 0x6B : 0x69, d.code(), s, 0, v,
        short8 ? 1 : immBytes(bits), bits);
  }

  /**
   * {@code d = d * imm}.
   *
   * @param d the destination
   * @param imm the immediate
   */
  public void imul(Reg d, long imm) {
    imul(d, d, imm);
  }

  // ---------------------------------------------------------------- shifts and rotates

  /**
   * Shift by a constant: D0/D1 when it is 1 (as GNU as does), else C0/C1 with imm8.
   *
   * @param op the operation
   * @param r the operand
   * @param count the shift count, 0..255
   */
  public void shift(ShiftOp op, Reg r, int count) {
    int bits = r.bits();
    checkCount(op, r, count);
    boolean one = count == 1;
    rr(op.mnemonic, r, null, null, osz(bits), w(bits), shiftOpcode(bits, one ? 0xD0 : 0xC0),
        op.ext, r.code(), r.rexFlags(), count, one ? 0 : 1, one ? Listing.DECIMAL : 8);
  }

  /**
   * The shift or rotate {@code op} of {@code m}: see {@link ShiftOp}.
   *
   * @param op the operation
   * @param m the operand
   * @param count the shift count, 0..255
   */
  public void shift(ShiftOp op, Mem m, int count) {
    int bits = sized(op.mnemonic, m, new Imm(count));
    checkCount(op, m, count);
    boolean one = count == 1;
    rm(op.mnemonic, m, null, null, osz(bits), w(bits), shiftOpcode(bits, one ? 0xD0 : 0xC0),
        op.ext, m, 0, count, one ? 0 : 1, one ? Listing.DECIMAL : 8);
  }

  /**
   * Shift by CL (the only register the hardware takes as a count).
   *
   * @param op the operation
   * @param r the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void shift(ShiftOp op, Reg r, Reg cl) {
    checkCl(op, r, cl);
    int bits = r.bits();
    rr(op.mnemonic, r, cl, null, osz(bits), w(bits), shiftOpcode(bits, 0xD2), op.ext, r.code(),
        r.rexFlags(), 0, 0, 0);
  }

  /**
   * The shift or rotate {@code op} of {@code m}: see {@link ShiftOp}.
   *
   * @param op the operation
   * @param m the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void shift(ShiftOp op, Mem m, Reg cl) {
    checkCl(op, m, cl);
    int bits = sized(op.mnemonic, m, cl);
    rm(op.mnemonic, m, cl, null, osz(bits), w(bits), shiftOpcode(bits, 0xD2), op.ext, m, 0, 0, 0,
        0);
  }

  private static int shiftOpcode(int bits, int base8) {
    return bits == 8 ? base8 : base8 + 1;
  }

  private static void checkCount(ShiftOp op, Operand target, int count) {
    if (count < 0 || count > 255) {
      throw err(op.mnemonic, "shift count must be 0..255", target, new Imm(count));
    }
  }

  private static void checkCl(ShiftOp op, Operand target, Reg cl) {
    if (cl != Reg.CL) {
      throw err(op.mnemonic, "the count register must be cl", target, cl);
    }
  }

  /**
   * Shifts {@code r} left by {@code n}.
   *
   * @param r the operand
   * @param n the shift count, 0..255
   */
  public void shl(Reg r, int n) { shift(ShiftOp.SHL, r, n); }
  /**
   * Shifts {@code m} left by {@code n}.
   *
   * @param m the operand
   * @param n the shift count, 0..255
   */
  public void shl(Mem m, int n) { shift(ShiftOp.SHL, m, n); }
  /**
   * Shifts {@code r} left by {@code cl}.
   *
   * @param r the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void shl(Reg r, Reg cl) { shift(ShiftOp.SHL, r, cl); }
  /**
   * Shifts {@code m} left by {@code cl}.
   *
   * @param m the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void shl(Mem m, Reg cl) { shift(ShiftOp.SHL, m, cl); }
  /**
   * Shifts {@code r} right by {@code n}, filling with zeros.
   *
   * @param r the operand
   * @param n the shift count, 0..255
   */
  public void shr(Reg r, int n) { shift(ShiftOp.SHR, r, n); }
  /**
   * Shifts {@code m} right by {@code n}, filling with zeros.
   *
   * @param m the operand
   * @param n the shift count, 0..255
   */
  public void shr(Mem m, int n) { shift(ShiftOp.SHR, m, n); }
  /**
   * Shifts {@code r} right by {@code cl}, filling with zeros.
   *
   * @param r the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void shr(Reg r, Reg cl) { shift(ShiftOp.SHR, r, cl); }
  /**
   * Shifts {@code m} right by {@code cl}, filling with zeros.
   *
   * @param m the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void shr(Mem m, Reg cl) { shift(ShiftOp.SHR, m, cl); }
  /**
   * Shifts {@code r} right by {@code n}, filling with the sign bit.
   *
   * @param r the operand
   * @param n the shift count, 0..255
   */
  public void sar(Reg r, int n) { shift(ShiftOp.SAR, r, n); }
  /**
   * Shifts {@code m} right by {@code n}, filling with the sign bit.
   *
   * @param m the operand
   * @param n the shift count, 0..255
   */
  public void sar(Mem m, int n) { shift(ShiftOp.SAR, m, n); }
  /**
   * Shifts {@code r} right by {@code cl}, filling with the sign bit.
   *
   * @param r the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void sar(Reg r, Reg cl) { shift(ShiftOp.SAR, r, cl); }
  /**
   * Shifts {@code m} right by {@code cl}, filling with the sign bit.
   *
   * @param m the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void sar(Mem m, Reg cl) { shift(ShiftOp.SAR, m, cl); }
  /**
   * Rotates {@code r} left by {@code n}.
   *
   * @param r the operand
   * @param n the shift count, 0..255
   */
  public void rol(Reg r, int n) { shift(ShiftOp.ROL, r, n); }
  /**
   * Rotates {@code m} left by {@code n}.
   *
   * @param m the operand
   * @param n the shift count, 0..255
   */
  public void rol(Mem m, int n) { shift(ShiftOp.ROL, m, n); }
  /**
   * Rotates {@code r} left by {@code cl}.
   *
   * @param r the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void rol(Reg r, Reg cl) { shift(ShiftOp.ROL, r, cl); }
  /**
   * Rotates {@code m} left by {@code cl}.
   *
   * @param m the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void rol(Mem m, Reg cl) { shift(ShiftOp.ROL, m, cl); }
  /**
   * Rotates {@code r} right by {@code n}.
   *
   * @param r the operand
   * @param n the shift count, 0..255
   */
  public void ror(Reg r, int n) { shift(ShiftOp.ROR, r, n); }
  /**
   * Rotates {@code m} right by {@code n}.
   *
   * @param m the operand
   * @param n the shift count, 0..255
   */
  public void ror(Mem m, int n) { shift(ShiftOp.ROR, m, n); }
  /**
   * Rotates {@code r} right by {@code cl}.
   *
   * @param r the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void ror(Reg r, Reg cl) { shift(ShiftOp.ROR, r, cl); }
  /**
   * Rotates {@code m} right by {@code cl}.
   *
   * @param m the operand
   * @param cl the count register, which must be {@link Reg#CL}
   */
  public void ror(Mem m, Reg cl) { shift(ShiftOp.ROR, m, cl); }

  // ---------------------------------------------------------------- stack

  /**
   * Pushes {@code r}: a 64-bit value (16-bit with a 16-bit operand).
   *
   * @param r the operand
   */
  public void push(Reg r) {
    stackReg("push", 0x50, r);
  }

  /**
   * Pops into {@code r}: a 64-bit value (16-bit with a 16-bit operand).
   *
   * @param r the operand
   */
  public void pop(Reg r) {
    stackReg("pop", 0x58, r);
  }

  /** push/pop take 64-bit (or, with 66, 16-bit) registers; 32-bit ones do not exist in 64-bit mode. */
  private void stackReg(String mn, int opcode, Reg r) {
    if (r.bits() != 64 && r.bits() != 16) {
      throw err(mn, "needs a 64- or 16-bit register", r);
    }
    op(mn, r, null, osz(r.bits()), 0, opcode, r.code(), 0, 0, 0, 0);
  }

  /**
   * Pushes {@code m}: a 64-bit value (16-bit with a 16-bit operand).
   *
   * @param m the operand
   */
  public void push(Mem m) {
    stackMem("push", 0xFF, 6, m);
  }

  /**
   * Pops into {@code m}: a 64-bit value (16-bit with a 16-bit operand).
   *
   * @param m the operand
   */
  public void pop(Mem m) {
    stackMem("pop", 0x8F, 0, m);
  }

  private void stackMem(String mn, int opcode, int ext, Mem m) {
    if (m.size != 0 && m.size != 8 && m.size != 2) {
      throw err(mn, "needs a QWORD or WORD memory operand", m);
    }
    int size = m.size == 0 ? 8 : m.size;
    rm(mn, shown(m, size), null, null, osz(size * 8), 0, opcode, ext, m, 0, 0, 0, 0);
  }

  /**
   * Pushes a 64-bit immediate, sign-extended from imm8 (6A) or imm32 (68).
   *
   * @param imm the immediate
   */
  public void push(long imm) {
    if (!Imm.fits32(imm)) {
      throw err("push", "immediate does not fit a sign-extended 32-bit field", new Imm(imm));
    }
    boolean short8 = Imm.fits8(imm);
    op("push", null, null, 0, 0, short8 ? 0x6A : 0x68, 0, 0, imm, short8 ? 1 : 4, 64);
  }

  // ---------------------------------------------------------------- control flow

  /**
   * Unconditional jump to a label: EB rel8 or E9 rel32, chosen by relaxation.
   *
   * @param target the label to jump to
   */
  public void jmp(Label target) {
    branch("jmp", Relaxer.JMP, target);
  }

  /**
   * Conditional jump: 70+cc rel8 or 0F 80+cc rel32, chosen by relaxation.
   *
   * @param cond the condition
   * @param target the label to jump to
   */
  public void jcc(Cond cond, Label target) {
    branch(cond.jcc, cond.code(), target);
  }

  private void branch(String mn, int kind, Label target) {
    checkOwn(target);
    int k = relaxer.siteCount();
    int raw = buf.size();
    relaxer.branch(raw, kind, target.id);
    if (listing != null) {
      listing.add(raw, k, raw, k + 1, mn, target, null, null, 0, 0);
    }
  }

  /**
   * Jumps to the address in {@code r} (64 bits).
   *
   * @param r the operand
   */
  public void jmp(Reg r) {
    indirect("jmp", 4, r);
  }

  /**
   * Jumps to the address in {@code m} (64 bits).
   *
   * @param m the operand
   */
  public void jmp(Mem m) {
    indirect("jmp", 4, m);
  }

  /**
   * Near call to a label: E8 rel32 (there is no short form to relax to).
   *
   * @param target the label to call
   */
  public void call(Label target) {
    checkOwn(target);
    int start = buf.size();
    buf.put1(0xE8);
    relaxer.fixup(buf.size(), 0, target.id);
    buf.put4(0);
    note(start, "call", target, null, null, 0, 0);
  }

  /**
   * Calls the address in {@code r} (64 bits).
   *
   * @param r the operand
   */
  public void call(Reg r) {
    indirect("call", 2, r);
  }

  /**
   * Calls the address in {@code m} (64 bits).
   *
   * @param m the operand
   */
  public void call(Mem m) {
    indirect("call", 2, m);
  }

  /**
   * Calls the absolute address {@code address} (e.g. a host helper) from anywhere: {@code call
   * QWORD PTR [rip+pool]} with the address in the constant pool. Chosen over {@code mov r11, imm64;
   * call r11}: 6 bytes instead of 13, no register clobbered, and a helper called from many sites
   * shares one pool slot; the pool travels with the code so the displacement always reaches.
   *
   * @param address the absolute address to call
   */
  public void callAbsolute(long address) {
    call(constantBits(address));
  }

  /** FF /2 (call) or FF /4 (jmp) through a 64-bit register or a qword in memory. */
  private void indirect(String mn, int ext, Reg r) {
    if (r.bits() != 64) {
      throw err(mn, "needs a 64-bit register", r);
    }
    rr(mn, r, null, null, 0, 0, 0xFF, ext, r.code(), 0, 0, 0, 0);
  }

  private void indirect(String mn, int ext, Mem m) {
    if (m.size != 0 && m.size != 8) {
      throw err(mn, "needs a QWORD memory operand", m);
    }
    rm(mn, shown(m, 8), null, null, 0, 0, 0xFF, ext, m, 0, 0, 0, 0);
  }

  /**
   * Sets the byte {@code r} to 1 if the condition holds, else to 0.
   *
   * @param cond the condition
   * @param r the operand
   */
  public void setcc(Cond cond, Reg r) {
    if (r.bits() != 8) {
      throw err(cond.setcc, "needs an 8-bit register", r);
    }
    rr(cond.setcc, r, null, null, 0, 0, 0x0F90 + cond.code(), 0, r.code(), r.rexFlags(),
        0, 0, 0);
  }

  /**
   * Sets the byte {@code m} to 1 if the condition holds, else to 0.
   *
   * @param cond the condition
   * @param m the operand
   */
  public void setcc(Cond cond, Mem m) {
    if (m.size != 0 && m.size != 1) {
      throw err(cond.setcc, "needs a BYTE memory operand", m);
    }
    rm(cond.setcc, shown(m, 1), null, null, 0, 0, 0x0F90 + cond.code(), 0, m, 0, 0, 0,
        0);
  }

  /**
   * Moves {@code s} into {@code d} if the condition holds (there is no 8-bit form).
   *
   * @param cond the condition
   * @param d the destination
   * @param s the source
   */
  public void cmov(Cond cond, Reg d, Reg s) {
    int bits = sameSize(cond.cmov, d, s);
    noByte(cond.cmov, d, s);
    rr(cond.cmov, d, s, null, osz(bits), w(bits), 0x0F40 + cond.code(), d.code(),
        s.code(), 0, 0, 0, 0);
  }

  /**
   * Moves {@code s} into {@code d} if the condition holds (there is no 8-bit form).
   *
   * @param cond the condition
   * @param d the destination
   * @param s the source
   */
  public void cmov(Cond cond, Reg d, Mem s) {
    int bits = memMatches(cond.cmov, d, s);
    noByte(cond.cmov, d, s);
    rm(cond.cmov, d, s, null, osz(bits), w(bits), 0x0F40 + cond.code(), d.code(), s,
        0, 0, 0, 0);
  }

  /**
   * Returns to the caller.
   */
  public void ret() { op("ret", null, null, 0, 0, 0xC3, 0, 0, 0, 0, 0); }

  /**
   * Return and pop {@code bytes} of arguments (C2 iw).
   *
   * @param bytes bytes of arguments to pop, 0..65535
   */
  public void ret(int bytes) {
    if (bytes < 0 || bytes > 0xFFFF) {
      throw err("ret", "the pop count must be 0..65535", new Imm(bytes));
    }
    op("ret", null, null, 0, 0, 0xC2, 0, 0, bytes, 2, 16);
  }

  /**
   * Sign-extends rax into rdx:rax.
   */
  public void cqo() { op("cqo", null, null, 0, Encoder.REX_W, 0x99, 0, 0, 0, 0, 0); }
  /**
   * Sign-extends eax into edx:eax.
   */
  public void cdq() { op("cdq", null, null, 0, 0, 0x99, 0, 0, 0, 0, 0); }
  /**
   * Tears down an rbp frame: rsp = rbp, then pops rbp.
   */
  public void leave() { op("leave", null, null, 0, 0, 0xC9, 0, 0, 0, 0, 0); }
  /**
   * A one-byte no-op.
   */
  public void nop() { op("nop", null, null, 0, 0, 0x90, 0, 0, 0, 0, 0); }
  /**
   * A breakpoint trap.
   */
  public void int3() { op("int3", null, null, 0, 0, 0xCC, 0, 0, 0, 0, 0); }
  /**
   * An undefined instruction: raises #UD, to mark code that must never run.
   */
  public void ud2() { op("ud2", null, null, 0, 0, 0x0F0B, 0, 0, 0, 0, 0); }

  // ---------------------------------------------------------------- SSE2

  /**
   * The SSE2 operation {@code op} on {@code d} and {@code s}: see {@link SseOp}.
   *
   * @param op the operation
   * @param d the destination
   * @param s the source
   */
  public void sse(SseOp op, Xmm d, Xmm s) {
    rr(op.mnemonic, d, s, null, op.prefix, 0, op.load, d.code(), s.code(), 0, 0, 0, 0);
  }

  /**
   * The SSE2 operation {@code op} on {@code d} and {@code s}: see {@link SseOp}.
   *
   * @param op the operation
   * @param d the destination
   * @param s the source
   */
  public void sse(SseOp op, Xmm d, Mem s) {
    rm(op.mnemonic, d, shown(sseMem(op, d, s), op.memBytes), null, op.prefix, 0, op.load, d.code(), s, 0, 0, 0, 0);
  }

  /**
   * The SSE2 operation {@code op} storing to memory: only the moves (movsd, movapd, movaps).
   *
   * @param op the operation
   * @param d the destination
   * @param s the source
   */
  public void sse(SseOp op, Mem d, Xmm s) {
    if (op.store == 0) {
      throw err(op.mnemonic, "has no memory destination form", d, s);
    }
    rm(op.mnemonic, shown(sseMem(op, s, d), op.memBytes), s, null, op.prefix, 0, op.store, s.code(), d, 0, 0, 0, 0);
  }

  private static Mem sseMem(SseOp op, Xmm x, Mem m) {
    if (m.size != 0 && m.size != op.memBytes) {
      throw err(op.mnemonic, "needs a " + Mem.sizeName(op.memBytes) + " memory operand", x, m);
    }
    return m;
  }

  /**
   * Moves a scalar double from {@code s} to {@code d} (a load zeroes the upper half).
   *
   * @param d the destination
   * @param s the source
   */
  public void movsd(Xmm d, Xmm s) { sse(SseOp.MOVSD, d, s); }
  /**
   * Moves a scalar double from {@code s} to {@code d} (a load zeroes the upper half).
   *
   * @param d the destination
   * @param s the source
   */
  public void movsd(Xmm d, Mem s) { sse(SseOp.MOVSD, d, s); }
  /**
   * Moves a scalar double from {@code s} to {@code d} (a load zeroes the upper half).
   *
   * @param d the destination
   * @param s the source
   */
  public void movsd(Mem d, Xmm s) { sse(SseOp.MOVSD, d, s); }
  /**
   * Moves 16 aligned bytes of packed doubles from {@code s} to {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void movapd(Xmm d, Xmm s) { sse(SseOp.MOVAPD, d, s); }
  /**
   * Moves 16 aligned bytes of packed doubles from {@code s} to {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void movapd(Xmm d, Mem s) { sse(SseOp.MOVAPD, d, s); }
  /**
   * Moves 16 aligned bytes of packed doubles from {@code s} to {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void movapd(Mem d, Xmm s) { sse(SseOp.MOVAPD, d, s); }
  /**
   * Moves 16 aligned bytes from {@code s} to {@code d} (one byte shorter than movapd).
   *
   * @param d the destination
   * @param s the source
   */
  public void movaps(Xmm d, Xmm s) { sse(SseOp.MOVAPS, d, s); }
  /**
   * Moves 16 aligned bytes from {@code s} to {@code d} (one byte shorter than movapd).
   *
   * @param d the destination
   * @param s the source
   */
  public void movaps(Xmm d, Mem s) { sse(SseOp.MOVAPS, d, s); }
  /**
   * Moves 16 aligned bytes from {@code s} to {@code d} (one byte shorter than movapd).
   *
   * @param d the destination
   * @param s the source
   */
  public void movaps(Mem d, Xmm s) { sse(SseOp.MOVAPS, d, s); }
  /**
   * Scalar double addition: {@code d} += {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void addsd(Xmm d, Xmm s) { sse(SseOp.ADDSD, d, s); }
  /**
   * Scalar double addition: {@code d} += {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void addsd(Xmm d, Mem s) { sse(SseOp.ADDSD, d, s); }
  /**
   * Scalar double subtraction: {@code d} -= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void subsd(Xmm d, Xmm s) { sse(SseOp.SUBSD, d, s); }
  /**
   * Scalar double subtraction: {@code d} -= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void subsd(Xmm d, Mem s) { sse(SseOp.SUBSD, d, s); }
  /**
   * Scalar double multiplication: {@code d} *= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void mulsd(Xmm d, Xmm s) { sse(SseOp.MULSD, d, s); }
  /**
   * Scalar double multiplication: {@code d} *= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void mulsd(Xmm d, Mem s) { sse(SseOp.MULSD, d, s); }
  /**
   * Scalar double division: {@code d} /= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void divsd(Xmm d, Xmm s) { sse(SseOp.DIVSD, d, s); }
  /**
   * Scalar double division: {@code d} /= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void divsd(Xmm d, Mem s) { sse(SseOp.DIVSD, d, s); }
  /**
   * Scalar double square root: {@code d} = sqrt({@code s}).
   *
   * @param d the destination
   * @param s the source
   */
  public void sqrtsd(Xmm d, Xmm s) { sse(SseOp.SQRTSD, d, s); }
  /**
   * Scalar double square root: {@code d} = sqrt({@code s}).
   *
   * @param d the destination
   * @param s the source
   */
  public void sqrtsd(Xmm d, Mem s) { sse(SseOp.SQRTSD, d, s); }
  /**
   * Scalar double minimum: {@code d} = min({@code d}, {@code s}), {@code s} when either is NaN or
   * both are zero.
   *
   * @param d the destination
   * @param s the source
   */
  public void minsd(Xmm d, Xmm s) { sse(SseOp.MINSD, d, s); }
  /**
   * Scalar double minimum: {@code d} = min({@code d}, {@code s}), {@code s} when either is NaN or
   * both are zero.
   *
   * @param d the destination
   * @param s the source
   */
  public void minsd(Xmm d, Mem s) { sse(SseOp.MINSD, d, s); }
  /**
   * Scalar double maximum: {@code d} = max({@code d}, {@code s}), {@code s} when either is NaN or
   * both are zero.
   *
   * @param d the destination
   * @param s the source
   */
  public void maxsd(Xmm d, Xmm s) { sse(SseOp.MAXSD, d, s); }
  /**
   * Scalar double maximum: {@code d} = max({@code d}, {@code s}), {@code s} when either is NaN or
   * both are zero.
   *
   * @param d the destination
   * @param s the source
   */
  public void maxsd(Xmm d, Mem s) { sse(SseOp.MAXSD, d, s); }
  /**
   * Compares scalar doubles into ZF, PF and CF (all three set when unordered).
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void ucomisd(Xmm d, Xmm s) { sse(SseOp.UCOMISD, d, s); }
  /**
   * Compares scalar doubles into ZF, PF and CF (all three set when unordered).
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void ucomisd(Xmm d, Mem s) { sse(SseOp.UCOMISD, d, s); }
  /**
   * Compares scalar doubles like ucomisd, also signalling on a quiet NaN.
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void comisd(Xmm d, Xmm s) { sse(SseOp.COMISD, d, s); }
  /**
   * Compares scalar doubles like ucomisd, also signalling on a quiet NaN.
   *
   * @param d the first operand
   * @param s the second operand
   */
  public void comisd(Xmm d, Mem s) { sse(SseOp.COMISD, d, s); }
  /**
   * Bitwise xor of 128 bits: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void xorpd(Xmm d, Xmm s) { sse(SseOp.XORPD, d, s); }
  /**
   * Bitwise xor of 128 bits: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void xorpd(Xmm d, Mem s) { sse(SseOp.XORPD, d, s); }
  /**
   * Bitwise and of 128 bits: {@code d} &amp;= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void andpd(Xmm d, Xmm s) { sse(SseOp.ANDPD, d, s); }
  /**
   * Bitwise and of 128 bits: {@code d} &amp;= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void andpd(Xmm d, Mem s) { sse(SseOp.ANDPD, d, s); }
  /**
   * Bitwise and-not of 128 bits: {@code d} = ~{@code d} &amp; {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void andnpd(Xmm d, Xmm s) { sse(SseOp.ANDNPD, d, s); }
  /**
   * Bitwise and-not of 128 bits: {@code d} = ~{@code d} &amp; {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void andnpd(Xmm d, Mem s) { sse(SseOp.ANDNPD, d, s); }
  /**
   * Bitwise or of 128 bits: {@code d} |= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void orpd(Xmm d, Xmm s) { sse(SseOp.ORPD, d, s); }
  /**
   * Bitwise or of 128 bits: {@code d} |= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void orpd(Xmm d, Mem s) { sse(SseOp.ORPD, d, s); }
  /**
   * Bitwise xor of 128 integer bits: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void pxor(Xmm d, Xmm s) { sse(SseOp.PXOR, d, s); }
  /**
   * Bitwise xor of 128 integer bits: {@code d} ^= {@code s}.
   *
   * @param d the destination
   * @param s the source
   */
  public void pxor(Xmm d, Mem s) { sse(SseOp.PXOR, d, s); }

  /**
   * movq xmm, r64 (66 REX.W 0F 6E): the bits of a 64-bit register into an XMM register.
   *
   * @param d the destination
   * @param s the source
   */
  public void movq(Xmm d, Reg s) {
    gprXmm("movq", d, s, 0x0F6E, d.code(), s);
  }

  /**
   * movq r64, xmm (66 REX.W 0F 7E).
   *
   * @param d the destination
   * @param s the source
   */
  public void movq(Reg d, Xmm s) {
    gprXmm("movq", d, s, 0x0F7E, s.code(), d);
  }

  private void gprXmm(String mn, Operand a, Operand b, int opcode, int xmm, Reg gpr) {
    if (gpr.bits() != 64) {
      throw err(mn, "needs a 64-bit general register", a, b);
    }
    rr(mn, a, b, null, 0x66, Encoder.REX_W, opcode, xmm, gpr.code(), 0, 0, 0, 0);
  }

  /**
   * movq xmm, xmm (F3 0F 7E): the low qword, upper qword zeroed.
   *
   * @param d the destination
   * @param s the source
   */
  public void movq(Xmm d, Xmm s) {
    rr("movq", d, s, null, 0xF3, 0, 0x0F7E, d.code(), s.code(), 0, 0, 0, 0);
  }

  /**
   * Moves 64 bits from {@code s} to {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void movq(Xmm d, Mem s) {
    rm("movq", d, shown(qwordOnly("movq", d, s), 8), null, 0xF3, 0, 0x0F7E, d.code(), s, 0, 0, 0, 0);
  }

  /**
   * Moves 64 bits from {@code s} to {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void movq(Mem d, Xmm s) {
    rm("movq", shown(qwordOnly("movq", s, d), 8), s, null, 0x66, 0, 0x0FD6, s.code(), d, 0, 0, 0, 0);
  }

  private static Mem qwordOnly(String mn, Operand other, Mem m) {
    if (m.size != 0 && m.size != 8) {
      throw err(mn, "needs a QWORD memory operand", other, m);
    }
    return m;
  }

  /**
   * Converts the signed integer in a 32- or 64-bit register to a double: F2 [REX.W] 0F 2A.
   *
   * @param d the destination
   * @param s the source
   */
  public void cvtsi2sd(Xmm d, Reg s) {
    if (s.bits() != 32 && s.bits() != 64) {
      throw err("cvtsi2sd", "needs a 32- or 64-bit source", d, s);
    }
    rr("cvtsi2sd", d, s, null, 0xF2, w(s.bits()), 0x0F2A, d.code(), s.code(), 0, 0, 0, 0);
  }

  /**
   * Converts the signed 32- or 64-bit integer {@code s} to a double in {@code d}.
   *
   * @param d the destination
   * @param s the source
   */
  public void cvtsi2sd(Xmm d, Mem s) {
    if (s.size != 4 && s.size != 8) {
      throw err("cvtsi2sd", "needs a DWORD or QWORD memory operand", d, s);
    }
    rm("cvtsi2sd", d, s, null, 0xF2, w(s.size * 8), 0x0F2A, d.code(), s, 0, 0, 0, 0);
  }

  /**
   * Converts a double to a signed 32- or 64-bit integer, truncating: F2 [REX.W] 0F 2C. Out of
   * range or NaN gives the "integer indefinite" value, the lowest integer of the width.
   *
   * @param d the destination
   * @param s the source
   */
  public void cvttsd2si(Reg d, Xmm s) {
    if (d.bits() != 32 && d.bits() != 64) {
      throw err("cvttsd2si", "needs a 32- or 64-bit destination", d, s);
    }
    rr("cvttsd2si", d, s, null, 0xF2, w(d.bits()), 0x0F2C, d.code(), s.code(), 0, 0, 0, 0);
  }

  /**
   * Converts the double {@code s} to a signed 32- or 64-bit integer in {@code d}, truncating.
   *
   * @param d the destination
   * @param s the source
   */
  public void cvttsd2si(Reg d, Mem s) {
    if (d.bits() != 32 && d.bits() != 64) {
      throw err("cvttsd2si", "needs a 32- or 64-bit destination", d, s);
    }
    rm("cvttsd2si", d, shown(qwordOnly("cvttsd2si", d, s), 8), null, 0xF2, w(d.bits()), 0x0F2C, d.code(), s,
        0, 0, 0, 0);
  }
}
