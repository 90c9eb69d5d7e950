/**
 * The Kiln bytecode: the interface between the front end ({@code dev.kiln.lang}) and the two
 * executors, the interpreter ({@code dev.kiln.interp}) and the JIT ({@code dev.kiln.jit}).
 *
 * <h2>Machine model: a typed register machine</h2>
 *
 * <p>Each function has a frame of {@link dev.kiln.bytecode.FunctionInfo#frameSize} 64-bit
 * <em>slots</em>, numbered statically by the compiler: the parameters are slots {@code 0..n-1},
 * then one slot per distinct float constant of the function and per int literal that a loop needs
 * in a slot (both loaded at entry, so loops do not reload them), then locals (a slot per
 * {@code let}, reused after its block ends) and temporaries above them. Instructions are
 * three-address and name their slots directly ({@code ADD_I d, a, b}), so {@code s = s + i} is one
 * instruction instead of the four of a stack machine (load, load, add, store). That is why it is
 * a register machine: the interpreter dispatches about half as many instructions, and the JIT can
 * map slots to machine registers with linear scan, because every slot, every operand and every
 * instruction's effect is explicit and static.
 *
 * <p>Values are untagged: ints are {@code long}s, floats are raw IEEE-754 bits, bools are 0 or 1,
 * arrays are heap offsets ({@link dev.kiln.vm.Heap}). The type is in the opcode ({@code ADD_I} vs
 * {@code ADD_F}); nothing is checked at run time except what docs/language.md makes an error. The
 * kinds of parameters and results are in {@link dev.kiln.bytecode.FunctionInfo}; a slot holds one
 * kind at a time but a temporary slot may hold different kinds at different points, so an executor
 * that needs a slot's kind takes it from the instruction that defines it.
 *
 * <h2>Encoding</h2>
 *
 * <p>All functions share one {@code int[]} ({@link dev.kiln.bytecode.Program#code}); function
 * {@code f} is {@code code[entry..end)}. An instruction is its opcode followed inline by its
 * operands, as listed by {@link dev.kiln.bytecode.Op#shape}: {@code d}/{@code s} slots, {@code i}
 * 32-bit immediates, {@code k} indices into the 64-bit constant pool, {@code c} into the string
 * pool, {@code t} branch targets (absolute offsets into the code array), {@code f} function
 * indices, {@code p} indices into the position table (source line and column), {@code n} flags.
 *
 * <h2>Instruction set (see {@link dev.kiln.bytecode.Op} for every opcode)</h2>
 *
 * <ul>
 *   <li>Moves and constants: {@code MOV}, {@code CONST_I} (32-bit immediate), {@code CONST_K}.
 *   <li>Int arithmetic (wrapping): {@code ADD_I SUB_I MUL_I DIV_I REM_I AND_I OR_I XOR_I SHL_I
 *       SHR_I USHR_I NEG_I NOT_I}, and immediate forms {@code ADD_I_IMM MUL_I_IMM DIV_I_IMM ...}
 *       ({@code x - 5} is {@code ADD_I_IMM x, #-5}). Only {@code DIV_I}/{@code REM_I} can fail
 *       and carry a position; the immediate forms never have a zero divisor.
 *   <li>Float arithmetic: {@code ADD_F SUB_F MUL_F DIV_F NEG_F}; conversions {@code I2F F2I}
 *       ({@code F2I} is Java's {@code (long)} cast: NaN to 0, saturating).
 *   <li>Comparisons to a bool: {@code EQ_I NE_I LT_I LE_I EQ_F NE_F LT_F LE_F} ({@code >} and
 *       {@code >=} swap the operands); {@code NOT_B}.
 *   <li>Branches: {@code JMP}, {@code JT}/{@code JF} on a bool, fused compare-and-branch
 *       {@code J_cc_I a, b, t} and {@code J_cc_I_IMM a, #imm, t} for cc in EQ NE LT LE GT GE,
 *       {@code J_EQ_F J_NE_F J_LT_F J_LE_F} and the NaN-aware negations {@code J_NLT_F J_NLE_F},
 *       and the counting-loop back edge {@code FOR_I c, limit, t} / {@code FOR_I_IMM}
 *       ({@code c += 1; if c < limit goto t}).
 *   <li>Arrays: {@code NEW_ARRAY}, {@code LEN}, {@code ALOAD}, {@code ASTORE} (bounds-checked).
 *       {@code HEAP_MARK d} and {@code HEAP_FREE s} bracket the body of a function that
 *       allocates arrays but does not return one: the mark is taken at entry into a slot of its
 *       own, and each return first releases what was allocated since. Kiln has no globals and no
 *       arrays of arrays, so such a call's arrays are unreachable once it returns; the heap reuses
 *       their memory (the memory cap still counts every allocation, see {@link dev.kiln.vm.Heap}).
 *   <li>Calls: {@code CALL d, f, s, p}: the arguments are already in consecutive slots
 *       {@code s, s+1, ...} of the caller, which become slots {@code 0, 1, ...} of the callee (its
 *       frame starts at the caller's slot {@code s}: no argument copying); the result goes to
 *       {@code d} ({@code -1}: none). {@code RET s}, {@code RET_VOID}.
 *   <li>Built-ins: {@code PRINT_I PRINT_F PRINT_B PRINT_S} (each followed by a space or, with
 *       flag {@code n = 1}, the newline), {@code ASSERT}.
 * </ul>
 *
 * <h2>Control flow and polls</h2>
 *
 * <p>Loops are laid out with the test at the bottom: one fused branch per iteration. A branch to
 * an offset at or before itself is a back edge; executors poll the time limit
 * ({@link dev.kiln.vm.Deadline}) at back edges and at calls, which bounds the time between polls.
 * (An executor may poll a loop's back edge less often if it still bounds that time: the JIT polls
 * a counted loop once per strip of at most 1024 iterations.) A {@code time limit exceeded} error
 * is reported at {@link dev.kiln.bytecode.Program#positionAt} of the polling instruction (the
 * loop's condition, or the call).
 *
 * <h2>Errors and limits</h2>
 *
 * <p>Every instruction that can fail has a {@code p} operand and raises
 * {@link dev.kiln.vm.KilnRuntimeError} with it; the command line formats it as
 * {@code FILE:LINE:COL: runtime error: MESSAGE}. {@code CALL} fails with {@code stack overflow}
 * when the call would take the levels of the active frames past {@link
 * dev.kiln.vm.Limits#MAX_CALL_DEPTH} (a frame takes one level per 32 slots of its frame size, at
 * least one: see {@link dev.kiln.vm.Limits}).
 */
package dev.kiln.bytecode;
