/**
 * Kiln's JIT: a lowering of Kiln bytecode to the IR ({@code dev.kiln.ir}), which the back end
 * ({@code dev.kiln.backend}) compiles, plus the run-time glue around the compiled code. This
 * package emits no machine code of its own.
 *
 * <p>{@link dev.kiln.jit.KilnJit} runs a program in two tiers: the interpreter ({@code
 * dev.kiln.interp}) starts it, and after {@link dev.kiln.jit.KilnJit#tierUpAfter} calls and
 * back edges (none for a small program, which is compiled before it runs) {@link
 * dev.kiln.jit.KilnLowering} lowers the whole program, each function by a {@link
 * dev.kiln.jit.FunctionLowering} (slots become SSA values; {@link dev.kiln.jit.SlotViews} says
 * which of a slot's int and float views is live), with a resumption at each loop header where an
 * interpreted frame can go on. {@link dev.kiln.jit.CompiledProgram} binds the compiled module to
 * the run's heap and output through the imports of {@link dev.kiln.jit.RuntimeImports}
 * (allocation, printing) and takes over the interpreter's calls and frames. Traps of the
 * compiled code become the interpreter's runtime errors, at the same source positions; if the OS
 * refuses executable memory, the interpreter goes on alone.
 */
package dev.kiln.jit;
