package dev.kiln.jit;

import dev.kiln.bytecode.Program;
import dev.kiln.runtime.Upcall;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Output;
import java.nio.ByteBuffer;

/**
 * The Java side of compiled code's upcalls: printing (formatted by {@link Output}, exactly as
 * the interpreter prints), {@code new} (the {@link Heap} checks size and cap; its
 * KilnRuntimeError travels back through the runtime, which rethrows it after the code unwinds).
 * Compiled code keeps the heap's allocation state in the context block ({@link
 * JitContext#HEAP_TOP}), allocates small arrays and moves the mark itself; {@code new} gives the
 * state to the heap first and takes the new one back.
 */
final class JitUpcalls implements Upcall {
  private final Heap heap;
  private final Output out;
  private final ByteBuffer context;
  private final char[][] strings;

  JitUpcalls(Program program, Heap heap, Output out, ByteBuffer context) {
    this.heap = heap;
    this.out = out;
    this.context = context;
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
        KilnJit.takeBack(heap, context);
        long ref = heap.allocate(value, (int) position);
        KilnJit.handOver(heap, context);
        return ref;
      }
      default -> throw new IllegalStateException("bad upcall selector " + what);
    }
    out.separator((what & JitContext.LAST_ARGUMENT) != 0);
    return 0;
  }
}
