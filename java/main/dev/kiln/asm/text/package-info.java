/**
 * Assembly text for the {@link dev.kiln.asm} assembler: {@link dev.kiln.asm.text.AsmParser}
 * assembles the GNU as {@code .intel_syntax noprefix} subset into machine code and a listing,
 * reporting every error of the text with its line.
 *
 * <pre>{@code
 * AsmParser.Result r = AsmParser.assemble("""
 *     lea rax, [rdi+1]
 *     ret
 *     """);
 * if (r.errors().isEmpty()) {
 *   byte[] code = r.code(); // 48 8d 47 01 c3
 * } else {
 *   r.errors().forEach(d -> System.err.println("line " + d.line() + ": " + d.message()));
 * }
 * }</pre>
 */
package dev.kiln.asm.text;
