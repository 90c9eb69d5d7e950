package dev.kiln.vm;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * Raw native memory for the {@link Heap}: malloc/realloc/free and 64-bit loads and stores at
 * absolute addresses, through {@code sun.misc.Unsafe} (module jdk.unsupported, usable without
 * flags). Native memory rather than a direct ByteBuffer because it can grow in place: glibc's
 * realloc of a large block is an {@code mremap}, which neither copies nor touches the pages,
 * whereas a bigger direct buffer must be zero-filled and copied into (a third of the sieve
 * benchmark's time). It is also what compiled code addresses: base + offset.
 *
 * <p>Nothing here checks bounds; {@link Heap} checks every access before it gets here.
 */
final class NativeMemory {
  private static final Unsafe UNSAFE = unsafe();

  private NativeMemory() {}

  private static Unsafe unsafe() {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A block of {@code bytes} bytes (contents undefined); throws OutOfMemoryError if refused. */
  static long allocate(long bytes) {
    return UNSAFE.allocateMemory(bytes);
  }

  /** The block at {@code address} resized to {@code bytes}, contents kept, maybe moved. */
  static long reallocate(long address, long bytes) {
    return UNSAFE.reallocateMemory(address, bytes);
  }

  static void free(long address) {
    UNSAFE.freeMemory(address);
  }

  static void zero(long address, long bytes) {
    UNSAFE.setMemory(address, bytes, (byte) 0);
  }

  static long getLong(long address) {
    return UNSAFE.getLong(address);
  }

  static void putLong(long address, long value) {
    UNSAFE.putLong(address, value);
  }
}
