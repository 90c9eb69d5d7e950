package dev.kiln.jit;

import static dev.kiln.asm.Reg.RAX;
import static dev.kiln.asm.Reg.RCX;
import static dev.kiln.asm.Reg.RDX;
import static dev.kiln.asm.Reg.R13;

import dev.kiln.asm.Cond;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.vm.Heap;
import dev.kiln.vm.RuntimeErrorKind;

/**
 * Arrays and the heap in compiled code: element addressing with bounds checks, loads, stores and
 * lengths, the inline {@code new} of small arrays, and the heap marks a function that allocates
 * takes. An array is its address: element i is {@code [array + 8 + 8i]}.
 */
final class ArrayEmitter extends InstructionEmitter {
  /** The longest array {@code new} allocates in compiled code, without an upcall (see {@link #newArray}). */
  static final int INLINE_ARRAY_ELEMENTS = 16;

  private final UpcallEmitter upcalls;
  private final CheckedIndexes checkedIndexes = new CheckedIndexes();

  ArrayEmitter(EmitContext ctx, Slots slots, UpcallEmitter upcalls) {
    super(ctx, slots);
    this.upcalls = upcalls;
  }

  /** Forgets the bounds checks made so far: a join, where other paths lead in. */
  void join() {
    checkedIndexes.clear();
  }

  /** Forgets the bounds checks that involve {@code slot}, which was just written (-1: none). */
  void written(int slot) {
    checkedIndexes.written(slot);
  }

  /**
   * The element operand {@code [array + index*8 + 8]}, after one unsigned bounds check (a
   * negative index is a huge unsigned one) to an out-of-line stub, unless the index is {@code
   * proven} in bounds (in a counted loop's fast version, {@link CountedLoops}) or the same array
   * and index passed the check on the way here ({@link CheckedIndexes}).
   */
  Mem element(int array, int indexSlot, int position, boolean proven) {
    Reg ref = slots.inReg(array, RAX);
    Reg index = slots.inReg(indexSlot, RCX);
    if (!proven && !checkedIndexes.holds(array, indexSlot)) {
      a.cmp(index, Mem.qword(ref, 0));
      Label stub = a.label();
      a.jcc(Cond.AE, stub);
      ctx.stub(() -> {
        a.bind(stub);
        a.mov(Mem.qword(R13, JitContext.ERROR_A), index);
        a.mov(RDX, Mem.qword(ref, 0));
        a.mov(Mem.qword(R13, JitContext.ERROR_B), RDX);
        ctx.raise(RuntimeErrorKind.INDEX_OUT_OF_BOUNDS, position);
      });
      checkedIndexes.checked(array, indexSlot);
    }
    return Mem.qword(ref, index, Heap.ELEMENT_BYTES, Heap.HEADER_BYTES);
  }

  /** {@code d = array[index]}. */
  void load(int d, int array, int index, int position, boolean proven) {
    Mem element = element(array, index, position, proven);
    if (slots.xmm(d) != null) {
      a.movq(slots.xmm(d), element);
    } else {
      Reg t = slots.target(d);
      a.mov(t, element);
      slots.store(d, t);
    }
  }

  /** {@code array[index] = value}. */
  void store(int array, int index, int value, int position, boolean proven) {
    Mem element = element(array, index, position, proven);
    if (slots.xmm(value) != null) {
      a.movq(element, slots.xmm(value));
    } else if (slots.folded(value)) {
      a.mov(element, slots.foldedValue(value));
    } else {
      a.mov(element, slots.inReg(value, RDX));
    }
  }

  /** {@code d = len(array)}: the length word before the elements. */
  void length(int d, int array) {
    Reg ref = slots.inReg(array, RAX);
    Reg t = slots.target(d);
    a.mov(t, Mem.qword(ref, 0));
    slots.store(d, t);
  }

  /** {@code d} = the heap's top, to free down to later (see {@link JitContext#HEAP_TOP}). */
  void heapMark(int d) {
    Reg t = slots.target(d);
    a.mov(t, Mem.qword(R13, JitContext.HEAP_TOP));
    slots.store(d, t);
  }

  /** Frees every array allocated since mark {@code mark}. */
  void heapFree(int mark) {
    a.mov(Mem.qword(R13, JitContext.HEAP_TOP), slots.inReg(mark, RAX));
  }

  /**
   * {@code d = new T[length]}. An array of at most {@link #INLINE_ARRAY_ELEMENTS} elements is
   * bump-allocated in place from the heap's state in the context block ({@link
   * JitContext#HEAP_TOP}): the bytes left under the cap are counted down, the end of the memory
   * ever used is moved up, and the elements are zeroed, since the memory may be reused. Anything
   * else (a large or negative length, the cap reached) is the {@code Heap}'s, through the upcall,
   * which raises the interpreter's errors. An upcall is a JNI call back into Java through the
   * shim, far dearer than these few instructions, and a small array in a function called in a
   * loop is the common case.
   */
  void newArray(int d, int lengthSlot, int position) {
    Label slow = a.label();
    Label done = a.label();
    slots.load(RCX, lengthSlot);
    a.cmp(RCX, INLINE_ARRAY_ELEMENTS);
    a.jcc(Cond.A, slow); // unsigned: a negative length goes there too
    a.lea(RDX, Mem.qword(RCX, 1));
    a.shift(ShiftOp.SHL, RDX, 3); // the bytes: the length word and the elements
    a.cmp(Mem.qword(R13, JitContext.HEAP_BUDGET), RDX);
    a.jcc(Cond.L, slow);
    a.sub(Mem.qword(R13, JitContext.HEAP_BUDGET), RDX);
    a.mov(RAX, Mem.qword(R13, JitContext.HEAP_TOP));
    a.add(RDX, RAX);
    a.mov(Mem.qword(R13, JitContext.HEAP_TOP), RDX);
    Label below = a.label();
    a.cmp(Mem.qword(R13, JitContext.HEAP_DIRTY), RDX);
    a.jcc(Cond.AE, below);
    a.mov(Mem.qword(R13, JitContext.HEAP_DIRTY), RDX);
    a.bind(below);
    a.add(RAX, Mem.qword(R13, JitContext.HEAP_BASE)); // the reference made an address
    a.mov(Mem.qword(RAX, 0), RCX);
    Label zeroed = a.label();
    Label zero = a.label();
    a.test(RCX, RCX);
    a.jcc(Cond.E, zeroed);
    a.bind(zero); // elements length-1 down to 0, at [array + 8 * (k + 1)]
    a.mov(Mem.qword(RAX, RCX, 8, 0), 0);
    a.sub(RCX, 1);
    a.jcc(Cond.NE, zero);
    a.bind(zeroed);
    a.jmp(done);
    a.bind(slow);
    a.mov(RAX, RCX); // the length: its slot's home may be a scratch register, changed above
    upcalls.upcallWithRax(JitContext.UPCALL_NEW_ARRAY, position);
    a.add(RAX, Mem.qword(R13, JitContext.HEAP_BASE));
    a.bind(done);
    slots.store(d, RAX);
  }
}
