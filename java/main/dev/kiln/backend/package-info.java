/**
 * The x86-64 back end of the Kiln IR: {@link dev.kiln.backend.Backend#compile} turns a verified
 * {@link dev.kiln.ir.Module} into machine code through the passes of {@code Pipeline}
 * (instruction selection, linear-scan register allocation, emission), installs it in a
 * {@link dev.kiln.runtime.CodeCache} and returns a {@link dev.kiln.backend.CompiledModule}, an
 * {@link dev.kiln.ir.Instance} that agrees with the reference interpreter on every program:
 * results, traps (kind, code, position, function, operands), side effects before a trap, and the
 * call-depth limit.
 *
 * <p>Every safety check is an explicit compare and branch to an out-of-line trap stub, never a
 * fault: compiled code cannot bring the JVM down. docs/backend.md describes the design.
 */
package dev.kiln.backend;
