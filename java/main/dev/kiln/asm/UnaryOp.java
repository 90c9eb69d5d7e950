package dev.kiln.asm;

/**
 * One-operand instructions of groups 3 and 4/5 (Intel SDM Vol. 2, Appendix A.4): opcode
 * {@link #opcode} for 8-bit operands, {@code opcode+1} for wider ones, ModRM.reg = {@link #ext}.
 */
public enum UnaryOp {
  INC(0xFE, 0), DEC(0xFE, 1), NOT(0xF6, 2), NEG(0xF6, 3),
  MUL(0xF6, 4), IMUL(0xF6, 5), DIV(0xF6, 6), IDIV(0xF6, 7);

  final int opcode;
  final int ext;
  final String mnemonic = name().toLowerCase(java.util.Locale.ROOT);

  UnaryOp(int opcode, int ext) {
    this.opcode = opcode;
    this.ext = ext;
  }
}
