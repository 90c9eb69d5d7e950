package dev.kiln.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Read-write native data memory that is never made executable: for the data generated code works on
 * (a heap, a context block). It has a stable address for generated code and a {@link ByteBuffer}
 * view (native byte order) for Java.
 *
 * <p>Safety: the pages stay mapped for as long as any buffer view is reachable, so neither Java nor
 * late generated code can touch unmapped memory. {@link #close()} drops the contents and their
 * physical memory at once (the pages then read as zero on Linux) and invalidates {@link #address()}
 * and {@link #buffer()}; a {@link java.lang.ref.Cleaner} unmaps the address range when the last
 * view is gone.
 */
public final class NativeMemory implements AutoCloseable {
  private final long address;
  private final long size;
  private ByteBuffer root;

  private NativeMemory(long address, long size, ByteBuffer root) {
    this.address = address;
    this.size = size;
    this.root = root;
  }

  /**
   * Maps zeroed read-write memory.
   *
   * @param bytes the least size, rounded up to whole pages; at most 2 GiB minus a page
   * @return the memory
   * @throws IllegalArgumentException if {@code bytes} is not positive or too large
   * @throws NativeMemoryException if the OS refuses the mapping
   */
  public static NativeMemory allocate(long bytes) {
    NativeLibrary.ensureLoaded();
    long pageSize = Shim.pageSize();
    if (bytes <= 0 || bytes > Integer.MAX_VALUE - pageSize) {
      throw new IllegalArgumentException(
          "native memory size must be between 1 and "
              + (Integer.MAX_VALUE - pageSize)
              + " bytes, got "
              + bytes);
    }
    long size = (bytes + pageSize - 1) / pageSize * pageSize;
    long address = Shim.mapReadWrite(size);
    ByteBuffer root = Shim.wrap(address, size);
    Cleaners.CLEANER.register(root, new Unmap(address, size));
    return new NativeMemory(address, size, root);
  }

  /**
   * The address of a direct buffer's first byte (its index 0, whatever its position), for
   * generated code that shares the buffer with Java. The address is valid while the buffer is
   * reachable: keep it reachable as long as code may use the address.
   *
   * @param buffer a direct buffer
   * @return the address of its index 0
   * @throws IllegalArgumentException if the buffer is not direct or has no address
   */
  public static long addressOf(ByteBuffer buffer) {
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException("only a direct buffer has an address");
    }
    NativeLibrary.ensureLoaded();
    long address = Shim.bufferAddress(buffer);
    if (address == 0) {
      throw new IllegalArgumentException("the buffer's address is not available to native code");
    }
    return address;
  }

  /**
   * The memory's address, for generated code. The pages stay mapped while this object or a
   * {@link #buffer()} view is reachable; keep one of them reachable as long as code may use the
   * address.
   *
   * @return the address of the first byte
   * @throws IllegalStateException if the memory is closed
   */
  public synchronized long address() {
    ensureOpen();
    return address;
  }

  /** {@return the mapped size in bytes, a whole number of pages} */
  public long size() {
    return size;
  }

  /**
   * A fresh view of the whole region for Java.
   *
   * @return a buffer with position 0, limit {@link #size()} and native byte order
   * @throws IllegalStateException if the memory is closed
   */
  public synchronized ByteBuffer buffer() {
    ensureOpen();
    return root.duplicate().order(ByteOrder.nativeOrder());
  }

  /** {@return whether the memory is still open} */
  public synchronized boolean isOpen() {
    return root != null;
  }

  private void ensureOpen() {
    if (root == null) {
      throw new IllegalStateException(
          "native memory at 0x" + Long.toHexString(address) + " is closed");
    }
  }

  /**
   * Drops the contents and their physical memory and invalidates {@link #address()} and {@link
   * #buffer()}; the address range stays reserved until the last view is collected. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (root != null) {
      Shim.discard(address, size);
      root = null;
    }
  }

  /**
   * The cleaner's action: unmaps the range. A class, not a lambda: a run of {@code kiln run}
   * links no lambda, whose first one would cost the JVM's lambda machinery's start-up.
   */
  private static final class Unmap implements Runnable {
    private final long address;
    private final long size;

    Unmap(long address, long size) {
      this.address = address;
      this.size = size;
    }

    @Override
    public void run() {
      Shim.unmap(address, size);
    }
  }
}
