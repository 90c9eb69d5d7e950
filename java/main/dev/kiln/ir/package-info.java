/**
 * The Kiln IR: a language-independent intermediate representation that a toy language built in
 * Java can target, with everything it needs to run safely.
 *
 * <ul>
 *   <li>A {@link dev.kiln.ir.Module} holds {@link dev.kiln.ir.Memory memories} (named, fixed-size,
 *       bounds-checked linear memories: addresses are byte offsets, never pointers), imported
 *       {@link dev.kiln.ir.JavaFunction Java functions}, declared {@link dev.kiln.ir.CFunction C
 *       functions}, and {@link dev.kiln.ir.Function functions} defined in IR.
 *   <li>A function is SSA with block parameters (as in Cranelift): {@link dev.kiln.ir.Block blocks}
 *       of typed {@link dev.kiln.ir.Instruction instructions} over {@link dev.kiln.ir.Value values}
 *       of type {@link dev.kiln.ir.Type#I64 i64} or {@link dev.kiln.ir.Type#F64 f64}.
 *   <li>{@link dev.kiln.ir.FunctionBuilder} builds functions from mutable
 *       {@link dev.kiln.ir.Variable variables}, constructing SSA itself (Braun et al. 2013).
 *   <li>{@link dev.kiln.ir.Module#verify()} rejects malformed IR with messages naming function,
 *       block and instruction; every way of running a module verifies it first.
 *   <li>{@link dev.kiln.ir.IrPrinter} and {@link dev.kiln.ir.IrParser} write and read the text
 *       form; printing is canonical.
 *   <li>{@link dev.kiln.ir.Interpreter} is the reference semantics, behind the
 *       {@link dev.kiln.ir.Instance} interface compiled code will share. Failed checks become
 *       {@link dev.kiln.ir.TrapException}s, never crashes; a {@link dev.kiln.ir.RunControl}
 *       bounds a run in time and can cancel it from another thread.
 * </ul>
 *
 * <p>docs/ir.md is the reference: every instruction's exact semantics, the memory model, the
 * verifier's rules and the text grammar. The package imports nothing else of Kiln.
 */
package dev.kiln.ir;
