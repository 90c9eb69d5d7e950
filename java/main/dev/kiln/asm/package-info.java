/**
 * An x86-64 assembler for JIT compilers: {@link dev.kiln.asm.Assembler} has one method per
 * mnemonic, overloaded by operand kinds ({@link dev.kiln.asm.Reg}, {@link dev.kiln.asm.Xmm}, {@link
 * dev.kiln.asm.Mem}, immediates, {@link dev.kiln.asm.Label}s), and emits the bytes GNU as would.
 * Branches are relaxed to their short forms, a constant pool follows the code, and an optional
 * {@link dev.kiln.asm.Listing} shows every instruction as objdump does. An operand combination the
 * CPU does not have throws {@link dev.kiln.asm.AsmException} naming it; no wrong bytes are ever
 * emitted.
 *
 * <p>A function that returns 1 + 2 + ... + n, assembled and run through {@link dev.kiln.runtime}:
 *
 * <pre>{@code
 * import static dev.kiln.asm.Reg.*;
 *
 * CallingConvention cc = CallingConvention.host();
 * Reg n = Reg.of(cc.integerArguments().get(0), 64); // rdi on Linux, rcx on Windows
 * Assembler a = new Assembler();
 * Label done = a.label("done");
 * a.xor(EAX, EAX);             // the sum; writing eax zeroes all of rax
 * a.test(n, n);
 * a.jcc(Cond.LE, done);
 * Label loop = a.here("loop");
 * a.add(RAX, n);
 * a.dec(n);
 * a.jcc(Cond.NE, loop);
 * a.bind(done);
 * a.ret();
 * byte[] code = a.finish();    // on Linux: 31 c0 48 85 ff 7e 08 48 01 f8 48 ff cf 75 f8 c3
 *
 * try (CodeCache cache = new CodeCache()) {
 *   InstalledCode sum = cache.install(code, Signature.longs(1));
 *   long result = sum.invoke1(100_000); // 5000050000
 * }
 * }</pre>
 */
package dev.kiln.asm;
