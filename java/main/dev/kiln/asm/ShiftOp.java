package dev.kiln.asm;

/**
 * Shifts and rotates: group 2 (Intel SDM Vol. 2, Appendix A.4), ModRM.reg = {@link #ext};
 * D0/D1 by one, C0/C1 by imm8, D2/D3 by CL.
 */
public enum ShiftOp {
  ROL(0), ROR(1), SHL(4), SHR(5), SAR(7);

  final int ext;
  final String mnemonic = name().toLowerCase(java.util.Locale.ROOT);

  ShiftOp(int ext) {
    this.ext = ext;
  }
}
