package dev.kiln.jit;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.FloatCond;
import dev.kiln.ir.Function;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import dev.kiln.ir.Variable;
import dev.kiln.vm.Heap;
import java.util.List;

/**
 * Lowers one Kiln function's bytecode into its IR function. Each slot is two IR variables, its
 * value as i64 and as f64: a temporary slot may hold an int at one point and a float at another,
 * and {@code MOV}, {@code ALOAD} and {@code ASTORE} do not say which, so a write defines the
 * variable of the kind it produces and, through a bitcast, the other one where {@link SlotViews}
 * says a later read may use it; each read takes the variable of the kind its opcode names.
 *
 * <p>Basic blocks start at branch targets and after branches; the blocks are laid out in
 * bytecode order, so the IR's back edges (where it polls the time limit) are the bytecode's.
 * Instructions carry the position-table index of their error ({@code p} operand) or, without one,
 * of the construct around them ({@link Program#positionAt}), so a trap maps back to the
 * interpreter's error.
 */
final class FunctionLowering {
  /** The conditions of {@code J_EQ_I .. J_GE_I} and of {@code J_EQ_I_IMM .. J_GE_I_IMM}, in order. */
  private static final IntCond[] BRANCH_CONDS = {
    IntCond.EQ, IntCond.NE, IntCond.SLT, IntCond.SLE, IntCond.SGT, IntCond.SGE
  };

  private final Program program;
  private final int[] code;
  private final FunctionInfo info;
  private final FunctionBuilder b;
  private final List<Function> functions;
  private final RuntimeImports runtime;
  private final Variable[] ints;
  private final Variable[] floats;
  private final SlotViews views;
  /** Whether a later read may use the i64 / f64 view of the slot being written. */
  private boolean intUsed;
  private boolean floatUsed;
  /** The function's blocks, by pc. */
  private BlockMap blocks;
  /**
   * In a resumption ({@link #lowerFrom}), while the interrupted loop's copy is lowered: the copy's
   * blocks, which take the pcs of the loop; else null.
   */
  private BlockMap copy;
  /** The bytes of the largest array {@link #newArray} allocates inline, its length word included. */
  private static final int INLINE_ARRAY_BYTES =
      Heap.HEADER_BYTES + Heap.ELEMENT_BYTES * RuntimeImports.INLINE_ARRAY_ELEMENTS;
  /** {@link Program#positionAt} of each offset of the function's code. */
  private final int[] positions;

  FunctionLowering(Program program, int index, FunctionBuilder builder, List<Function> functions,
      RuntimeImports runtime) {
    this.program = program;
    this.code = program.code();
    this.info = program.function(index);
    this.b = builder;
    this.functions = functions;
    this.runtime = runtime;
    int slots = slots(info);
    this.ints = new Variable[slots];
    this.floats = new Variable[slots];
    for (int s = 0; s < slots; s++) {
      ints[s] = b.declare(Type.I64);
      floats[s] = b.declare(Type.F64);
    }
    this.views = new SlotViews(program, info, slots);
    this.positions = program.positionsAt(info.entry(), info.end());
  }

  /** Lowers the function as called: its parameters in the first slots. */
  void lower() {
    blocks = mapBlocks(info.entry(), info.end(), info.entry(), null);
    for (int i = 0; i < info.params().size(); i++) {
      intUsed = views.intUsedAtEntry(i);
      floatUsed = views.floatUsedAtEntry(i);
      write(i, info.params().get(i), b.param(i));
    }
    jumpTo(info.entry());
    lowerBody();
  }

