package dev.kiln.runtime;

/**
 * A Java handler that generated code calls through the {@link HostFunction#UPCALL} helper during
 * {@link InstalledCode#invokeWithUpcall}. The helper's C signature is {@code int64_t
 * kiln_upcall(int64_t a, int64_t b, int64_t c)} in the code's convention.
 *
 * <p>When an upcall fails, the helper returns {@link #FAILED} to the generated code, which must
 * then return to its caller promptly (further upcalls of the same invoke return {@code FAILED} at
 * once), and the invoke throws once the code has returned:
 *
 * <ul>
 *   <li>the handler threw: the invoke rethrows that exception;
 *   <li>rsp was not 16-byte aligned at the call, as both conventions require: {@link
 *       IllegalStateException} ({@code upcall from a misaligned stack (rsp % 16 == 8 at the
 *       call)}), and the handler is not called;
 *   <li>the code was run by a plain invoke, with no handler: {@link IllegalStateException}
 *       (from a misaligned stack too, except in a shim built with MSVC, which cannot realign the
 *       helper's stack);
 *   <li>the handler returned {@code FAILED} itself: {@link IllegalStateException}.
 * </ul>
 *
 * <p>Handlers nest per thread: code that a handler runs through {@code invokeWithUpcall} is served
 * by that call's handler, and code it runs through a plain invoke by the innermost handler still
 * active.
 */
@FunctionalInterface
public interface Upcall {
  /** What the upcall helper returns to generated code when the handler failed. */
  long FAILED = Long.MIN_VALUE;

  /**
   * Serves one upcall.
   *
   * @param a the helper's first argument
   * @param b the helper's second argument
   * @param c the helper's third argument
   * @return the helper's result to generated code; never {@link #FAILED}
   */
  long upcall(long a, long b, long c);
}
