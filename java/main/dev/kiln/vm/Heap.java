package dev.kiln.vm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * All arrays of one run, in one contiguous region addressed by byte offsets (an array reference
 * is the offset of its header). Layout of an array: an 8-byte length, then {@code length} 8-byte
 * elements (ints as longs, floats as raw double bits), little-endian as x86 reads them, so
 * compiled code can address element {@code i} as {@code base + ref + 8 + 8*i}.
 *
 * <p>Allocation bumps a pointer; there is no garbage collector in v1, and nothing is ever freed,
 * so fresh memory is always still zero. The region is a direct buffer that grows by copying
 * (offsets stay valid); being one buffer it is limited to 2 GiB, so the effective memory cap is
 * {@code min(--max-memory, 2 GiB - 8)}: a larger request is {@code out of memory}.
 */
public final class Heap {
  public static final int HEADER_BYTES = 8;
  public static final int ELEMENT_BYTES = 8;
  private static final long REGION_LIMIT = Integer.MAX_VALUE & ~7L;
  private static final int INITIAL_BYTES = 1 << 16;

  private final long capBytes;
  private ByteBuffer memory;
  private long used;

  /** A heap whose arrays may use at most {@code capBytes} bytes in total (headers included). */
  public Heap(long capBytes) {
    this.capBytes = Math.min(capBytes, REGION_LIMIT);
    this.memory = newRegion(Math.min(INITIAL_BYTES, this.capBytes), 0);
  }

  /** A fresh zero-filled array of {@code length} elements; {@code position} names the {@code new}. */
  public long allocate(long length, int position) {
    if (length < 0) {
      throw new KilnRuntimeError(RuntimeErrorKind.NEGATIVE_ARRAY_SIZE, length, 0, position);
    }
    long bytes = HEADER_BYTES + ELEMENT_BYTES * Math.min(length, capBytes);
    if (bytes > capBytes - used) {
      throw new KilnRuntimeError(RuntimeErrorKind.OUT_OF_MEMORY, position);
    }
    long ref = used;
    long needed = used + bytes;
    if (needed > memory.capacity()) {
      grow(needed, position);
    }
    memory.putLong((int) ref, length);
    used = needed;
    return ref;
  }

  public long length(long ref) {
    return memory.getLong((int) ref);
  }

  /** Element {@code index} of array {@code ref}, bounds-checked. */
  public long load(long ref, long index, int position) {
    return memory.getLong(element(ref, index, position));
  }

  /** Sets element {@code index} of array {@code ref}, bounds-checked. */
  public void store(long ref, long index, long value, int position) {
    memory.putLong(element(ref, index, position), value);
  }

  /**
   * The byte offset of element {@code index} of array {@code ref}, after the bounds check. Kept
   * (like load and store) under HotSpot's 35-byte inlining limit for cold call sites, so the
   * interpreter's loop inlines array accesses even when it is compiled before they run.
   */
  private int element(long ref, long index, int position) {
    if (Long.compareUnsigned(index, length(ref)) >= 0) {
      throw outOfBounds(ref, index, position);
    }
    return (int) ref + HEADER_BYTES + ((int) index << 3); // ELEMENT_BYTES = 8
  }

  /** Bytes of arrays allocated so far (headers included): what the memory cap counts. */
  public long usedBytes() {
    return used;
  }

  /** The backing region, for an executor that addresses arrays directly. */
  public ByteBuffer memory() {
    return memory;
  }

  private KilnRuntimeError outOfBounds(long ref, long index, int position) {
    return new KilnRuntimeError(RuntimeErrorKind.INDEX_OUT_OF_BOUNDS, index, length(ref), position);
  }

  private void grow(long needed, int position) {
    long size = Math.min(Math.max(needed, 2L * memory.capacity()), capBytes);
    memory = newRegion(size, position);
  }

  private ByteBuffer newRegion(long size, int position) {
    ByteBuffer fresh;
    try {
      fresh = ByteBuffer.allocateDirect((int) size).order(ByteOrder.LITTLE_ENDIAN);
    } catch (OutOfMemoryError e) {
      // The host cannot back the region: the program asked for more than this machine gives.
      throw new KilnRuntimeError(RuntimeErrorKind.OUT_OF_MEMORY, position);
    }
    if (memory != null) {
      fresh.put(memory.duplicate().position(0).limit((int) used));
      fresh.clear();
    }
    return fresh;
  }
}
