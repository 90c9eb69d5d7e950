package dev.kiln.vm;

/**
 * The runtime errors of the language (docs/language.md). The interpreter and the JIT raise the same
 * kinds; the text each produces is formatted by {@link KilnRuntimeError} alone, so both modes print
 * identically.
 */
public enum RuntimeErrorKind {
  DIVISION_BY_ZERO,
  INDEX_OUT_OF_BOUNDS,
  NEGATIVE_ARRAY_SIZE,
  STACK_OVERFLOW,
  ASSERTION_FAILED,
  OUT_OF_MEMORY,
  TIME_LIMIT_EXCEEDED
}
