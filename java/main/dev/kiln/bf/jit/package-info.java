/**
 * The Brainfuck back end: {@link dev.kiln.bf.BfProgram} IR to x86-64 machine code with the
 * project's assembler, run through the runtime's code cache.
 *
 * <p>{@link dev.kiln.bf.jit.BfCodeGenerator} writes one function {@code long run(tape, context)}
 * in a chosen calling convention; {@link dev.kiln.bf.jit.BfJit} installs it, serves its output
 * and input through the runtime's upcall helper, arms the time limit, and turns the status the
 * code returns into the same {@link dev.kiln.bf.BfRuntimeException} the interpreter throws.
 */
package dev.kiln.bf.jit;
