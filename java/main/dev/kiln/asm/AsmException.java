package dev.kiln.asm;

/**
 * An instruction or operand combination the assembler cannot encode (two memory operands, rsp as
 * an index, an immediate too wide for the form, a high-byte register next to a REX prefix, operand
 * sizes that disagree, a label bound twice or never bound...). The message names the instruction
 * and its operands; the assembler never emits wrong bytes instead of throwing.
 */
public final class AsmException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message what cannot be encoded, naming the instruction and its operands
   */
  public AsmException(String message) {
    super(message);
  }
}