  /**
   * Lowers the function entered at the loop header {@code header} with the 64 bits of every slot
   * as a parameter, in slot order: the rest of an interpreted frame that reached the header, which
   * compiled code takes over (on-stack replacement). Code before the header that the loop does not
   * reach is dropped with the other unreachable blocks.
   *
   * <p>A slot the function writes once, with a constant (a local such as {@code let n = 100}),
   * holds that constant wherever it is read, so it is the constant here too and not the frame's
   * bits: the loop compiles as it does in the function.
   */
  void lowerFrom(int header) {
    blocks = mapBlocks(info.entry(), info.end(), -1, null);
    // The resumption enters a copy of the loop, up to its last back edge, so that the function's
    // own nest stays whole (entering an inner loop's header would make it the outer loop's too).
    int last = header;
    for (int pc = header; pc < info.end(); pc += Op.length(code[pc])) {
      if (Op.isBranch(code[pc]) && Op.target(code, pc) == header) {
        last = pc;
      }
    }
    int end = last + Op.length(code[last]);
    copy = mapBlocks(header, end, header, blocks);
    intUsed = true;
    floatUsed = true;
    long[] constants = new long[ints.length];
    boolean[] constant = constantSlots(constants);
    for (int s = 0; s < ints.length; s++) {
      writeBits(s, constant[s] ? b.iconst(constants[s]) : b.param(s));
    }
    jumpTo(header);
    lowerRange(header, end); // ends with the loop's last back edge, a branch
    copy = null;
    lowerBody();
  }

  /**
   * Which slots the function writes exactly once, with {@code CONST_I} or {@code CONST_K} (never
   * a parameter), their values in {@code values}.
   */
  private boolean[] constantSlots(long[] values) {
    int[] writes = new int[ints.length];
    boolean[] constant = new boolean[ints.length];
    for (int s = 0; s < info.params().size(); s++) {
      writes[s]++;
    }
    for (int pc = info.entry(); pc < info.end(); pc += Op.length(code[pc])) {
      int slot = Op.writtenSlot(code, pc);
      if (slot < 0) {
        continue;
      }
      writes[slot]++;
      if (code[pc] == Op.CONST_I || code[pc] == Op.CONST_K) {
        constant[slot] = true;
        values[slot] = code[pc] == Op.CONST_I ? code[pc + 2] : program.constant(code[pc + 2]);
      }
    }
    for (int s = 0; s < constant.length; s++) {
      constant[s] &= writes[s] == 1;
    }
    return constant;
  }

  /** The number of slots, each an i64 parameter of {@link #lowerFrom}. */
  static int slots(FunctionInfo info) {
    return Math.max(info.frameSize(), info.params().size());
  }

  private void lowerBody() {
    lowerRange(info.entry(), info.end());
    if (b.currentBlock() != null) {
      // The front end ends every function with a return; a void one may fall off its end.
      b.ret();
    }
  }

  /** Lowers the instructions at pcs {@code [from, to)} into their blocks. */
  private void lowerRange(int from, int to) {
    for (int pc = from; pc < to; pc += Op.length(code[pc])) {
      Block start = blockAt(pc);
      if (start != null) {
        if (b.currentBlock() != null) {
          jumpTo(pc);
        }
        b.switchTo(start);
        BlockMap m = mapOf(pc);
        if (m.pending[pc - m.from] == 0) {
          b.seal(start);
        }
      } else if (b.currentBlock() == null) {
        // Code no branch reaches (after a return): built, then dropped by finish().
        Block dead = b.newBlock();
        b.switchTo(dead);
        b.seal(dead);
      }
      instruction(pc);
    }
  }

  /**
   * The blocks {@code pc}'s belong to: the loop copy's while it is lowered, else the function's.
   */
  private BlockMap mapOf(int pc) {
    return copy != null && copy.has(pc) ? copy : blocks;
  }

  private Block blockAt(int pc) {
    BlockMap m = mapOf(pc);
    return m.blocks[pc - m.from];
  }

  private Block[] innerAt(int pc) {
    BlockMap m = mapOf(pc);
    return m.inner[pc - m.from];
  }

  /**
   * Blocks by pc from {@code from}: where each starts, the inner blocks of each print and
   * {@code new}, and the branches into each not emitted yet (zero seals it).
   */
  private record BlockMap(int from, Block[] blocks, Block[][] inner, int[] pending) {
    boolean has(int pc) {
      return pc >= from && pc < from + blocks.length;
    }
  }

