package dev.kiln.asm;

/**
 * One-operand instructions of groups 3 and 4/5 (Intel SDM Vol. 2, Appendix A.4): one opcode for
 * 8-bit operands, that opcode + 1 for wider ones, and the operation in ModRM.reg.
 */
public enum UnaryOp {
  /** Adds one (CF unchanged). */
  INC(0xFE, 0),
  /** Subtracts one (CF unchanged). */
  DEC(0xFE, 1),
  /** Bitwise complement. */
  NOT(0xF6, 2),
  /** Two's complement negation. */
  NEG(0xF6, 3),
  /** Unsigned multiply of the accumulator: {@code rdx:rax = rax * r} and narrower forms. */
  MUL(0xF6, 4),
  /** Signed multiply of the accumulator: {@code rdx:rax = rax * r} and narrower forms. */
  IMUL(0xF6, 5),
  /** Unsigned divide of {@code rdx:rax}: quotient in rax, remainder in rdx (#DE on 0). */
  DIV(0xF6, 6),
  /** Signed divide of {@code rdx:rax}: quotient in rax, remainder in rdx (#DE on 0 or overflow). */
  IDIV(0xF6, 7);

  final int opcode;
  final int ext;
  final String mnemonic = name().toLowerCase(java.util.Locale.ROOT);

  UnaryOp(int opcode, int ext) {
    this.opcode = opcode;
    this.ext = ext;
  }
}
