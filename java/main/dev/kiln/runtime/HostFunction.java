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
  /**
   * {@code int64_t kiln_upcall(int64_t a, int64_t b, int64_t c)}: calls the {@link Upcall} handler
   * of the running {@link InstalledCode#invokeWithUpcall}, with rsp 16-byte aligned at the call.
   */
  UPCALL;

  /**
   * The function's entry address in the host convention, valid for the life of the process.
   *
   * @return the address
   * @throws UnsupportedPlatformException if the native runtime cannot be loaded here
   */
  public long address() {
    return address(CallingConvention.host());
  }

  /**
   * The function's entry address in the given convention, valid for the life of the process.
   *
   * @param convention the convention of the code that calls it
   * @return the address
   * @throws UnsupportedOperationException if this build has no such entry (on Windows, System V)
   * @throws UnsupportedPlatformException if the native runtime cannot be loaded here
   */
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
