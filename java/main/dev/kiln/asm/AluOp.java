package dev.kiln.asm;

/**
 * The eight classic ALU operations. Their encodings are one table indexed by {@code n} (Intel SDM
 * Vol. 2, Appendix A.3, group 1): {@code 8n+0/1} r/m,reg; {@code 8n+2/3} reg,r/m; {@code 8n+4/5}
 * al/eAX,imm; {@code 80/81/83 /n} r/m,imm.
 */
public enum AluOp {
  /** {@code d += s}. */
  ADD,
  /** {@code d |= s}. */
  OR,
  /** {@code d += s + CF}, add with carry. */
  ADC,
  /** {@code d -= s + CF}, subtract with borrow. */
  SBB,
  /** {@code d &= s}. */
  AND,
  /** {@code d -= s}. */
  SUB,
  /** {@code d ^= s}. */
  XOR,
  /** Sets the flags as {@link #SUB} would, without writing {@code d}. */
  CMP;

  final String mnemonic = name().toLowerCase(java.util.Locale.ROOT);

  /** The group-1 index: both the opcode row and the ModRM.reg extension. */
  int n() {
    return ordinal();
  }
}
