package dev.kiln.ir;

/**
 * The Java code behind an imported function. Arguments arrive in order as longs: an i64 as is, an
 * f64 as its raw bits ({@link Double#longBitsToDouble}); an f64 result is returned as
 * {@link Double#doubleToRawLongBits}, and the result of a function without one is ignored. An
 * exception thrown here propagates out of the IR call unchanged, after the IR's earlier side
 * effects.
 */
@FunctionalInterface
public interface JavaCallback {
  /**
   * Runs the import.
   *
   * @param args the arguments, a fresh array the callback may keep
   * @return the result (raw bits for f64), or anything for a function without a result
   */
  long call(long[] args);
}
