/**
 * Brainfuck, the second example front end: the smallest language that still needs a real loop
 * optimiser to run fast.
 *
 * <p>Pipeline: {@link dev.kiln.bf.BfParser} checks brackets and reads commands with their source
 * positions; {@link dev.kiln.bf.BfCompiler} folds them into a small offset-based IR
 * ({@link dev.kiln.bf.BfProgram}) with recognised idioms (clear, multiply-move and scan loops);
 * {@link dev.kiln.bf.BfInterpreter} runs that IR. The IR is also what a machine-code back end
 * translates, so interpreter and JIT agree on every observable effect.
 *
 * <p>Semantics (docs/language.md): 30,000 byte cells, values wrap modulo 256, {@code ,} at end of
 * input leaves the cell unchanged. Moving the pointer is free; reading or writing a cell outside
 * the tape is the runtime error {@code cell index out of range}.
 */
package dev.kiln.bf;
