/**
 * Register allocation: live intervals with holes from block liveness, then linear scan over the
 * GPRs and XMM registers of the internal convention ({@link dev.kiln.backend.regalloc.Registers}),
 * splitting intervals around calls and pressure points and spilling the pieces to frame slots.
 */
package dev.kiln.backend.regalloc;
