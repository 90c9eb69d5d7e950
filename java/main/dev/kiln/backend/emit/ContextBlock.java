package dev.kiln.backend.emit;

/**
 * The layout of the context block: one native region per compiled module, addressed by r15
 * while its code runs, shared with Java. Offsets are in bytes; after the fixed fields come the
 * argument area, each memory's base address, the function table of {@code call_indirect} and
 * the addresses of the C imports.
 *
 * @param argumentSlots 8-byte slots of the argument area: the most parameters of a function or
 *     Java import
 * @param memories the number of memories
 * @param functions the number of functions
 * @param imports the number of imports (a C import's slot holds its bound address)
 */
public record ContextBlock(int argumentSlots, int memories, int functions, int imports) {
  /**
   * Nonzero when a poll must trap: the {@code TrapKind} ordinal plus one, written by the Java
   * watchdog (a byte).
   */
  public static final int POLL = 0;
  /** rsp in the entry stub, restored by the unwind code to drop every frame at once. */
  public static final int ENTRY_RSP = 8;
  /** Bytes of native stack the outermost run may use below its entry stub (written by Java). */
  public static final int STACK_BUDGET = 16;
  /**
   * The lowest rsp a prologue accepts; 0 until the outermost entry stub computes it, all ones
   * (no rsp passes) once the watchdog has raised {@link #POLL}.
   */
  public static final int STACK_LIMIT = 24;
  /**
   * Frames that may still be entered: the call-depth limit minus the depth. Compiled code keeps
   * it in a register; this field passes it between Java and the entry stub, and from compiled
   * code to the runs of a Java import's callback.
   */
  public static final int DEPTH_LEFT = 32;
  /** The address of the function the entry stub calls (written by Java). */
  public static final int CALL_TARGET = 40;
  /** The result of a run or of a Java import's callback. */
  public static final int RESULT = 48;
  /** What a trap stub records: the {@code TrapKind} ordinal. */
  public static final int TRAP_KIND = 56;
  /** What a trap stub records: the code of a user trap, else 0. */
  public static final int TRAP_CODE = 64;
  /** What a trap stub records: the trapping instruction's position. */
  public static final int TRAP_POSITION = 72;
  /** What a trap stub records: the index of the function that trapped. */
  public static final int TRAP_FUNCTION = 80;
  /** A trap's first operand: a bounds check's index, an access's address. */
  public static final int TRAP_INDEX = 88;
  /** A trap's second operand: a bounds check's length, the size of the memory accessed. */
  public static final int TRAP_LENGTH = 96;
  /**
   * The address of the entry stub's unwind code, for code installed apart from the entry stub
   * (a function compiled on its first call) to reach it.
   */
  public static final int UNWIND = 104;
  /** The first argument slot. */
  public static final int ARGUMENTS = 112;

  /** What the entry stub returns: the call returned. */
  public static final long STATUS_OK = 0;
  /** What the entry stub returns: a trap stub recorded a trap. */
  public static final long STATUS_TRAP = 1;
  /** What the entry stub returns: an upcall failed and the invoke will rethrow its exception. */
  public static final long STATUS_UPCALL_FAILED = 2;

  /** The upcall helper's second argument for a call of a Java import (the first: its index). */
  public static final int UPCALL_IMPORT = 0;
  /**
   * The upcall helper's second argument for compiling a function on its first call (the first:
   * its index), from {@link LazyStubs}.
   */
  public static final int UPCALL_COMPILE = 1;

  /** log2 of a function table entry's bytes. */
  public static final int FUNCTION_ENTRY_SHIFT = 5;
  /** In a function table entry: the signature number {@code call_indirect} checks. */
  public static final int ENTRY_SIGNATURE = 0;
  /** In a function table entry: the function's address. */
  public static final int ENTRY_ADDRESS = 8;
  /** In a function table entry: the levels of the call-depth limit its frame takes. */
  public static final int ENTRY_LEVELS = 16;

  /** The offset of argument slot {@code i}. */
  public static int argument(int i) {
    return ARGUMENTS + 8 * i;
  }

  /** The offset of memory {@code i}'s base address. */
  public int memoryBase(int i) {
    return ARGUMENTS + 8 * argumentSlots + 8 * i;
  }

  /** The offset of function {@code i}'s table entry: signature number, address and levels. */
  public int functionEntry(int i) {
    return memoryBase(memories) + (i << FUNCTION_ENTRY_SHIFT);
  }

  /** The offset of the function table. */
  public int functionTable() {
    return memoryBase(memories);
  }

  /** The offset of import {@code i}'s address (used by C imports). */
  public int importAddress(int i) {
    return functionEntry(functions) + 8 * i;
  }

  /** The size of the block in bytes. */
  public int size() {
    return importAddress(imports);
  }
}
