package dev.kiln.asm;

/**
 * A general-purpose register of a given width. Every register of every width is a constant here
 * ({@code RAX, EAX, AX, AL, ... R8, R8D, R8W, R8B, ..., SPL, BPL, SIL, DIL, AH, CH, DH, BH});
 * {@code import static dev.kiln.asm.Reg.*} and write {@code a.mov(RAX, RBX)}.
 *
 * <p>Byte registers 4-7 are the subtle ones (Intel SDM Vol. 2, 2.2.1.2): without a REX prefix the
 * encodings 4-7 mean AH, CH, DH, BH; with any REX prefix they mean SPL, BPL, SIL, DIL. So SPL..DIL
 * force a REX prefix and AH..BH forbid one, and the assembler rejects AH..BH next to a register
 * that needs REX.
 */
public final class Reg implements Operand {
  /** The register needs a REX prefix even when no REX bit is set (SPL, BPL, SIL, DIL). */
  static final int FORCE_REX = 1;
  /** The register cannot be encoded when any REX prefix is present (AH, CH, DH, BH). */
  static final int NO_REX = 2;

  /** The 64-bit register rax. */
  public static final Reg RAX = new Reg(0, 64, "rax", 0);
  /** The 64-bit register rcx. */
  public static final Reg RCX = new Reg(1, 64, "rcx", 0);
  /** The 64-bit register rdx. */
  public static final Reg RDX = new Reg(2, 64, "rdx", 0);
  /** The 64-bit register rbx. */
  public static final Reg RBX = new Reg(3, 64, "rbx", 0);
  /** The 64-bit register rsp. */
  public static final Reg RSP = new Reg(4, 64, "rsp", 0);
  /** The 64-bit register rbp. */
  public static final Reg RBP = new Reg(5, 64, "rbp", 0);
  /** The 64-bit register rsi. */
  public static final Reg RSI = new Reg(6, 64, "rsi", 0);
  /** The 64-bit register rdi. */
  public static final Reg RDI = new Reg(7, 64, "rdi", 0);
  /** The 64-bit register r8. */
  public static final Reg R8 = new Reg(8, 64, "r8", 0);
  /** The 64-bit register r9. */
  public static final Reg R9 = new Reg(9, 64, "r9", 0);
  /** The 64-bit register r10. */
  public static final Reg R10 = new Reg(10, 64, "r10", 0);
  /** The 64-bit register r11. */
  public static final Reg R11 = new Reg(11, 64, "r11", 0);
  /** The 64-bit register r12. */
  public static final Reg R12 = new Reg(12, 64, "r12", 0);
  /** The 64-bit register r13. */
  public static final Reg R13 = new Reg(13, 64, "r13", 0);
  /** The 64-bit register r14. */
  public static final Reg R14 = new Reg(14, 64, "r14", 0);
  /** The 64-bit register r15. */
  public static final Reg R15 = new Reg(15, 64, "r15", 0);

  /** The low 32 bits of rax; writing it zeroes the upper 32. */
  public static final Reg EAX = new Reg(0, 32, "eax", 0);
  /** The low 32 bits of rcx; writing it zeroes the upper 32. */
  public static final Reg ECX = new Reg(1, 32, "ecx", 0);
  /** The low 32 bits of rdx; writing it zeroes the upper 32. */
  public static final Reg EDX = new Reg(2, 32, "edx", 0);
  /** The low 32 bits of rbx; writing it zeroes the upper 32. */
  public static final Reg EBX = new Reg(3, 32, "ebx", 0);
  /** The low 32 bits of rsp; writing it zeroes the upper 32. */
  public static final Reg ESP = new Reg(4, 32, "esp", 0);
  /** The low 32 bits of rbp; writing it zeroes the upper 32. */
  public static final Reg EBP = new Reg(5, 32, "ebp", 0);
  /** The low 32 bits of rsi; writing it zeroes the upper 32. */
  public static final Reg ESI = new Reg(6, 32, "esi", 0);
  /** The low 32 bits of rdi; writing it zeroes the upper 32. */
  public static final Reg EDI = new Reg(7, 32, "edi", 0);
  /** The low 32 bits of r8; writing it zeroes the upper 32. */
  public static final Reg R8D = new Reg(8, 32, "r8d", 0);
  /** The low 32 bits of r9; writing it zeroes the upper 32. */
  public static final Reg R9D = new Reg(9, 32, "r9d", 0);
  /** The low 32 bits of r10; writing it zeroes the upper 32. */
  public static final Reg R10D = new Reg(10, 32, "r10d", 0);
  /** The low 32 bits of r11; writing it zeroes the upper 32. */
  public static final Reg R11D = new Reg(11, 32, "r11d", 0);
  /** The low 32 bits of r12; writing it zeroes the upper 32. */
  public static final Reg R12D = new Reg(12, 32, "r12d", 0);
  /** The low 32 bits of r13; writing it zeroes the upper 32. */
  public static final Reg R13D = new Reg(13, 32, "r13d", 0);
  /** The low 32 bits of r14; writing it zeroes the upper 32. */
  public static final Reg R14D = new Reg(14, 32, "r14d", 0);
  /** The low 32 bits of r15; writing it zeroes the upper 32. */
  public static final Reg R15D = new Reg(15, 32, "r15d", 0);

