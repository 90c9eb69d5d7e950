package dev.kiln.runtime;

/**
 * C functions of the shim that generated code may call, each in the platform's C convention (and,
 * on Linux, also in the Windows one, for code generated for Windows but tested here).
 */
public enum HostFunction {
  /** {@code int64_t kiln_helper_add(int64_t a, int64_t b)}: returns a + b (wrapping). */
  ADD,
  /**
   * {@code int64_t kiln_helper_stack_misalignment(void)}: rsp before the caller's call instruction,
   * mod 16; 0 when the caller kept the ABI's 16-byte alignment.
   */
  STACK_MISALIGNMENT,
  /** {@code int64_t kiln_upcall(int64_t a, int64_t b, int64_t c)}: see {@link Upcall}. */
  UPCALL;

  /** The function's entry address in the host convention. */
  public long address() {
    return address(CallingConvention.host());
  }

  /** The function's entry address in the given convention. */
  public long address(CallingConvention convention) {
    NativeLibrary.ensureLoaded();
    long address = Shim.helperAddress(ordinal(), convention.id());
    if (address == 0) {
      throw new UnsupportedOperationException(
          "host function "
              + this
              + " is not available in the "
              + convention
              + " convention on "
              + Platform.host());
    }
    return address;
  }
}
