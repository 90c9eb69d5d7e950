package dev.kiln.jit;

import dev.kiln.bytecode.Program;
import dev.kiln.runtime.Upcall;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Output;

/**
 * The Java side of compiled code's upcalls: printing (formatted by {@link Output}, exactly as
 * the interpreter prints), {@code new} (the {@link Heap} checks size and cap; its
 * KilnRuntimeError travels back through the runtime, which rethrows it after the code unwinds)
 * and the heap mark and release around a call that frees its arrays.
 */
final class JitUpcalls implements Upcall {
  private final Heap heap;
  private final Output out;
  private final char[][] strings;

  JitUpcalls(Program program, Heap heap, Output out) {
    this.heap = heap;
    this.out = out;
    this.strings = new char[program.strings().size()][];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = program.strings().get(i).toCharArray();
    }
  }

  @Override
  public long upcall(long what, long value, long position) {
    switch ((int) what & 0xff) {
      case JitContext.UPCALL_PRINT_INT -> out.printInt(value);
      case JitContext.UPCALL_PRINT_FLOAT -> out.printFloat(Double.longBitsToDouble(value));
      case JitContext.UPCALL_PRINT_BOOL -> out.printBool(value != 0);
      case JitContext.UPCALL_PRINT_STRING -> out.printText(strings[(int) value]);
      case JitContext.UPCALL_NEW_ARRAY -> {
        return heap.allocate(value, (int) position);
      }
      case JitContext.UPCALL_HEAP_MARK -> {
        return heap.mark();
      }
      case JitContext.UPCALL_HEAP_FREE -> {
        heap.release(value);
        return 0;
      }
      default -> throw new IllegalStateException("bad upcall selector " + what);
    }
    out.separator((what & JitContext.LAST_ARGUMENT) != 0);
    return 0;
  }
}
