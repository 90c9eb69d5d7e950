package dev.kiln.jit;

import dev.kiln.bytecode.Program;
import dev.kiln.runtime.Upcall;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Output;
import java.nio.ByteBuffer;

/**
 * The Java side of compiled code's upcalls: the print records compiled code buffered in the
 * context block ({@link JitContext#PRINT_RECORDS}), formatted by {@link Output} exactly as the
 * interpreter prints, and {@code new} (the {@link Heap} checks size and cap; its
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
    switch ((int) what) {
      case JitContext.UPCALL_PRINTS -> printRecords();
      case JitContext.UPCALL_NEW_ARRAY -> {
        KilnJit.takeBack(heap, context);
        long ref = heap.allocate(value, (int) position);
        KilnJit.handOver(heap, context);
        return ref;
      }
      default -> throw new IllegalStateException("bad upcall selector " + what);
    }
    return 0;
  }

  /**
   * Formats the print records compiled code buffered, in order, and empties the buffer; they are
   * taken out first, so a write that fails while they are formatted never prints them twice.
   */
  void printRecords() {
    int bytes = (int) context.getLong(JitContext.PRINT_BYTES);
    context.putLong(JitContext.PRINT_BYTES, 0);
    for (int at = JitContext.PRINT_RECORDS; at < JitContext.PRINT_RECORDS + bytes;
        at += JitContext.PRINT_RECORD_BYTES) {
      int what = (int) context.getLong(at);
      long value = context.getLong(at + 8);
      switch (what & 0xff) {
        case JitContext.PRINT_INT -> out.printInt(value);
        case JitContext.PRINT_FLOAT -> out.printFloat(Double.longBitsToDouble(value));
        case JitContext.PRINT_BOOL -> out.printBool(value != 0);
        case JitContext.PRINT_STRING -> out.printText(strings[(int) value]);
        default -> throw new IllegalStateException("bad print record " + what);
      }
      out.separator((what & JitContext.LAST_ARGUMENT) != 0);
    }
  }
}
