/**
 * Instruction selection: the IR of one function in layout order, over virtual registers (one per
 * SSA value), with immediates folded and compares fused into branches
 * ({@link dev.kiln.backend.lower.MachineFunction}).
 */
package dev.kiln.backend.lower;