  /**
   * Makes the blocks of the code at pcs {@code [from, to)}, in bytecode order: one at
   * {@code from}, at every branch target and after every conditional branch, and the inner blocks
   * of prints and {@code new}s; and counts the edges into each: branches, falling through from
   * the instruction before, and the IR entry block's jump to {@code start} (none if negative).
   * Edges that leave the range count in {@code outside}'s blocks (the function's, for a loop's
   * copy); the function's own map, without one, also has a block past its end for dead code's
   * branches there.
   */
  private BlockMap mapBlocks(int from, int to, int start, BlockMap outside) {
    int length = to - from + (outside == null ? 1 : 0);
    BlockMap m = new BlockMap(from, new Block[length], new Block[length][], new int[length]);
    boolean[] starts = new boolean[length];
    starts[0] = true;
    if (start >= 0) {
      starts[start - from] = true;
      m.pending[start - from]++; // from the IR entry block, which holds the parameters
    }
    for (int pc = from; pc < to; pc += Op.length(code[pc])) {
      int op = code[pc];
      if (Op.isBranch(op)) {
        int target = Op.target(code, pc);
        if (m.has(target)) {
          starts[target - from] = true;
          m.pending[target - from]++;
        } else {
          outside.pending[target - outside.from]++;
        }
        if (Op.fallsThrough(op) && m.has(pc + Op.length(op))) {
          starts[pc + Op.length(op) - from] = true;
        }
      }
    }
    for (int pc = from; pc < to; ) {
      int next = pc + Op.length(code[pc]);
      if (starts[pc - from]) {
        m.blocks[pc - from] = b.newBlock();
      }
      int inner = code[pc] >= Op.PRINT_I && code[pc] <= Op.PRINT_S ? 2
          : code[pc] == Op.NEW_ARRAY && allocatesInline() ? 5 : 0;
      if (inner > 0) {
        m.inner[pc - from] = new Block[inner];
        for (int k = 0; k < inner; k++) {
          m.inner[pc - from][k] = b.newBlock();
        }
      }
      if (Op.fallsThrough(code[pc])) {
        if (next < to && starts[next - from]) {
          m.pending[next - from]++;
        } else if (next == to && outside != null) {
          outside.pending[next - outside.from]++;
        }
      }
      pc = next;
    }
    if (length > to - from && starts[length - 1]) {
      // Only dead code branches past the last instruction (a jump after a return).
      m.blocks[length - 1] = b.newBlock();
    }
    return m;
  }

  /** The block at {@code pc}, for a branch about to be emitted to it. */
  private Block target(int pc) {
    return blockAt(pc);
  }

  /** Counts an emitted branch to {@code pc}; its block is sealed once all have been. */
  private void branched(int pc) {
    BlockMap m = mapOf(pc);
    if (--m.pending[pc - m.from] == 0) {
      b.seal(m.blocks[pc - m.from]);
    }
  }

  private void jumpTo(int pc) {
    b.jump(target(pc));
    branched(pc);
  }

  /** Branches to the target of the branch at {@code pc} if {@code condition} holds, else on. */
  private void branch(Value condition, int pc) {
    branch(condition, true, pc);
  }

  /** As {@link #branch(Value, int)}, but taken when {@code condition} does not hold. */
  private void branchUnless(Value condition, int pc) {
    branch(condition, false, pc);
  }

  private void branch(Value condition, boolean takenIfTrue, int pc) {
    Block taken = target(Op.target(code, pc));
    Block next = target(pc + Op.length(code[pc]));
    b.brif(condition, takenIfTrue ? taken : next, takenIfTrue ? next : taken);
    branched(Op.target(code, pc));
    branched(pc + Op.length(code[pc]));
  }

  private Value i(int slot) {
    return b.use(ints[slot]);
  }

  private Value f(int slot) {
    return b.use(floats[slot]);
  }

  private void writeInt(int slot, Value v) {
    b.def(ints[slot], v);
  }

  private void writeFloat(int slot, Value v) {
    b.def(floats[slot], v);
    if (intUsed) {
      b.def(ints[slot], b.bitcast(Type.I64, v));
    }
  }

  /** Writes 64 bits whose kind the instruction does not say (a constant, an array element). */
  private void writeBits(int slot, Value bits) {
    b.def(ints[slot], bits);
    if (floatUsed) {
      b.def(floats[slot], b.bitcast(Type.F64, bits));
    }
  }

