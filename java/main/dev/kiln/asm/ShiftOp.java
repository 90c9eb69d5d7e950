package dev.kiln.asm;

/**
 * Shifts and rotates: group 2 (Intel SDM Vol. 2, Appendix A.4), the operation in ModRM.reg;
 * D0/D1 by one, C0/C1 by imm8, D2/D3 by CL. The CPU masks the count to 6 bits (5 below 64-bit).
 */
public enum ShiftOp {
  /** Rotate left. */
  ROL(0),
  /** Rotate right. */
  ROR(1),
  /** Shift left, filling with zeros. */
  SHL(4),
  /** Logical shift right, filling with zeros. */
  SHR(5),
  /** Arithmetic shift right, filling with the sign bit. */
  SAR(7);

  final int ext;
  final String mnemonic = name().toLowerCase(java.util.Locale.ROOT);

  ShiftOp(int ext) {
    this.ext = ext;
  }
}
