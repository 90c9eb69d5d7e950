/**
 * Executable memory and calls into generated x86-64 code, through a small JNI shim.
 *
 * <p>A {@link dev.kiln.runtime.CodeCache} copies machine code into pages that are never writable
 * and executable at once, and returns an {@link dev.kiln.runtime.InstalledCode} handle to invoke
 * it with a {@link dev.kiln.runtime.Signature} of longs or doubles, in either {@link
 * dev.kiln.runtime.CallingConvention} (Microsoft x64 code also runs on Linux). {@link
 * dev.kiln.runtime.NativeMemory} holds the data generated code works on, {@link
 * dev.kiln.runtime.HostFunction} lists the C helpers it may call, among them the upcall into a Java
 * {@link dev.kiln.runtime.Upcall} handler.
 *
 * <pre>{@code
 * // lea rax, [rdi+1]; ret: returns its first argument plus one (System V passes it in rdi)
 * byte[] code = {0x48, (byte) 0x8d, 0x47, 0x01, (byte) 0xc3};
 * try (CodeCache cache = new CodeCache()) {
 *   InstalledCode increment = cache.install(
 *       new CodeCache.Function(code, Signature.longs(1), CallingConvention.SYSTEM_V));
 *   long next = increment.invoke1(1L << 32); // 4294967297
 * }
 * }</pre>
 *
 * <p>(For {@link dev.kiln.runtime.CallingConvention#WINDOWS_X64} the first argument is in rcx:
 * {@code 48 8d 41 01 c3}.)
 *
 * <p><b>Lifetime.</b> Installed code stays in memory while an open handle can reach it: its own
 * handles, and the handles of code that declared it a callee. Generated code that calls other
 * installed code by address, embedded in the code or read from a call table, declares that callee
 * when it is installed ({@link dev.kiln.runtime.CodeCache#install(byte[], Signature,
 * InstalledCode...)}, {@link dev.kiln.runtime.CodeCache.Function#callees()}) or later ({@link
 * dev.kiln.runtime.InstalledCode#addCallee}). The callee's handle may then be closed or dropped:
 * its code is freed with its last caller. Closing the cache frees everything at once. Close a
 * handle or cache only after every invoke of its code has returned.
 *
 * <p><b>Failures are exceptions.</b> A closed handle, a signature mismatch, an upcall from a
 * misaligned stack or without a handler, and a refusal of executable memory ({@link
 * dev.kiln.runtime.ExecutableMemoryDeniedException}, to fall back to an interpreter) all throw; the
 * generated code itself must still follow its calling convention.
 */
package dev.kiln.runtime;
