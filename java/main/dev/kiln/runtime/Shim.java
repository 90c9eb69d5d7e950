package dev.kiln.runtime;

import java.nio.ByteBuffer;

/**
 * The JNI entry points of the native shim ({@code native/src/kiln_jni.c}). Package-private on
 * purpose: the public classes of this package own every mapping and check each address and size
 * against what they mapped before calling in, so no caller can hand the shim a stray pointer.
 *
 * <p>Convention arguments ({@code abi}) are {@link CallingConvention#id()} values.
 */
final class Shim {
  // Public entry points call NativeLibrary.ensureLoaded() before touching this class, so an
  // unsupported platform surfaces as UnsupportedPlatformException, not as an initializer error.
  static {
    NativeLibrary.ensureLoaded();
  }

  private Shim() {}

  static native int pageSize();

  /** Bit set of the conventions the loaded library can call: bit {@code id} per convention. */
  static native int supportedConventions();

  static native long mapReadWrite(long size);

  /** Maps size bytes twice; writes the read-write view's address, then the read-execute one's. */
  static native void mapDual(long size, long[] views);

  static native void unmapView(long address, long size);

  static native void protectExecute(long address, long size);

  static native void protectWrite(long address, long size);

  static native void flushInstructionCache(long address, long size);

  static native void discard(long address, long size);

  static native void unmap(long address, long size);

  static native void copyIn(byte[] source, int offset, int length, long destination);

  static native ByteBuffer wrap(long address, long size);

  /** {@code kiln_lookup_symbol}: a C function's address, or 0 if not found. */
  static native long lookupSymbol(String library, String symbol);

  /** The address of a direct buffer's first byte, or 0 if JNI cannot address it. */
  static native long bufferAddress(ByteBuffer buffer);

  /** The address of {@link HostFunction} number {@code id} in convention {@code abi}, or 0. */
  static native long helperAddress(int id, int abi);

  /** A plain JNI static native of the same shape as {@link #call2}: the benchmark's yardstick. */
  static native long baseline(long a, long b);

  // The calls, in convention abi. Double-returning shapes: (long x6) -> double, where a callee
  // taking fewer arguments ignores the rest (safe in both conventions: the caller owns and
  // cleans the argument area), and (double, double) -> double.

  static native long call0(int abi, long function);

  static native long call1(int abi, long function, long a);

  static native long call2(int abi, long function, long a, long b);

  static native long call3(int abi, long function, long a, long b, long c);

  static native long call4(int abi, long function, long a, long b, long c, long d);

  static native long call5(int abi, long function, long a, long b, long c, long d, long e);

  static native long call6(int abi, long function, long a, long b, long c, long d, long e, long f);

  static native double callDouble(
      int abi, long function, long a, long b, long c, long d, long e, long f);

  static native double callDoubles(int abi, long function, double a, double b);

  /** Like {@link #call6}, with {@code handler} serving the upcall helper meanwhile. */
  static native long callWithUpcall(
      int abi, long function, Upcall handler, long a, long b, long c, long d, long e, long f);
}
