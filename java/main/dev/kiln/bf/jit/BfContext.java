package dev.kiln.bf.jit;

/**
 * Layout of the context block that generated code and {@link BfJit} share (native memory, never
 * executable). Offsets in bytes.
 */
final class BfContext {
  private BfContext() {}

  /** Non-zero once the time limit has passed; polled at every loop back edge. */
  static final int POLL = 0;
  /** Number of bytes waiting in the output buffer. */
  static final int OUT_COUNT = 8;
  /** The cell index of a failed access, written by the out-of-range stub. */
  static final int FAULT_CELL = 16;
  /** The output buffer: generated code appends, Java drains it through an upcall when full. */
  static final int OUT_BUFFER = 64;
  static final int OUT_CAPACITY = 4096;
  static final int SIZE = OUT_BUFFER + OUT_CAPACITY;

  /** Upcall selectors (first upcall argument). */
  static final int UPCALL_FLUSH = 1;
  static final int UPCALL_READ = 2;

  /** Status kinds: the low byte of the returned status; the instruction index is above it. */
  static final int OK = 0;
  static final int CELL_OUT_OF_RANGE = 1;
  static final int TIME_LIMIT = 2;
  static final int UPCALL_FAILED = 3;
}
