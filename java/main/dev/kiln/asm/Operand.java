package dev.kiln.asm;

/**
 * Anything an instruction can take as an operand. The typed {@link Assembler} methods take the
 * concrete kinds; this common type exists for the generic entry point used by the text parser and
 * for listings and error messages, which print operands in Intel syntax via {@code toString()}.
 */
public sealed interface Operand permits Reg, Xmm, Mem, Imm, Label {}
