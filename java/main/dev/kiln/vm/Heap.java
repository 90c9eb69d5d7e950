package dev.kiln.vm;

import dev.kiln.runtime.NativeMemory;
import dev.kiln.runtime.NativeMemoryException;
import dev.kiln.runtime.UnsupportedPlatformException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * All arrays of one run, in one contiguous region addressed by byte offsets (an array reference
 * is the offset of its header). Layout of an array: an 8-byte length, then {@code length} 8-byte
 * elements (ints as longs, floats as raw double bits), in the machine's byte order, so compiled
 * code can address element {@code i} as {@code base + ref + 8 + 8*i}.
 *
 * <p>The region is the runtime's {@link NativeMemory}, mapped once at the full size of the cap:
 * the OS hands out zeroed pages only when they are first touched, so a large cap costs nothing
 * up front, fresh arrays need no zero-filling, and {@link #baseAddress()} never changes — compiled
 * code can keep it in a register across allocations. Java reads the same memory through a
 * {@link LongBuffer} view. Where the runtime has no native library (or the OS refuses the
 * mapping), the heap falls back to a direct buffer that grows by copying; the interpreter works
 * the same, only {@link #baseAddress()} is unavailable.
 *
 * <p>Allocation bumps a pointer; there is no garbage collector in v1. Kiln has no global
 * variables and no arrays of arrays, so an array can outlive the call that made it only as that
 * call's result: the front end brackets a function that allocates but does not return an array
 * with {@link #mark} and {@link #release}, and the memory of the arrays made during the call is
 * reused by later allocations (zero-filled again then), like a stack. Only the placement is
 * reused: the memory cap ({@code --max-memory}) counts the bytes of every array ever allocated,
 * headers included, so exceeding it is {@code out of memory} exactly as without reuse. Java
 * buffers are indexed by int, so the cap is at most {@link #MAX_BYTES} (just under 2 GiB)
 * whatever larger value is asked for.
 */
public final class Heap implements AutoCloseable {
  public static final int HEADER_BYTES = 8;
  public static final int ELEMENT_BYTES = 8;

  /** The largest cap: the biggest whole number of 64 KiB blocks a buffer can index. */
  public static final long MAX_BYTES = Integer.MAX_VALUE & ~0xFFFFL;

  private static final int INITIAL_FALLBACK_BYTES = 1 << 16;
  /** Zeros copied over reused memory (a bulk copy: Java 17 buffers have no fill). */
  private static final long[] ZEROS = new long[1024];

  private final long capBytes;
  private final NativeMemory region;
  /** Why the arrays are not in native memory (the runtime's own words), or null if they are. */
  private final String notNativeBecause;
  /** The arrays as 8-byte words (see {@link #words}); replaced when the fallback buffer grows. */
  private LongBuffer words;
  /** Bytes of all arrays ever allocated: what the cap counts. */
  private long used;
  /** Where the next array goes: the end of the live arrays. */
  private long top;
  /** The end of the memory arrays have ever used: below it, reused memory must be zeroed. */
  private long dirty;

  /** A heap whose arrays may use at most {@code capBytes} bytes in total (headers included). */
  public Heap(long capBytes) {
    this(capBytes, true);
  }

  /** As {@link #Heap(long)}; {@code nativeRegion = false} forces the fallback (for tests). */
  Heap(long capBytes, boolean nativeRegion) {
    this.capBytes = Math.max(0, Math.min(capBytes, MAX_BYTES));
    NativeMemory mapped = null;
    String reason = "the native region was switched off";
    if (nativeRegion) {
      try {
        mapped = NativeMemory.allocate(Math.max(this.capBytes, 1));
        reason = null;
      } catch (UnsupportedPlatformException | NativeMemoryException e) {
        reason = e.getMessage();
      }
    }
    this.region = mapped;
    this.notNativeBecause = reason;
    this.words =
        (region != null
                ? region.buffer()
                : ByteBuffer.allocateDirect((int) Math.min(INITIAL_FALLBACK_BYTES, this.capBytes))
                    .order(ByteOrder.nativeOrder()))
            .asLongBuffer();
  }

  /** A fresh zero-filled array of {@code length} elements; {@code position} names the {@code new}. */
  public long allocate(long length, int position) {
    if (length < 0) {
      throw new KilnRuntimeError(RuntimeErrorKind.NEGATIVE_ARRAY_SIZE, length, 0, position);
    }
    if (length > (capBytes - used - HEADER_BYTES) / ELEMENT_BYTES) {
      throw new KilnRuntimeError(RuntimeErrorKind.OUT_OF_MEMORY, position);
    }
    long ref = top;
    long bytes = HEADER_BYTES + ELEMENT_BYTES * length;
    long end = ref + bytes;
    if (end > (long) words.capacity() * ELEMENT_BYTES) {
      grow(end, position);
    }
    zero(headerWord(ref) + 1, headerWord(Math.min(end, dirty)));
    words.put(headerWord(ref), length);
    used += bytes;
    top = end;
    dirty = Math.max(dirty, end);
    return ref;
  }

  /** Zero-fills words {@code from} (inclusive) to {@code to} (exclusive), if any. */
  private void zero(int from, int to) {
    for (int i = from; i < to; i += ZEROS.length) {
      words.put(i, ZEROS, 0, Math.min(ZEROS.length, to - i));
    }
  }

  /** The allocation mark: the arrays allocated from now on are the ones {@link #release} frees. */
  public long mark() {
    return top;
  }

  /**
   * Frees the arrays allocated since {@code mark} was taken, for reuse: the caller guarantees that
   * none of them is reachable any more (see the class comment).
   */
  public void release(long mark) {
    top = mark;
  }

  /** The end of the memory arrays have ever used: memory from there up is still zero. */
  public long dirty() {
    return dirty;
  }

  /** The bytes arrays may still take before the cap. */
  public long budget() {
    return capBytes - used;
  }

  /**
   * Takes over the state left by another allocator of this heap's memory (compiled code, which
   * bump-allocates small arrays itself): the mark, {@link #dirty} and {@link #budget} it reached.
   */
  public void adopt(long mark, long dirty, long budget) {
    this.top = mark;
    this.dirty = dirty;
    this.used = capBytes - budget;
  }

  public long length(long ref) {
    return words.get(headerWord(ref));
  }

  /** Element {@code index} of array {@code ref}, bounds-checked. */
  public long load(long ref, long index, int position) {
    return words.get(elementWord(words, headerWord(ref), index, position));
  }

  /** Sets element {@code index} of array {@code ref}, bounds-checked. */
  public void store(long ref, long index, long value, int position) {
    words.put(elementWord(words, headerWord(ref), index, position), value);
  }

  /**
   * The index in {@code words} ({@link #words()}) of element {@code index} of the array whose
   * header is word {@code header}, after the bounds check (a negative index is a huge unsigned
   * one). Its bytecode is kept within HotSpot's 35-byte limit for inlining at any call site (the
   * error is built in {@link #outOfBounds}), so an array access in the interpreter's dispatch
   * loop, which calls it directly, is never a call.
   */
  public static int elementWord(LongBuffer words, int header, long index, int position) {
    long length = words.get(header);
    if (Long.compareUnsigned(index, length) >= 0) {
      throw outOfBounds(index, length, position);
    }
    return header + 1 + (int) index; // index < length < 2^28: no overflow
  }

  private static KilnRuntimeError outOfBounds(long index, long length, int position) {
    return new KilnRuntimeError(RuntimeErrorKind.INDEX_OUT_OF_BOUNDS, index, length, position);
  }

  /**
   * The arrays as 8-byte words, for a caller that addresses them itself (the interpreter, whose
   * dispatch loop must not depend on HotSpot choosing to inline {@link #load} and {@link #store}):
   * word {@link #headerWord headerWord(ref)} is the length of array {@code ref}, the next
   * {@code length} words its elements. The view is valid until the next {@link #allocate}.
   */
  public LongBuffer words() {
    return words;
  }

  /**
   * The arrays' native region as bytes in the machine's order, for code that addresses the heap
   * as one linear memory (offset = array reference); it never moves, as {@link #baseAddress()}.
   *
   * @throws IllegalStateException if the heap fell back to a Java buffer ({@link #isNative()})
   */
  public ByteBuffer bytes() {
    return nativeRegion().buffer().order(ByteOrder.nativeOrder());
  }

  /** The index in {@link #words()} of array {@code ref}'s header word (its length). */
  public static int headerWord(long ref) {
    return (int) (ref >>> 3); // ref is a multiple of 8 below MAX_BYTES
  }

  /** Bytes of arrays allocated so far (headers included): what the memory cap counts. */
  public long usedBytes() {
    return used;
  }

  /** Whether the arrays live in native memory that compiled code can address. */
  public boolean isNative() {
    return region != null;
  }

  /** Why the heap fell back to a Java buffer, or null if it is native ({@link #isNative()}). */
  public String notNativeBecause() {
    return notNativeBecause;
  }

  /**
   * The address of offset 0, for compiled code that addresses arrays directly; it never changes.
   *
   * @throws IllegalStateException if the heap fell back to a Java buffer ({@link #isNative()})
   */
  public long baseAddress() {
    return nativeRegion().address();
  }

  private NativeMemory nativeRegion() {
    if (region == null) {
      throw new IllegalStateException("this heap is not in native memory: the runtime's native library is unavailable");
    }
    return region;
  }

  /** Releases the memory; the heap must not be used afterwards. */
  @Override
  public void close() {
    if (region != null) {
      region.close();
    }
    words = null;
  }

  /** Only the fallback buffer grows (the native region is mapped at the full cap). */
  private void grow(long needed, int position) {
    long size = Math.min(Math.max(needed, 2L * words.capacity() * ELEMENT_BYTES), capBytes);
    try {
      LongBuffer bigger =
          ByteBuffer.allocateDirect((int) size).order(ByteOrder.nativeOrder()).asLongBuffer();
      bigger.put(0, words, 0, headerWord(top));
      words = bigger;
      dirty = top; // the rest of the new buffer is zero
    } catch (OutOfMemoryError e) {
      // The JVM cannot back the buffer: the program asked for more than this machine gives.
      throw new KilnRuntimeError(RuntimeErrorKind.OUT_OF_MEMORY, position);
    }
  }
}