  /** The low 16 bits of rax. */
  public static final Reg AX = new Reg(0, 16, "ax", 0);
  /** The low 16 bits of rcx. */
  public static final Reg CX = new Reg(1, 16, "cx", 0);
  /** The low 16 bits of rdx. */
  public static final Reg DX = new Reg(2, 16, "dx", 0);
  /** The low 16 bits of rbx. */
  public static final Reg BX = new Reg(3, 16, "bx", 0);
  /** The low 16 bits of rsp. */
  public static final Reg SP = new Reg(4, 16, "sp", 0);
  /** The low 16 bits of rbp. */
  public static final Reg BP = new Reg(5, 16, "bp", 0);
  /** The low 16 bits of rsi. */
  public static final Reg SI = new Reg(6, 16, "si", 0);
  /** The low 16 bits of rdi. */
  public static final Reg DI = new Reg(7, 16, "di", 0);
  /** The low 16 bits of r8. */
  public static final Reg R8W = new Reg(8, 16, "r8w", 0);
  /** The low 16 bits of r9. */
  public static final Reg R9W = new Reg(9, 16, "r9w", 0);
  /** The low 16 bits of r10. */
  public static final Reg R10W = new Reg(10, 16, "r10w", 0);
  /** The low 16 bits of r11. */
  public static final Reg R11W = new Reg(11, 16, "r11w", 0);
  /** The low 16 bits of r12. */
  public static final Reg R12W = new Reg(12, 16, "r12w", 0);
  /** The low 16 bits of r13. */
  public static final Reg R13W = new Reg(13, 16, "r13w", 0);
  /** The low 16 bits of r14. */
  public static final Reg R14W = new Reg(14, 16, "r14w", 0);
  /** The low 16 bits of r15. */
  public static final Reg R15W = new Reg(15, 16, "r15w", 0);

  /** The low 8 bits of rax. */
  public static final Reg AL = new Reg(0, 8, "al", 0);
  /** The low 8 bits of rcx. */
  public static final Reg CL = new Reg(1, 8, "cl", 0);
  /** The low 8 bits of rdx. */
  public static final Reg DL = new Reg(2, 8, "dl", 0);
  /** The low 8 bits of rbx. */
  public static final Reg BL = new Reg(3, 8, "bl", 0);
  /** The low 8 bits of rsp; always encoded with a REX prefix. */
  public static final Reg SPL = new Reg(4, 8, "spl", FORCE_REX);
  /** The low 8 bits of rbp; always encoded with a REX prefix. */
  public static final Reg BPL = new Reg(5, 8, "bpl", FORCE_REX);
  /** The low 8 bits of rsi; always encoded with a REX prefix. */
  public static final Reg SIL = new Reg(6, 8, "sil", FORCE_REX);
  /** The low 8 bits of rdi; always encoded with a REX prefix. */
  public static final Reg DIL = new Reg(7, 8, "dil", FORCE_REX);
  /** The low 8 bits of r8. */
  public static final Reg R8B = new Reg(8, 8, "r8b", 0);
  /** The low 8 bits of r9. */
  public static final Reg R9B = new Reg(9, 8, "r9b", 0);
  /** The low 8 bits of r10. */
  public static final Reg R10B = new Reg(10, 8, "r10b", 0);
  /** The low 8 bits of r11. */
  public static final Reg R11B = new Reg(11, 8, "r11b", 0);
  /** The low 8 bits of r12. */
  public static final Reg R12B = new Reg(12, 8, "r12b", 0);
  /** The low 8 bits of r13. */
  public static final Reg R13B = new Reg(13, 8, "r13b", 0);
  /** The low 8 bits of r14. */
  public static final Reg R14B = new Reg(14, 8, "r14b", 0);
  /** The low 8 bits of r15. */
  public static final Reg R15B = new Reg(15, 8, "r15b", 0);

