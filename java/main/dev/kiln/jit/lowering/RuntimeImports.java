package dev.kiln.jit.lowering;

import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * The run-time glue a lowered Kiln program calls: the heap's memory and the Java imports for what
 * the IR has no instruction for (allocation, the heap's mark and release, printing). Declared
 * unbound in the module; {@link KilnIrJit} binds them by name to the run's heap and output.
 */
final class RuntimeImports {
  /** The memory holding all arrays: {@code dev.kiln.vm.Heap}'s region itself. */
  static final String HEAP = "heap";
  static final String NEW_ARRAY = "kiln.new_array";
  static final String HEAP_MARK = "kiln.heap_mark";
  static final String HEAP_FREE = "kiln.heap_free";
  static final String PRINT_INT = "kiln.print_int";
  static final String PRINT_FLOAT = "kiln.print_float";
  static final String PRINT_BOOL = "kiln.print_bool";
  static final String PRINT_TEXT = "kiln.print_text";

  /** The {@code trap} code of a failed {@code assert}. */
  static final int ASSERTION_FAILED = 1;

  final Memory heap;
  /** {@code (length, position) -> ref}: a fresh zeroed array, or a Kiln runtime error. */
  final JavaFunction newArray;
  /** {@code () -> mark}. */
  final JavaFunction heapMark;
  /** {@code (mark)}: frees the arrays allocated since the mark. */
  final JavaFunction heapFree;
  /** {@code (value, last)}: prints, then a space or (last = 1) a newline; so do the others. */
  final JavaFunction printInt;
  final JavaFunction printFloat;
  final JavaFunction printBool;
  /** {@code (string index, last)}. */
  final JavaFunction printText;

  RuntimeImports(Module module, long heapBytes) {
    heap = module.memory(HEAP, heapBytes);
    newArray = module.importJava(NEW_ARRAY, Signature.of(List.of(Type.I64, Type.I64), Type.I64));
    heapMark = module.importJava(HEAP_MARK, Signature.of(List.of(), Type.I64));
    heapFree = module.importJava(HEAP_FREE, Signature.of(List.of(Type.I64), null));
    printInt = module.importJava(PRINT_INT, Signature.of(List.of(Type.I64, Type.I64), null));
    printFloat = module.importJava(PRINT_FLOAT, Signature.of(List.of(Type.F64, Type.I64), null));
    printBool = module.importJava(PRINT_BOOL, Signature.of(List.of(Type.I64, Type.I64), null));
    printText = module.importJava(PRINT_TEXT, Signature.of(List.of(Type.I64, Type.I64), null));
  }
}