  private void write(int slot, ValueKind kind, Value v) {
    if (kind == ValueKind.FLOAT) {
      writeFloat(slot, v);
    } else {
      writeInt(slot, v);
    }
  }

  private Value read(int slot, ValueKind kind) {
    return kind == ValueKind.FLOAT ? f(slot) : i(slot);
  }

  private Value imm(int pc, int operand) {
    return b.iconst(code[pc + operand]);
  }

  /**
   * The length word of array {@code ref}, an invariant load (docs/ir.md): allocation writes it
   * before the ref exists, element stores are checked below it, and a ref is live while the
   * function can use it (memory is reused only after the {@code HEAP_FREE} of a call that returns
   * no array, by a later {@code NEW_ARRAY}: a new definition of the ref), so the word never
   * changes under one value of the ref.
   */
  private Value length(Value ref) {
    return b.loadInvariant(MemType.I64, runtime.heap, Address.at(ref));
  }

  /** The address of element {@code index} of array {@code ref}: after its length word. */
  private Address element(Value ref, Value index) {
    return Address.at(ref, index, Heap.ELEMENT_BYTES, Heap.HEADER_BYTES);
  }

  /** The position an error of the instruction at {@code pc} reports ({@code p}, or around it). */
  private int position(int pc) {
    int p = Op.positionOperand(code[pc]);
    int position = p >= 0 ? code[pc + 1 + p] : positions[pc - info.entry()];
    return Math.max(position, Instruction.NO_POSITION);
  }

