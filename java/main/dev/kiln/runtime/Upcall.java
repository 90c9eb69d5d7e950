package dev.kiln.runtime;

/**
 * A Java handler that generated code calls through the {@link HostFunction#UPCALL} helper during
 * {@link InstalledCode#invokeWithUpcall}. The helper's C signature is {@code int64_t
 * kiln_upcall(int64_t a, int64_t b, int64_t c)} in the code's convention.
 *
 * <p>If the handler throws, the helper returns {@link #FAILED} to the generated code, which must
 * then return to its caller promptly without calling further helpers' upcalls (they would return
 * {@code FAILED} at once); the invoke rethrows the handler's exception in Java. A handler must not
 * return {@code FAILED} itself: that is reported as an {@link IllegalStateException}.
 */
@FunctionalInterface
public interface Upcall {
  /** What the upcall helper returns to generated code when the handler failed. */
  long FAILED = Long.MIN_VALUE;

  long upcall(long a, long b, long c);
}
