package dev.kiln.vm;

/**
 * All arrays of one run, in one contiguous block of native memory addressed by byte offsets (an
 * array reference is the offset of its header). Layout of an array: an 8-byte length, then
 * {@code length} 8-byte elements (ints as longs, floats as raw double bits), in the machine's
 * byte order, so compiled code can address element {@code i} as {@code base + ref + 8 + 8*i}
 * ({@link #baseAddress}; it changes when the heap grows, that is only inside {@link #allocate}).
 *
 * <p>Allocation bumps a pointer and zero-fills the new array; there is no garbage collector in
 * v1, and nothing is freed before {@link #close} at the end of the run. The block grows by
 * doubling with realloc, which keeps offsets valid. The memory cap ({@code --max-memory}) counts
 * the bytes of all arrays, headers included; exceeding it is {@code out of memory}, as is a
 * request the host cannot back. References and lengths are longs, so caps above 2 GiB work.
 */
public final class Heap implements AutoCloseable {
  public static final int HEADER_BYTES = 8;
  public static final int ELEMENT_BYTES = 8;
  private static final long INITIAL_BYTES = 1 << 16;

  private final long capBytes;
  private long base;
  private long capacity;
  private long used;

  /** A heap whose arrays may use at most {@code capBytes} bytes in total (headers included). */
  public Heap(long capBytes) {
    this.capBytes = capBytes;
    this.capacity = INITIAL_BYTES;
    this.base = NativeMemory.allocate(capacity);
  }

  /** A fresh zero-filled array of {@code length} elements; {@code position} names the {@code new}. */
  public long allocate(long length, int position) {
    if (length < 0) {
      throw new KilnRuntimeError(RuntimeErrorKind.NEGATIVE_ARRAY_SIZE, length, 0, position);
    }
    if (length > (capBytes - used - HEADER_BYTES) / ELEMENT_BYTES) {
      throw new KilnRuntimeError(RuntimeErrorKind.OUT_OF_MEMORY, position);
    }
    long bytes = HEADER_BYTES + ELEMENT_BYTES * length;
    long ref = used;
    if (ref + bytes > capacity) {
      grow(ref + bytes, position);
    }
    NativeMemory.putLong(base + ref, length);
    NativeMemory.zero(base + ref + HEADER_BYTES, bytes - HEADER_BYTES);
    used = ref + bytes;
    return ref;
  }

  public long length(long ref) {
    return NativeMemory.getLong(base + ref);
  }

  /** Element {@code index} of array {@code ref}, bounds-checked. */
  public long load(long ref, long index, int position) {
    return NativeMemory.getLong(element(ref, index, position));
  }

  /** Sets element {@code index} of array {@code ref}, bounds-checked. */
  public void store(long ref, long index, long value, int position) {
    NativeMemory.putLong(element(ref, index, position), value);
  }

  /**
   * The address of element {@code index} of array {@code ref}, after the bounds check. Kept (like
   * load and store) under HotSpot's 35-byte inlining limit for cold call sites, so the
   * interpreter's loop inlines array accesses even when it is compiled before they first run.
   */
  private long element(long ref, long index, int position) {
    if (Long.compareUnsigned(index, length(ref)) >= 0) {
      throw outOfBounds(ref, index, position);
    }
    return base + ref + (index + 1 << 3); // + HEADER_BYTES + ELEMENT_BYTES * index, both 8
  }

  /** Bytes of arrays allocated so far (headers included): what the memory cap counts. */
  public long usedBytes() {
    return used;
  }

  /** The current address of offset 0, for an executor that addresses arrays directly. */
  public long baseAddress() {
    return base;
  }

  /** Frees the memory; the heap must not be used afterwards. */
  @Override
  public void close() {
    if (base != 0) {
      NativeMemory.free(base);
      base = 0;
    }
  }

  private KilnRuntimeError outOfBounds(long ref, long index, int position) {
    return new KilnRuntimeError(RuntimeErrorKind.INDEX_OUT_OF_BOUNDS, index, length(ref), position);
  }

  private void grow(long needed, int position) {
    long size = Math.max(needed, Math.min(2 * capacity, capBytes));
    try {
      base = NativeMemory.reallocate(base, size);
    } catch (OutOfMemoryError e) {
      // The host cannot back the region: the program asked for more than this machine gives.
      throw new KilnRuntimeError(RuntimeErrorKind.OUT_OF_MEMORY, position);
    }
    capacity = size;
  }
}
