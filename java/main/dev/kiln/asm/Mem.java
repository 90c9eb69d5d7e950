package dev.kiln.asm;

/**
 * A memory operand {@code SIZE PTR [base + index*scale + disp]} or {@code [rip + label + disp]}.
 * Every part is optional (no base and no index is an absolute 32-bit address). Built with the
 * static factories named for the access size: {@code qword(RBX, RCX, 8, 16)}, {@code dword(RBP,
 * -8)}, {@code byte_(RSI)}, {@code xmmword(label)}, or {@code mem(...)} when the size is implied.
 * Invalid forms (rsp as index, a scale other than 1/2/4/8, a base or index that is not a 64-bit
 * register) are rejected here, before any instruction sees them.
 */
public final class Mem implements Operand {
  final int size;
  final Reg base;
  final Reg index;
  final int scale;
  final int disp;
  final Label label;

  private Mem(int size, Reg base, Reg index, int scale, int disp, Label label) {
    if (base != null && base.bits() != 64 || index != null && index.bits() != 64) {
      throw new AsmException("address registers must be 64-bit: " + describe(base, index, scale, disp));
    }
    if (index != null && index.code() == 4) {
      // SIB index 100 without REX.X means "no index" (Intel SDM Vol. 2, Table 2-3).
      throw new AsmException("rsp cannot be an index register: " + describe(base, index, scale, disp));
    }
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
      throw new AsmException("scale must be 1, 2, 4 or 8: " + describe(base, index, scale, disp));
    }
    this.size = size;
    this.base = base;
    this.index = index;
    this.scale = scale;
    this.disp = disp;
    this.label = label;
  }

  /**
   * A 1-byte memory operand {@code [base + disp]}.
   *
   * @param base the base register, 64-bit
   * @param disp the displacement
   * @return the operand
   */
  public static Mem byte_(Reg base, int disp) {
    return new Mem(1, base, null, 1, disp, null);
  }

  /**
   * A 1-byte memory operand {@code [base]}.
   *
   * @param base the base register, 64-bit
   * @return the operand
   */
  public static Mem byte_(Reg base) {
    return new Mem(1, base, null, 1, 0, null);
  }

  /**
   * A 1-byte memory operand {@code [base + index*scale + disp]}.
   *
   * @param base the base register, 64-bit; null for none
   * @param index the index register, 64-bit and not rsp; null for none
   * @param scale the index's factor: 1, 2, 4 or 8
   * @param disp the displacement
   * @return the operand
   * @throws AsmException if a register is not 64-bit, rsp is the index, or the scale is not 1,
   *     2, 4 or 8
   */
  public static Mem byte_(Reg base, Reg index, int scale, int disp) {
    return new Mem(1, base, index, scale, disp, null);
  }

  /**
   * A 1-byte RIP-relative memory operand {@code [rip + label]}.
   *
   * @param label the label addressed
   * @return the operand
   */
  public static Mem byte_(Label label) {
    return new Mem(1, null, null, 1, 0, label);
  }

  /**
   * A 2-byte memory operand {@code [base + disp]}.
   *
   * @param base the base register, 64-bit
   * @param disp the displacement
   * @return the operand
   */
  public static Mem word(Reg base, int disp) {
    return new Mem(2, base, null, 1, disp, null);
  }

  /**
   * A 2-byte memory operand {@code [base]}.
   *
   * @param base the base register, 64-bit
   * @return the operand
   */
  public static Mem word(Reg base) {
    return new Mem(2, base, null, 1, 0, null);
  }

  /**
   * A 2-byte memory operand {@code [base + index*scale + disp]}.
   *
   * @param base the base register, 64-bit; null for none
   * @param index the index register, 64-bit and not rsp; null for none
   * @param scale the index's factor: 1, 2, 4 or 8
   * @param disp the displacement
   * @return the operand
   * @throws AsmException if a register is not 64-bit, rsp is the index, or the scale is not 1,
   *     2, 4 or 8
   */
  public static Mem word(Reg base, Reg index, int scale, int disp) {
    return new Mem(2, base, index, scale, disp, null);
  }

  /**
   * A 2-byte RIP-relative memory operand {@code [rip + label]}.
   *
   * @param label the label addressed
   * @return the operand
   */
  public static Mem word(Label label) {
    return new Mem(2, null, null, 1, 0, label);
  }

  /**
   * A 4-byte memory operand {@code [base + disp]}.
   *
   * @param base the base register, 64-bit
   * @param disp the displacement
   * @return the operand
   */
  public static Mem dword(Reg base, int disp) {
    return new Mem(4, base, null, 1, disp, null);
  }

  /**
   * A 4-byte memory operand {@code [base]}.
   *
   * @param base the base register, 64-bit
   * @return the operand
   */
  public static Mem dword(Reg base) {
    return new Mem(4, base, null, 1, 0, null);
  }

  /**
   * A 4-byte memory operand {@code [base + index*scale + disp]}.
   *
   * @param base the base register, 64-bit; null for none
   * @param index the index register, 64-bit and not rsp; null for none
   * @param scale the index's factor: 1, 2, 4 or 8
   * @param disp the displacement
   * @return the operand
   * @throws AsmException if a register is not 64-bit, rsp is the index, or the scale is not 1,
   *     2, 4 or 8
   */
  public static Mem dword(Reg base, Reg index, int scale, int disp) {
    return new Mem(4, base, index, scale, disp, null);
  }

  /**
   * A 4-byte RIP-relative memory operand {@code [rip + label]}.
   *
   * @param label the label addressed
   * @return the operand
   */
  public static Mem dword(Label label) {
    return new Mem(4, null, null, 1, 0, label);
  }

  /**
   * An 8-byte memory operand {@code [base + disp]}.
   *
   * @param base the base register, 64-bit
   * @param disp the displacement
   * @return the operand
   */
  public static Mem qword(Reg base, int disp) {
    return new Mem(8, base, null, 1, disp, null);
  }

  /**
   * An 8-byte memory operand {@code [base]}.
   *
   * @param base the base register, 64-bit
   * @return the operand
   */
  public static Mem qword(Reg base) {
    return new Mem(8, base, null, 1, 0, null);
  }

  /**
   * An 8-byte memory operand {@code [base + index*scale + disp]}.
   *
   * @param base the base register, 64-bit; null for none
   * @param index the index register, 64-bit and not rsp; null for none
   * @param scale the index's factor: 1, 2, 4 or 8
   * @param disp the displacement
   * @return the operand
   * @throws AsmException if a register is not 64-bit, rsp is the index, or the scale is not 1,
   *     2, 4 or 8
   */
  public static Mem qword(Reg base, Reg index, int scale, int disp) {
    return new Mem(8, base, index, scale, disp, null);
  }

  /**
   * An 8-byte RIP-relative memory operand {@code [rip + label]}.
   *
   * @param label the label addressed
   * @return the operand
   */
  public static Mem qword(Label label) {
    return new Mem(8, null, null, 1, 0, label);
  }

  /**
   * A 16-byte memory operand {@code [base + disp]}.
   *
   * @param base the base register, 64-bit
   * @param disp the displacement
   * @return the operand
   */
  public static Mem xmmword(Reg base, int disp) {
    return new Mem(16, base, null, 1, disp, null);
  }

  /**
   * A 16-byte memory operand {@code [base]}.
   *
   * @param base the base register, 64-bit
   * @return the operand
   */
  public static Mem xmmword(Reg base) {
    return new Mem(16, base, null, 1, 0, null);
  }

  /**
   * A 16-byte memory operand {@code [base + index*scale + disp]}.
   *
   * @param base the base register, 64-bit; null for none
   * @param index the index register, 64-bit and not rsp; null for none
   * @param scale the index's factor: 1, 2, 4 or 8
   * @param disp the displacement
   * @return the operand
   * @throws AsmException if a register is not 64-bit, rsp is the index, or the scale is not 1,
   *     2, 4 or 8
   */
  public static Mem xmmword(Reg base, Reg index, int scale, int disp) {
    return new Mem(16, base, index, scale, disp, null);
  }

  /**
   * A 16-byte RIP-relative memory operand {@code [rip + label]}.
   *
   * @param label the label addressed
   * @return the operand
   */
  public static Mem xmmword(Label label) {
    return new Mem(16, null, null, 1, 0, label);
  }

  /**
   * An unsized memory operand {@code [base + disp]}, for lea or where the other operand fixes the
   * size.
   *
   * @param base the base register, 64-bit
   * @param disp the displacement
   * @return the operand
   */
  public static Mem mem(Reg base, int disp) {
    return new Mem(0, base, null, 1, disp, null);
  }

  /**
   * An unsized memory operand {@code [base]}, for lea or where the other operand fixes the
   * size.
   *
   * @param base the base register, 64-bit
   * @return the operand
   */
  public static Mem mem(Reg base) {
    return new Mem(0, base, null, 1, 0, null);
  }

  /**
   * An unsized memory operand {@code [base + index*scale + disp]}, for lea or where the other
   * operand fixes the size.
   *
   * @param base the base register, 64-bit; null for none
   * @param index the index register, 64-bit and not rsp; null for none
   * @param scale the index's factor: 1, 2, 4 or 8
   * @param disp the displacement
   * @return the operand
   * @throws AsmException if a register is not 64-bit, rsp is the index, or the scale is not 1,
   *     2, 4 or 8
   */
  public static Mem mem(Reg base, Reg index, int scale, int disp) {
    return new Mem(0, base, index, scale, disp, null);
  }

  /**
   * An unsized RIP-relative memory operand {@code [rip + label]}, for lea or where the other
   * operand fixes the size.
   *
   * @param label the label addressed
   * @return the operand
   */
  public static Mem mem(Label label) {
    return new Mem(0, null, null, 1, 0, label);
  }

  /**
   * This operand with another access size.
   *
   * @param bytes the size in bytes: 0 (unsized), 1, 2, 4, 8 or 16
   * @return the operand with that size
   * @throws AsmException for any other size
   */
  public Mem withSize(int bytes) {
    if (bytes != 0 && bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8 && bytes != 16) {
      throw new AsmException("no " + bytes + "-byte memory operands");
    }
    return new Mem(bytes, base, index, scale, disp, label);
  }

  /**
   * This operand with {@code delta} added to the displacement (RIP-relative: to the label).
   *
   * @param delta bytes to add
   * @return the moved operand
   * @throws AsmException if the displacement no longer fits in a signed 32-bit field
   */
  public Mem plus(int delta) {
    long moved = (long) disp + delta;
    if (moved != (int) moved) {
      throw new AsmException(
          "displacement " + disp + " + " + delta + " = " + moved
              + " does not fit a signed 32-bit displacement: " + this + ".plus(" + delta + ")");
    }
    return new Mem(size, base, index, scale, (int) moved, label);
  }

  /** {@return the access size in bytes, 0 if unsized} */
  public int size() {
    return size;
  }

  /** True if any register of the address needs a REX bit (r8-r15). */
  boolean usesExtendedRegs() {
    return base != null && base.code() >= 8 || index != null && index.code() >= 8;
  }

  @Override
  public String toString() {
    String prefix = sizeName(size);
    String addr = label != null ? "[rip+" + label.name() + (disp == 0 ? "" : signedHex(disp)) + "]"
        : describe(base, index, scale, disp);
    return prefix.isEmpty() ? addr : prefix + " PTR " + addr;
  }

  /** The objdump size keyword for an access size in bytes. */
  static String sizeName(int bytes) {
    switch (bytes) {
      case 1: return "BYTE";
      case 2: return "WORD";
      case 4: return "DWORD";
      case 8: return "QWORD";
      case 16: return "XMMWORD";
      default: return "";
    }
  }

  /** The address in objdump's style: {@code [rbx+rcx*8-0x10]}, {@code ds:0x10} when absolute. */
  private static String describe(Reg base, Reg index, int scale, int disp) {
    if (base == null && index == null) {
      return "ds:" + hex(disp);
    }
    StringBuilder sb = new StringBuilder("[");
    if (base != null) {
      sb.append(base.name());
    }
    if (index != null) {
      sb.append(base != null ? "+" : "").append(index.name()).append('*').append(scale);
    }
    // rbp/r13 as base always carry a displacement byte, and objdump shows it even when zero.
    if (disp != 0 || base == null || (base.code() & 7) == 5) {
      sb.append(signedHex(disp));
    }
    return sb.append(']').toString();
  }

  private static String signedHex(int v) {
    return v < 0 ? "-" + hex(-(long) v) : "+" + hex(v);
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