  private void instruction(int pc) {
    int op = code[pc];
    int d = Op.length(op) > 1 ? code[pc + 1] : -1; // the first operand, where there is one
    b.at(position(pc));
    intUsed = views.intUsedAfter(pc);
    floatUsed = views.floatUsedAfter(pc);
    switch (op) {
      case Op.MOV -> {
        if (intUsed) {
          b.def(ints[d], i(code[pc + 2]));
        }
        if (floatUsed) {
          b.def(floats[d], f(code[pc + 2]));
        }
      }
      case Op.CONST_I -> writeBits(d, b.iconst(code[pc + 2]));
      case Op.CONST_K -> writeBits(d, b.iconst(program.constant(code[pc + 2])));
      case Op.ADD_I -> writeInt(d, b.iadd(i(code[pc + 2]), i(code[pc + 3])));
      case Op.SUB_I -> writeInt(d, b.isub(i(code[pc + 2]), i(code[pc + 3])));
      case Op.MUL_I -> writeInt(d, b.imul(i(code[pc + 2]), i(code[pc + 3])));
      case Op.DIV_I -> writeInt(d, b.sdiv(i(code[pc + 2]), i(code[pc + 3])));
      case Op.REM_I -> writeInt(d, b.srem(i(code[pc + 2]), i(code[pc + 3])));
      case Op.AND_I -> writeInt(d, b.band(i(code[pc + 2]), i(code[pc + 3])));
      case Op.OR_I -> writeInt(d, b.bor(i(code[pc + 2]), i(code[pc + 3])));
      case Op.XOR_I -> writeInt(d, b.bxor(i(code[pc + 2]), i(code[pc + 3])));
      case Op.SHL_I -> writeInt(d, b.ishl(i(code[pc + 2]), i(code[pc + 3])));
      case Op.SHR_I -> writeInt(d, b.sshr(i(code[pc + 2]), i(code[pc + 3])));
      case Op.USHR_I -> writeInt(d, b.ushr(i(code[pc + 2]), i(code[pc + 3])));
      case Op.ADD_I_IMM -> writeInt(d, b.iadd(i(code[pc + 2]), imm(pc, 3)));
      case Op.MUL_I_IMM -> writeInt(d, b.imul(i(code[pc + 2]), imm(pc, 3)));
      case Op.DIV_I_IMM -> writeInt(d, b.sdiv(i(code[pc + 2]), imm(pc, 3)));
      case Op.REM_I_IMM -> writeInt(d, b.srem(i(code[pc + 2]), imm(pc, 3)));
      case Op.AND_I_IMM -> writeInt(d, b.band(i(code[pc + 2]), imm(pc, 3)));
      case Op.OR_I_IMM -> writeInt(d, b.bor(i(code[pc + 2]), imm(pc, 3)));
      case Op.XOR_I_IMM -> writeInt(d, b.bxor(i(code[pc + 2]), imm(pc, 3)));
      case Op.SHL_I_IMM -> writeInt(d, b.ishl(i(code[pc + 2]), imm(pc, 3)));
      case Op.SHR_I_IMM -> writeInt(d, b.sshr(i(code[pc + 2]), imm(pc, 3)));
      case Op.USHR_I_IMM -> writeInt(d, b.ushr(i(code[pc + 2]), imm(pc, 3)));
      case Op.NEG_I -> writeInt(d, b.ineg(i(code[pc + 2])));
      case Op.NOT_I -> writeInt(d, b.bnot(i(code[pc + 2])));
      case Op.NOT_B -> writeInt(d, b.bxor(i(code[pc + 2]), b.iconst(1)));
      case Op.ADD_F -> writeFloat(d, b.fadd(f(code[pc + 2]), f(code[pc + 3])));
      case Op.SUB_F -> writeFloat(d, b.fsub(f(code[pc + 2]), f(code[pc + 3])));
      case Op.MUL_F -> writeFloat(d, b.fmul(f(code[pc + 2]), f(code[pc + 3])));
      case Op.DIV_F -> writeFloat(d, b.fdiv(f(code[pc + 2]), f(code[pc + 3])));
      case Op.NEG_F -> writeFloat(d, b.fneg(f(code[pc + 2])));
      case Op.I2F -> writeFloat(d, b.fcvtFromSint(i(code[pc + 2])));
      case Op.F2I -> writeInt(d, b.fcvtToSintSat(f(code[pc + 2])));
      case Op.EQ_I -> writeInt(d, b.icmp(IntCond.EQ, i(code[pc + 2]), i(code[pc + 3])));
      case Op.NE_I -> writeInt(d, b.icmp(IntCond.NE, i(code[pc + 2]), i(code[pc + 3])));
      case Op.LT_I -> writeInt(d, b.icmp(IntCond.SLT, i(code[pc + 2]), i(code[pc + 3])));
      case Op.LE_I -> writeInt(d, b.icmp(IntCond.SLE, i(code[pc + 2]), i(code[pc + 3])));
      case Op.EQ_F -> writeInt(d, b.fcmp(FloatCond.EQ, f(code[pc + 2]), f(code[pc + 3])));
      case Op.NE_F -> writeInt(d, b.fcmp(FloatCond.NE, f(code[pc + 2]), f(code[pc + 3])));
      case Op.LT_F -> writeInt(d, b.fcmp(FloatCond.LT, f(code[pc + 2]), f(code[pc + 3])));
      case Op.LE_F -> writeInt(d, b.fcmp(FloatCond.LE, f(code[pc + 2]), f(code[pc + 3])));
      case Op.JMP -> jumpTo(code[pc + 1]);
      case Op.JT -> branch(i(d), pc);
      case Op.JF -> branchUnless(i(d), pc);
      case Op.J_EQ_I, Op.J_NE_I, Op.J_LT_I, Op.J_LE_I, Op.J_GT_I, Op.J_GE_I ->
          branch(b.icmp(BRANCH_CONDS[op - Op.J_EQ_I], i(d), i(code[pc + 2])), pc);
      case Op.J_EQ_I_IMM, Op.J_NE_I_IMM, Op.J_LT_I_IMM, Op.J_LE_I_IMM, Op.J_GT_I_IMM,
          Op.J_GE_I_IMM -> branch(b.icmp(BRANCH_CONDS[op - Op.J_EQ_I_IMM], i(d), imm(pc, 2)), pc);
      case Op.J_EQ_F -> branch(b.fcmp(FloatCond.EQ, f(d), f(code[pc + 2])), pc);
      case Op.J_NE_F -> branch(b.fcmp(FloatCond.NE, f(d), f(code[pc + 2])), pc);
      case Op.J_LT_F -> branch(b.fcmp(FloatCond.LT, f(d), f(code[pc + 2])), pc);
      case Op.J_LE_F -> branch(b.fcmp(FloatCond.LE, f(d), f(code[pc + 2])), pc);
      case Op.J_NLT_F -> branchUnless(b.fcmp(FloatCond.LT, f(d), f(code[pc + 2])), pc);
      case Op.J_NLE_F -> branchUnless(b.fcmp(FloatCond.LE, f(d), f(code[pc + 2])), pc);
      case Op.FOR_I, Op.FOR_I_IMM -> {
        Value counter = b.iadd(i(d), b.iconst(1));
        writeInt(d, counter);
        Value limit = op == Op.FOR_I ? i(code[pc + 2]) : imm(pc, 2);
        branch(b.icmp(IntCond.SLT, counter, limit), pc);
      }
      case Op.NEW_ARRAY -> writeInt(d, newArray(pc, i(code[pc + 2])));
      case Op.LEN -> writeInt(d, length(i(code[pc + 2])));
      case Op.ALOAD -> {
        Value ref = i(code[pc + 2]);
        Value index = i(code[pc + 3]);
        b.boundsCheck(index, length(ref));
        writeBits(d, b.load(MemType.I64, runtime.heap, element(ref, index)));
      }
      case Op.ASTORE -> {
        Value ref = i(d);
        Value index = i(code[pc + 2]);
        b.boundsCheck(index, length(ref));
        b.store(MemType.I64, runtime.heap, element(ref, index), i(code[pc + 3]));
      }
      case Op.CALL -> call(pc);
      case Op.RET -> b.ret(read(d, info.result()));
      case Op.RET_VOID -> b.ret();
      case Op.PRINT_I -> print(pc, RuntimeImports.PRINT_INT, MemType.I64, i(d));
      case Op.PRINT_F -> print(pc, RuntimeImports.PRINT_FLOAT, MemType.F64, f(d));
      case Op.PRINT_B -> print(pc, RuntimeImports.PRINT_BOOL, MemType.I64, i(d));
      case Op.PRINT_S -> print(pc, RuntimeImports.PRINT_TEXT, MemType.I64, imm(pc, 1));
      case Op.ASSERT -> b.trapz(i(d), RuntimeImports.ASSERTION_FAILED);
      case Op.HEAP_MARK -> writeInt(d, heapState(b.iconst(0), RuntimeImports.HEAP_TOP));
      case Op.HEAP_FREE -> setHeapState(b.iconst(0), RuntimeImports.HEAP_TOP, i(d));
      default -> throw new IllegalArgumentException(
          "bad opcode " + op + " at " + pc + " in " + info.name());
    }
  }