  /** Bits 8-15 of rax; not encodable in an instruction with a REX prefix. */
  public static final Reg AH = new Reg(4, 8, "ah", NO_REX);
  /** Bits 8-15 of rcx; not encodable in an instruction with a REX prefix. */
  public static final Reg CH = new Reg(5, 8, "ch", NO_REX);
  /** Bits 8-15 of rdx; not encodable in an instruction with a REX prefix. */
  public static final Reg DH = new Reg(6, 8, "dh", NO_REX);
  /** Bits 8-15 of rbx; not encodable in an instruction with a REX prefix. */
  public static final Reg BH = new Reg(7, 8, "bh", NO_REX);

  private static final Reg[][] BY_WIDTH = new Reg[4][16];

  static {
    Reg[] all = {
      RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15, EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, R8D, R9D, R10D, R11D, R12D, R13D, R14D, R15D, AX, CX, DX, BX, SP, BP, SI, DI, R8W, R9W, R10W, R11W, R12W, R13W, R14W, R15W, AL, CL, DL, BL, SPL, BPL, SIL, DIL, R8B, R9B, R10B, R11B, R12B, R13B, R14B, R15B, AH, CH, DH, BH
    };
    for (Reg r : all) {
      if (r.rexFlags != NO_REX) {
        BY_WIDTH[widthIndex(r.bits)][r.code] = r;
      }
    }
  }

  private final int code;
  private final int bits;
  private final String name;
  private final int rexFlags;

  private Reg(int code, int bits, String name, int rexFlags) {
    this.code = code;
    this.bits = bits;
    this.name = name;
    this.rexFlags = rexFlags;
  }

  /**
   * The register with a hardware number and width.
   *
   * @param code the hardware number, 0-15
   * @param bits the width: 8, 16, 32 or 64 (numbers 4-7 at 8 bits are spl, bpl, sil, dil)
   * @return the register
   * @throws AsmException if there is no such register
   */
  public static Reg of(int code, int bits) {
    if (code < 0 || code > 15) {
      throw new AsmException("no general register number " + code);
    }
    return BY_WIDTH[widthIndex(bits)][code];
  }

  /**
   * This register at another width: {@code RAX.width(32) == EAX}, {@code R9.width(8) == R9B}.
   *
   * @param newBits the width: 8, 16, 32 or 64
   * @return the register with the same number at that width
   * @throws AsmException for ah, bh, ch and dh, or a width that does not exist
   */
  public Reg width(int newBits) {
    if (rexFlags == NO_REX) {
      throw new AsmException(name + " has no other widths");
    }
    return of(code, newBits);
  }

  private static int widthIndex(int bits) {
    switch (bits) {
      case 8: return 0;
      case 16: return 1;
      case 32: return 2;
      case 64: return 3;
      default: throw new AsmException("no " + bits + "-bit general registers");
    }
  }

  /** {@return the hardware register number 0-15} ah..bh report 4-7, their encoding. */
  public int code() {
    return code;
  }

  /** {@return the width in bits: 8, 16, 32 or 64} */
  public int bits() {
    return bits;
  }

  int rexFlags() {
    return rexFlags;
  }

  /** {@return the lowercase assembly name} For example {@code rax}, {@code r8d}, {@code sil}. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
