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
  static {
    NativeLibrary.ensureLoaded();
  }

  private Shim() {}

  static native int pageSize();

  /** Bit set of the conventions the loaded library can call: bit {@code id} per convention. */
  static native int supportedConventions();

  static native long mapReadWrite(long size);

  static native void protectExecute(long address, long size);

  static native void protectWrite(long address, long size);

  static native void flushInstructionCache(long address, long size);

  static native void discard(long address, long size);

  static native void unmap(long address, long size);

  static native void copyIn(byte[] source, int offset, int length, long destination);

  static native ByteBuffer wrap(long address, long size);

  /** The address of {@link HostFunction} number {@code id} in convention {@code abi}, or 0. */
  static native long helperAddress(int id, int abi);

  /** A plain JNI static native of the same shape as {@link #sysvCall2}: the benchmark's yardstick. */
  static native long baseline(long a, long b);

  // The calls, one set per convention (the C side must not branch between conventions, see
  // native/include/kiln_call.h). Double-returning shapes: (long x6) -> double, where a callee
  // taking fewer arguments ignores the rest, and (double, double) -> double.

  static native long sysvCall0(long function);

  static native long sysvCall1(long function, long a);

  static native long sysvCall2(long function, long a, long b);

  static native long sysvCall3(long function, long a, long b, long c);

  static native long sysvCall4(long function, long a, long b, long c, long d);

  static native long sysvCall5(long function, long a, long b, long c, long d, long e);

  static native long sysvCall6(long function, long a, long b, long c, long d, long e, long f);

  static native double sysvCallDouble(
      long function, long a, long b, long c, long d, long e, long f);

  static native double sysvCallDoubles(long function, double a, double b);

  static native long sysvCallWithUpcall(
      long function, Upcall handler, long a, long b, long c, long d, long e, long f);

  static native long win64Call0(long function);

  static native long win64Call1(long function, long a);

  static native long win64Call2(long function, long a, long b);

  static native long win64Call3(long function, long a, long b, long c);

  static native long win64Call4(long function, long a, long b, long c, long d);

  static native long win64Call5(long function, long a, long b, long c, long d, long e);

  static native long win64Call6(long function, long a, long b, long c, long d, long e, long f);

  static native double win64CallDouble(
      long function, long a, long b, long c, long d, long e, long f);

  static native double win64CallDoubles(long function, double a, double b);

  static native long win64CallWithUpcall(
      long function, Upcall handler, long a, long b, long c, long d, long e, long f);
}