  /**
   * Appends a record to the print buffer; the call into Java to format the buffer happens in a
   * block of its own, only when the record filled it.
   */
  private void print(int pc, int kind, MemType type, Value value) {
    Address countWord = Address.at(b.iconst(0));
    Value count = b.load(MemType.I64, runtime.prints, countWord);
    Value record = b.imul(count, b.iconst(RuntimeImports.PRINT_RECORD_BYTES));
    int tag = kind | (code[pc + 2] == 1 ? RuntimeImports.PRINT_LAST : 0);
    b.store(MemType.I64, runtime.prints, Address.at(record, 8), b.iconst(tag));
    b.store(type, runtime.prints, Address.at(record, 16), value);
    Value next = b.iadd(count, b.iconst(1));
    b.store(MemType.I64, runtime.prints, countWord, next);
    Block flush = innerAt(pc)[0];
    Block after = innerAt(pc)[1];
    b.brif(b.icmp(IntCond.EQ, next, b.iconst(RuntimeImports.PRINT_RECORDS)), flush, after);
    enter(flush);
    b.call(runtime.flushPrints);
    b.jump(after);
    enter(after);
  }

  /**
   * A fresh zero-filled array of {@code length} elements. One of at most {@link
   * RuntimeImports#INLINE_ARRAY_ELEMENTS} is bump-allocated in place from the heap's state ({@code
   * $heap_state}) when the budget holds it: its length word and all the inline elements' words
   * are written, zeros past the array landing above the new top, which stays free, so the code
   * has no loop. A guard on the top in the verifier's form proves all those stores inside the
   * heap. Anything else (a large or negative length, the cap reached, the top near the heap's
   * end) is the {@code Heap}'s, through {@code @kiln.new_array}, which raises the interpreter's
   * errors.
   */
  private Value newArray(int pc, Value length) {
    if (!allocatesInline()) {
      return b.call(runtime.newArray, length, imm(pc, 3));
    }
    Block[] inner = innerAt(pc);
    Block fits = inner[0];
    Block room = inner[1];
    Block bump = inner[2];
    Block upcall = inner[3];
    Block done = inner[4];
    Value ref = b.appendParam(done, Type.I64);
    b.brif(b.icmp(IntCond.ULE, length, b.iconst(RuntimeImports.INLINE_ARRAY_ELEMENTS)), fits,
        upcall);
    enter(fits);
    // one base for the state's words, so the memory pass sees that their addresses differ
    Value state = b.iconst(0);
    Value budget = heapState(state, RuntimeImports.HEAP_BUDGET);
    Value bytes = b.ishl(b.iadd(length, b.iconst(1)), b.iconst(3));
    b.brif(b.icmp(IntCond.SGE, budget, bytes), room, upcall);
    enter(room);
    Value top = heapState(state, RuntimeImports.HEAP_TOP);
    b.brif(b.icmp(IntCond.ULE, top, b.iconst(runtime.heap.size() - INLINE_ARRAY_BYTES)), bump,
        upcall);
    enter(bump);
    Value end = b.iadd(top, bytes);
    Value dirty = heapState(state, RuntimeImports.HEAP_DIRTY);
    setHeapState(state, RuntimeImports.HEAP_BUDGET, b.isub(budget, bytes));
    setHeapState(state, RuntimeImports.HEAP_TOP, end);
    setHeapState(state, RuntimeImports.HEAP_DIRTY,
        b.select(b.icmp(IntCond.ULT, dirty, end), end, dirty));
    b.storeInBounds(MemType.I64, runtime.heap, Address.at(top), length);
    Value zero = b.iconst(0);
    for (int k = 0; k < RuntimeImports.INLINE_ARRAY_ELEMENTS; k++) {
      b.storeInBounds(MemType.I64, runtime.heap,
          Address.at(top, Heap.HEADER_BYTES + Heap.ELEMENT_BYTES * k), zero);
    }
    b.jump(done, top);
    enter(upcall);
    b.jump(done, b.call(runtime.newArray, length, imm(pc, 3)));
    enter(done);
    return ref;
  }

