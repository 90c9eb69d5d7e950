/**
 * Register allocation: live intervals from block liveness, then linear scan over the GPRs and XMM
 * registers of the internal convention ({@link dev.kiln.backend.regalloc.Registers}), with
 * spilling to frame slots.
 */
package dev.kiln.backend.regalloc;
