package dev.kiln.jit;

import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * The run-time glue a lowered Kiln program calls: the heap's memory and allocation state, the Java
 * imports for what the IR has no instruction for (allocating a large array, formatting printed
 * values), and the buffer of pending prints. Declared
 * unbound in the module; {@link KilnJit} binds them by name to the run's heap and output.
 */
final class RuntimeImports {
  /** The memory holding all arrays: {@code dev.kiln.vm.Heap}'s region itself. */
  static final String HEAP = "heap";
  /**
   * The heap's allocation state while compiled code runs, three words that the {@code Heap}
   * takes over at each {@link #NEW_ARRAY} call and hands back after it: its top ({@code
   * HEAP_MARK} reads it and {@code HEAP_FREE} writes it: a function that allocates does both at
   * every call, so neither may cost a call into Java), the end of the memory arrays have ever
   * used, and the bytes left under the cap.
   */
  static final String HEAP_STATE = "heap_state";
  static final int HEAP_TOP = 0;
  static final int HEAP_DIRTY = 8;
  static final int HEAP_BUDGET = 16;
  static final int HEAP_STATE_BYTES = 24;
  /**
   * The longest array compiled code allocates itself: a call into Java costs far more than the
   * few instructions, and a small array in a function called in a loop is the common case.
   */
  static final int INLINE_ARRAY_ELEMENTS = 16;
  static final String NEW_ARRAY = "kiln.new_array";
  /** The memory of pending prints: a count, then that many 16-byte records. */
  static final String PRINTS = "prints";
  static final String FLUSH_PRINTS = "kiln.flush_prints";

  /**
   * Records the print buffer holds before compiled code calls Java to format them: a call into
   * Java costs far more than writing a record, so it is paid once per buffer.
   */
  static final int PRINT_RECORDS = 512;
  static final int PRINT_RECORD_BYTES = 16;
  /** A record's first word is its kind ({@code PRINT_*}) plus {@link #PRINT_LAST} on a line's last. */
  static final int PRINT_INT = 0;
  static final int PRINT_FLOAT = 1;
  static final int PRINT_BOOL = 2;
  /** The second word is the index of the string. */
  static final int PRINT_TEXT = 3;
  static final int PRINT_LAST = 4;

  /** The {@code trap} code of a failed {@code assert}. */
  static final int ASSERTION_FAILED = 1;

  final Memory heap;
  /** {@code (length, position) -> ref}: a fresh zeroed array, or a Kiln runtime error. */
  final JavaFunction newArray;
  final Memory heapState;
  /** Pending prints: word 0 the count, then the records, each a kind and a value. */
  final Memory prints;
  /** {@code ()}: formats the pending prints and empties the buffer. */
  final JavaFunction flushPrints;

  RuntimeImports(Module module, long heapBytes) {
    heap = module.memory(HEAP, heapBytes);
    newArray = module.importJava(NEW_ARRAY, Signature.of(List.of(Type.I64, Type.I64), Type.I64));
    heapState = module.memory(HEAP_STATE, HEAP_STATE_BYTES);
    prints = module.memory(PRINTS, 8 + PRINT_RECORDS * PRINT_RECORD_BYTES);
    flushPrints = module.importJava(FLUSH_PRINTS, Signature.of(List.of(), null));
  }
}