  /** Whether the heap can hold the largest array {@link #newArray} allocates inline. */
  private boolean allocatesInline() {
    return runtime.heap.size() >= INLINE_ARRAY_BYTES;
  }

  /** Continues in {@code block}, whose predecessors are all built. */
  private void enter(Block block) {
    b.switchTo(block);
    b.seal(block);
  }

  /** The word of the heap's allocation state at {@code offset} ({@code RuntimeImports.HEAP_*}). */
  private Value heapState(Value base, int offset) {
    return b.load(MemType.I64, runtime.heapState, Address.at(base, offset));
  }

  private void setHeapState(Value base, int offset, Value value) {
    b.store(MemType.I64, runtime.heapState, Address.at(base, offset), value);
  }

  /** {@code CALL d f s p}: the arguments are slots {@code s, s+1, ...}, read as the callee's. */
  private void call(int pc) {
    FunctionInfo callee = program.function(code[pc + 2]);
    int first = code[pc + 3];
    Value[] args = new Value[callee.params().size()];
    for (int k = 0; k < args.length; k++) {
      args[k] = read(first + k, callee.params().get(k));
    }
    Value result = b.call(functions.get(code[pc + 2]), args);
    int d = code[pc + 1];
    if (d >= 0 && callee.result() != ValueKind.VOID) {
      write(d, callee.result(), result);
    }
  }
}
