package dev.kiln.jit;

/**
 * The context block shared by compiled code and Java: one small native region whose address
 * lives in {@code r13} while Kiln code runs. Offsets are in bytes.
 */
final class JitContext {
  /** Nonzero once the time limit has passed: polled at back edges and recursive functions' entries. */
  static final int POLL = 0;
  /** rsp at the entry stub, restored to unwind from any depth when an error stub fires. */
  static final int ENTRY_RSP = 8;
  /** Bytes of native stack the run may use below the entry (written by Java). */
  static final int STACK_BUDGET = 16;
  /** The lowest rsp at which a call may still be made (computed at entry). */
  static final int STACK_GUARD = 24;
  /** The failing {@code RuntimeErrorKind} ordinal, its position index and its numbers. */
  static final int ERROR_KIND = 32;
  static final int ERROR_POSITION = 40;
  static final int ERROR_A = 48;
  static final int ERROR_B = 56;
  /** The heap's base address (fixed for the run: the heap is mapped at its cap). */
  static final int HEAP_BASE = 64;
  /**
   * The heap's allocation state while compiled code runs, which the {@code Heap} takes over at
   * each {@code new} upcall and hands back after it: its top ({@code HEAP_MARK} reads it and
   * {@code HEAP_FREE} writes it, in place, with no upcall: a function that allocates takes both at
   * every call), the end of the memory arrays have ever used, and the bytes left under the cap.
   * Compiled code bump-allocates small arrays itself with these.
   */
  static final int HEAP_TOP = 72;
  static final int HEAP_DIRTY = 80;
  static final int HEAP_BUDGET = 88;
  /** The strip limit of the strip-mined loop running (see {@link CountedLoopEmitter}). */
  static final int STRIP_LIMIT = 96;
  /**
   * Prints waiting for Java: the bytes of records in use, then the records, each two longs: what
   * to print ({@code PRINT_*}, with {@link #LAST_ARGUMENT} for a line's last) and the value (an
   * int, a float's bits, a bool, or a string's index). Compiled code appends a record per print
   * argument and makes the {@link #UPCALL_PRINTS} upcall only when the buffer is full; Java
   * formats what is left when the run ends, however it ends, before any error is reported.
   */
  static final int PRINT_BYTES = 104;
  static final int PRINT_RECORDS = 112;
  static final int PRINT_RECORD_BYTES = 16;
  static final int PRINT_CAPACITY = 512;
  static final int SIZE = PRINT_RECORDS + PRINT_RECORD_BYTES * PRINT_CAPACITY;

  /** Results of the entry stub. */
  static final long OK = 0;
  static final long ERROR = 1;
  static final long UPCALL_FAILED = 2;

  /** What a print record prints (low byte); bit 8 marks the last argument of a print. */
  static final int PRINT_INT = 1;
  static final int PRINT_FLOAT = 2;
  static final int PRINT_BOOL = 3;
  static final int PRINT_STRING = 4;
  static final int LAST_ARGUMENT = 1 << 8;

  /** Upcall selectors (the upcall's first argument). */
  static final int UPCALL_NEW_ARRAY = 5;
  /** The print records are full: format them ({@link #PRINT_RECORDS}). */
  static final int UPCALL_PRINTS = 6;

  private JitContext() {}
}
