/**
 * IR-to-IR optimization passes over a {@link dev.kiln.ir.Module#copy()}: each a {@link
 * dev.kiln.backend.opt.Pass} with one concern; {@code dev.kiln.backend.Pipeline} lists them in the
 * order they run. Every pass keeps the IR's exact semantics: an instruction that may trap or has
 * a side effect stays where it is, and float values keep their bits.
 */
package dev.kiln.backend.opt;
