/**
 * Emission: frames, prologues and epilogues, each instruction's machine code through
 * {@link dev.kiln.asm.Assembler}, edge moves as parallel copies, out-of-line trap and poll stubs,
 * and the module's entry stub in the host convention; {@link dev.kiln.backend.emit.ContextBlock}
 * is the layout of the block that compiled code and Java share.
 */
package dev.kiln.backend.emit;
