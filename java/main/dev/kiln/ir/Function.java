package dev.kiln.ir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A function defined in IR: a name, a signature, an optional position and its blocks in layout
 * order, the entry block first. It is built by a {@link FunctionBuilder} or the {@link IrParser}.
 */
public final class Function implements Callee {
  private final Module module;
  private final String name;
  private final Signature signature;
  private final int index;
  int position = Instruction.NO_POSITION;
  int levels = 1;
  final ArrayList<Block> blocks = new ArrayList<>();
  private final List<Block> blocksView = new ListView<>(blocks);
  private int valueCount;
  private int blockCount;
  boolean finished;
  int line;
  /** The dominator tree of its current control-flow graph, or null until asked for again. */
  DominatorTree dominatorTree;
  /**
   * A superset of the opcodes of its instructions, a bit per ordinal (there are fewer than 64):
   * all of them while it is built or parsed, exactly its own once finished or copied, and every
   * opcode an edit adds after; so a pass finds at once that a function has nothing for it.
   */
  private long opcodes = -1L;

  Function(Module module, String name, Signature signature, int index) {
    this.module = module;
    this.name = name;
    this.signature = signature;
    this.index = index;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Signature signature() {
    return signature;
  }

  /** {@return the module it belongs to} */
  public Module module() {
    return module;
  }

  /** {@return its position among the module's functions: also its handle for {@code func_ref}} */
  public int index() {
    return index;
  }

  /**
   * The levels of the call-depth limit ({@link InstanceOptions#maxCallDepth(int)}) a frame of
   * this function takes: 1 unless its front end declared more for a large frame.
   *
   * @return the levels a frame takes, at least 1
   */
  public int levels() {
    return levels;
  }

  /**
   * Its position (reported by a trap in its prologue), or {@link Instruction#NO_POSITION}.
   *
   * @return the position, or {@link Instruction#NO_POSITION}
   */
  public int position() {
    return position;
  }

  /** {@return its blocks in layout order; the first is the entry block} */
  public List<Block> blocks() {
    return blocksView;
  }

  /** {@return the entry block} */
  public Block entry() {
    return blocks.get(0);
  }

  /** {@return an upper bound of {@link Value#id()}, for arrays indexed by value} */
  public int valueCount() {
    return valueCount;
  }

  /** {@return an upper bound of {@link Block#id()}, for arrays indexed by block} */
  public int blockCount() {
    return blockCount;
  }

  /** {@return whether its building has finished (a parsed function always has)} */
  public boolean isFinished() {
    return finished;
  }

  /** {@return the 1-based line of its header in a parsed text, or 0} */
  public int line() {
    return line;
  }

  /**
   * Whether it may have an instruction with opcode {@code op}: if not, it surely has none (an
   * edit that removes the last one may leave the answer yes).
   *
   * @param op an opcode
   * @return false only if no instruction of it has {@code op}
   */
  public boolean mayContain(Opcode op) {
    return (opcodes & bit(op)) != 0;
  }

  /** Marks it finished (built or parsed), its opcodes then exactly those of its instructions. */
  void markFinished() {
    long present = 0;
    for (Block b : blocks) {
      for (Instruction inst : b.instructions) {
        present |= bit(inst.opcode());
      }
    }
    opcodes = present;
    finished = true;
  }

  /** Records that an edit has added {@code inst} to one of its blocks. */
  void added(Instruction inst) {
    opcodes |= bit(inst.opcode());
  }

  private static long bit(Opcode op) {
    return 1L << op.ordinal();
  }

  /** Drops what is cached about its control-flow graph, which an edit has just changed. */
  void cfgChanged() {
    dominatorTree = null;
  }

  Value newValue(Type type) {
    return new Value(this, type, valueCount++);
  }

  /**
   * A new block without parameters or instructions, placed last in the layout: a pass adding
   * blocks in many places lays them out afterwards with {@link #reorder}, in one sweep.
   *
   * @return the new block
   */
  public Block newBlock() {
    Block block = new Block(this, blockCount++);
    blocks.add(block);
    cfgChanged();
    return block;
  }

  /**
   * Lays its blocks out in {@code order}.
   *
   * @param order every block of this function once, the entry first
   * @throws IllegalArgumentException if {@code order} is not such a permutation of its blocks
   */
  public void reorder(List<Block> order) {
    if (order.size() != blocks.size() || order.get(0) != entry()) {
      throw new IllegalArgumentException("the order must list all " + blocks.size() + " blocks of "
          + this + ", the entry first");
    }
    BitSet unlisted = new BitSet(blockCount);
    for (Block b : blocks) {
      unlisted.set(b.id());
    }
    for (Block b : order) {
      if (b.function() != this || !unlisted.get(b.id())) {
        throw new IllegalArgumentException(b + " is not a block of " + this
            + " or is listed twice");
      }
      unlisted.clear(b.id());
    }
    blocks.clear();
    blocks.addAll(order);
  }

  /** Copies its blocks, values and instructions into {@code copy}, an empty function of a copied module. */
  void copyInto(Function copy) {
    copy.position = position;
    copy.levels = levels;
    copy.finished = finished;
    copy.line = line;
    copy.valueCount = valueCount;
    copy.blockCount = blockCount;
    Value[] values = new Value[valueCount];
    Block[] copies = new Block[blockCount];
    copy.blocks.ensureCapacity(blocks.size());
    for (Block b : blocks) {
      Block c = new Block(copy, b.id());
      c.number = b.number;
      c.line = b.line;
      copies[b.id()] = c;
      copy.blocks.add(c);
      c.params.ensureCapacity(b.params.size());
      c.instructions.ensureCapacity(b.instructions.size());
      for (Value p : b.params) {
        c.params.add(copied(p, copy, values));
      }
      for (Instruction inst : b.instructions) {
        if (inst.result() != null) {
          copied(inst.result(), copy, values);
        }
      }
    }
    long copied = 0;
    for (Block b : blocks) {
      for (Instruction inst : b.instructions) {
        copies[b.id()].instructions.add(inst.copy(values, copies, copy.module()));
        copied |= bit(inst.opcode());
      }
    }
    copy.opcodes = copied;
  }

  private static Value copied(Value v, Function copy, Value[] values) {
    Value c = new Value(copy, v.type(), v.id());
    c.number = v.number;
    values[v.id()] = c;
    return c;
  }

  // Editing, for IR-to-IR passes over a Module.copy(): each method is one linear sweep.

  /**
   * A new {@code iconst} (i64) or {@code fconst} (f64, {@code bits} the raw bits) with a new
   * result value, not yet placed in a block.
   *
   * @param type the constant's type
   * @param bits its value, or for f64 its raw bits
   * @return the instruction, to be inserted into a block
   */
  public Instruction newConstant(Type type, long bits) {
    return Instruction.constant(newValue(type), bits);
  }

  /**
   * A new unary or binary arithmetic instruction ({@link Opcode.Format#UNARY} or
   * {@link Opcode.Format#BINARY}, such as {@code ineg} or {@code iadd}) with a new result value,
   * not yet placed in a block; it must not be one that may trap.
   *
   * @param opcode a unary or binary opcode other than a division or remainder
   * @param position its position, or {@link Instruction#NO_POSITION}
   * @param args its one or two operands, of the opcode's operand type
   * @return the instruction, to be inserted into a block
   * @throws IllegalArgumentException for another opcode, or operands of the wrong number or type
   */
  public Instruction newArithmetic(Opcode opcode, int position, Value... args) {
    int arity = opcode.format() == Opcode.Format.UNARY ? 1
        : opcode.format() == Opcode.Format.BINARY ? 2 : -1;
    if (arity != args.length || opcode == Opcode.SDIV || opcode == Opcode.SREM
        || opcode == Opcode.UDIV || opcode == Opcode.UREM) {
      throw new IllegalArgumentException("not a non-trapping unary or binary opcode with "
          + args.length + " operands: " + opcode.mnemonic());
    }
    for (Value a : args) {
      if (a.type() != opcode.operandType()) {
        throw new IllegalArgumentException(opcode.mnemonic() + " takes " + opcode.operandType()
            + " operands, not " + a.type());
      }
    }
    return new Instruction(opcode, newValue(opcode.resultType()), args.clone(), 0, null, null, 1,
        null, position);
  }

  /**
   * A new {@code icmp} with a new result value, not yet placed in a block.
   *
   * @param cond the condition
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @param position its position, or {@link Instruction#NO_POSITION}
   * @return the instruction, to be inserted into a block
   * @throws IllegalArgumentException for an operand that is not i64
   */
  public Instruction newIntCompare(IntCond cond, Value a, Value b, int position) {
    if (a.type() != Type.I64 || b.type() != Type.I64) {
      throw new IllegalArgumentException("icmp takes i64 operands");
    }
    return new Instruction(Opcode.ICMP, newValue(Type.I64), new Value[] {a, b}, 0,
        Objects.requireNonNull(cond, "cond"), null, 1, null, position);
  }

  /**
   * Clears the {@code inbounds} mark of every access the IR does not prove (docs/ir.md), leaving
   * it a checked access. Compiles verify the passes' output only when asked to
   * ({@code CompileOptions.verifyPasses}); the back end calls this after the passes otherwise, so
   * a pass's mistake costs a memory check and never reaches memory unchecked.
   *
   * @return how many marks it cleared
   */
  public int clearUnprovenInBounds() {
    return Verifier.clearUnprovenInBounds(this);
  }

  /**
   * The load or store {@code access} (its result, value, type and memory) at {@code address},
   * marked {@code inbounds} (which the verifier accepts only where the IR proves it); not yet
   * placed in a block.
   *
   * @param access a load or store of this function
   * @param address the address it accesses instead, the same bytes
   * @return the marked instruction, to take the place of {@code access}
   * @throws IllegalArgumentException if {@code access} is no load or store
   */
  public Instruction inBoundsAccess(Instruction access, Address address) {
    Instruction marked = movedAccess(access, address);
    marked.inBounds = true;
    return marked;
  }

  /**
   * The load or store {@code access} at its own address, marked {@code inbounds}: {@link
   * #inBoundsAccess(Instruction, Address)} without an {@link Address} to make.
   *
   * @param access a load or store of this function
   * @return the marked instruction, to take the place of {@code access}
   * @throws IllegalArgumentException if {@code access} is no load or store
   */
  public Instruction inBoundsAccess(Instruction access) {
    if (access.opcode() != Opcode.STORE && access.opcode() != Opcode.LOAD) {
      throw new IllegalArgumentException(access + " is no load or store");
    }
    Instruction marked = access.renamed(Instruction.NO_VALUES);
    marked.inBounds = true;
    return marked;
  }

  /**
   * {@code access} at {@code address}, an address that computes the same bytes (the caller's
   * promise), with its result, marks, position and source; not yet placed in a block. A mark
   * proven at the old address may not be provable at the new one, so the function need not verify
   * after it: instruction selection uses it, once no pass runs any more.
   *
   * @param access a load or store of this function
   * @param address the address it accesses instead
   * @return the moved instruction, to take the place of {@code access}
   * @throws IllegalArgumentException if {@code access} is no load or store
   */
  public Instruction movedAccess(Instruction access, Address address) {
    boolean store = access.opcode() == Opcode.STORE;
    if (!store && access.opcode() != Opcode.LOAD) {
      throw new IllegalArgumentException(access + " is no load or store");
    }
    Instruction moved = new Instruction(access.opcode(), access.result(),
        addressArgs(store ? access.arg(0) : null, address), address.offset(), access.memType(),
        access.memory(), address.scale(), null, access.position());
    return withMarksOf(access, moved);
  }

  /** {@code to} with the {@code inbounds} and {@code invariant} marks and source of {@code from}. */
  private static Instruction withMarksOf(Instruction from, Instruction to) {
    to.inBounds = from.inBounds;
    to.invariant = from.invariant;
    to.line = from.line;
    to.column = from.column;
    to.origin = from.origin;
    return to;
  }

  /**
   * A new load of {@code type} from {@code memory} at {@code address} (marked {@code inbounds}
   * if {@code inBounds}, which the verifier accepts only where the IR proves it), with a new
   * result value; not yet placed in a block.
   *
   * @param type what it reads and how it extends it
   * @param memory a memory of this function's module
   * @param address where
   * @param inBounds whether it is marked {@code inbounds}
   * @param position its position, or {@link Instruction#NO_POSITION}
   * @return the instruction, to be inserted into a block
   */
  public Instruction newLoad(MemType type, Memory memory, Address address, boolean inBounds,
      int position) {
    Instruction load = new Instruction(Opcode.LOAD, newValue(type.type()),
        addressArgs(null, address), address.offset(), type, memory, address.scale(), null,
        position);
    load.inBounds = inBounds;
    return load;
  }

  /**
   * A new store of {@code value}'s low {@code type} bytes to {@code memory} at {@code address}
   * (marked as {@link #newLoad} marks it); not yet placed in a block.
   *
   * @param type what it writes
   * @param memory a memory of this function's module
   * @param value the value stored, of {@code type}'s type
   * @param address where
   * @param inBounds whether it is marked {@code inbounds}
   * @param position its position, or {@link Instruction#NO_POSITION}
   * @return the instruction, to be inserted into a block
   */
  public Instruction newStore(MemType type, Memory memory, Value value, Address address,
      boolean inBounds, int position) {
    Instruction store = new Instruction(Opcode.STORE, null, addressArgs(value, address),
        address.offset(), type, memory, address.scale(), null, position);
    store.inBounds = inBounds;
    return store;
  }

  /** A load's or store's operands: the stored value (unless null), the base and the index. */
  private static Value[] addressArgs(Value stored, Address address) {
    int first = stored == null ? 0 : 1;
    Value[] args = new Value[first + (address.index() == null ? 1 : 2)];
    if (stored != null) {
      args[0] = stored;
    }
    args[first] = address.base();
    if (address.index() != null) {
      args[first + 1] = address.index();
    }
    return args;
  }

  /**
   * The 8-byte load or store {@code access} moving the same bytes as the other 8-byte type (f64
   * for i64, i64 for f64), with its address, position and {@code inbounds} mark: a load with a
   * new result value of that type, or a store of {@code value}; not yet placed in a block.
   *
   * @param access an {@code i64} or {@code f64} load or store of this function
   * @param value for a store, the value it stores instead, of the other type; null for a load
   * @return the retyped instruction, to take the place of {@code access}
   * @throws IllegalArgumentException if {@code access} is no 8-byte load or store, or
   *     {@code value} does not fit it
   */
  public Instruction retypedAccess(Instruction access, Value value) {
    boolean store = access.opcode() == Opcode.STORE;
    if (!store && access.opcode() != Opcode.LOAD || access.memType().width() != 8) {
      throw new IllegalArgumentException(access + " is no 8-byte load or store");
    }
    MemType to = access.memType() == MemType.I64 ? MemType.F64 : MemType.I64;
    if (store != (value != null) || store && value.type() != to.type()) {
      throw new IllegalArgumentException("a retyped " + access.opcode().mnemonic() + " as " + to
          + " takes " + (store ? "a " + to.type() + " value" : "no value") + ", not " + value);
    }
    Value[] args = access.args().toArray(new Value[0]);
    if (store) {
      args[0] = value;
    }
    Address address = access.address();
    Instruction retyped = new Instruction(access.opcode(), store ? null : newValue(to.type()), args,
        address.offset(), to, access.memory(), address.scale(), null, access.position());
    return withMarksOf(access, retyped);
  }

  /**
   * A copy of {@code inst} with a new result value (recorded in {@code renamed}) whose operands
   * and branch arguments are taken from {@code renamed} where it has them: to duplicate a block.
   *
   * @param inst an instruction of this function
   * @param renamed by {@link Value#id()}, the value to use instead (null: the same value); as
   *     long as {@link #valueCount()} was before the copies
   * @return the copy, to be placed in a block
   */
  public Instruction duplicate(Instruction inst, Value[] renamed) {
    Value result = inst.result() == null ? null : newValue(inst.result().type());
    Instruction copy = inst.renamed(result, renamed);
    if (result != null) {
      renamed[inst.result().id()] = result;
    }
    return copy;
  }

  /**
   * A new {@code trap code} (a terminator), not yet placed in a block.
   *
   * @param code the trap code reported to the front end
   * @param position its position, or {@link Instruction#NO_POSITION}
   * @return the instruction, to end a block
   */
  public Instruction newTrap(int code, int position) {
    return new Instruction(Opcode.TRAP, null, Instruction.NO_VALUES, code, null, null, 1, null,
        position);
  }

  /**
   * A copy of {@code inst}, which is not a terminator, with a new result value, not yet placed in
   * a block: the same operation on the same operands, from the same origin.
   *
   * @param inst an instruction of this function with a result
   * @return the copy, to be inserted into a block
   */
  public Instruction newCopy(Instruction inst) {
    if (inst.result() == null || inst.opcode().isTerminator()) {
      throw new IllegalArgumentException("only an instruction with a result is copied: " + inst);
    }
    return inst.withResult(newValue(inst.result().type()));
  }

  /**
   * A new {@code select c, yes, no} with a new result value of their type, not yet placed in a
   * block.
   *
   * @param c the i64 condition
   * @param yes the result when {@code c != 0}
   * @param no the result when {@code c == 0}, of the type of {@code yes}
   * @param position its position, or {@link Instruction#NO_POSITION}
   * @return the instruction, to be inserted into a block
   */
  public Instruction newSelect(Value c, Value yes, Value no, int position) {
    return new Instruction(Opcode.SELECT, newValue(yes.type()), new Value[] {c, yes, no}, 0, null,
        null, 1, null, position);
  }

  /**
   * Replaces every use of a value {@code v} (operands and branch arguments) by
   * {@code replacement[v.id()]} where that is not null, following chains (a replacement that
   * is itself replaced).
   *
   * @param replacement indexed by {@link Value#id()}; may be shorter than {@link #valueCount()}
   */
  public void replaceUses(Value[] replacement) {
    for (int b = 0; b < blocks.size(); b++) { // no iterator to allocate in C1-compiled code
      replaceUses(blocks.get(b), replacement);
    }
  }

  /**
   * Like {@link #replaceUses(Value[])}, in the instructions of block {@code b} only.
   *
   * @param b a block of this function
   * @param replacement indexed by {@link Value#id()}; may be shorter than {@link #valueCount()}
   */
  public void replaceUses(Block b, Value[] replacement) {
    for (int n = 0; n < b.instructions.size(); n++) {
      Instruction inst = b.instructions.get(n);
      for (int i = 0; i < inst.args.length; i++) {
        inst.args[i] = resolve(inst.args[i], replacement);
      }
      if (inst.targets != null) {
        for (BlockCall call : inst.targets) {
          ArrayList<Value> args = call.args;
          for (int i = 0; i < args.size(); i++) { // no lambda per branch, as replaceAll takes
            args.set(i, resolve(args.get(i), replacement));
          }
        }
      }
    }
  }

  /**
   * What {@code v} stands for under {@code replacement}, followed through chains, as {@link
   * #replaceUses(Value[])} applies it.
   *
   * @param v a value
   * @param replacement indexed by {@link Value#id()}; may be shorter than {@link #valueCount()}
   * @return the last value of {@code v}'s chain of replacements, or {@code v} itself
   */
  public static Value resolve(Value v, Value[] replacement) {
    while (v.id() < replacement.length && replacement[v.id()] != null) {
      v = replacement[v.id()];
    }
    return v;
  }

  /**
   * A new block without parameters or instructions, placed in the layout just before
   * {@code next}.
   *
   * @param next a block of this function
   * @return the new block
   */
  public Block newBlockBefore(Block next) {
    Block block = new Block(this, blockCount++);
    blocks.add(layoutIndex(next), block);
    cfgChanged();
    return block;
  }

  /**
   * A new block without parameters or instructions, placed in the layout just after
   * {@code previous}.
   *
   * @param previous a block of this function
   * @return the new block
   */
  public Block newBlockAfter(Block previous) {
    Block block = new Block(this, blockCount++);
    blocks.add(layoutIndex(previous) + 1, block);
    cfgChanged();
    return block;
  }

  /**
   * The index of {@code b} in the layout, -1 if it is not there: compared by identity, not by
   * {@code indexOf}'s {@code equals} call on each block, which C1-compiled code does not inline.
   */
  private int layoutIndex(Block b) {
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i) == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Splits {@code block} after instruction {@code index}: the instructions after it move to a new
   * block without parameters placed right after it in the layout, to which it now jumps.
   *
   * @param block a block of this function
   * @param index the index of one of its instructions other than the terminator
   * @return the new block
   */
  public Block splitAfter(Block block, int index) {
    if (index < 0 || index >= block.instructions.size() - 1) {
      throw new IllegalArgumentException(block + " has no instruction " + index
          + " before its terminator");
    }
    Block rest = newBlockAfter(block);
    List<Instruction> after = block.instructions.subList(index + 1, block.instructions.size());
    rest.instructions.addAll(after);
    after.clear();
    block.lastChanged();
    block.instructions.add(Instruction.jump(rest, List.of(), Instruction.NO_POSITION));
    opcodes |= bit(Opcode.JUMP);
    return rest;
  }

  /**
   * Splits the entry block so that the function's start can be branched to (the entry itself
   * may not be): a new block placed right after the entry takes over its instructions, with
   * parameters of the same types that replace the entry's parameters in them, and the entry
   * becomes a jump to it passing its own parameters.
   *
   * @return the new block
   */
  public Block splitEntry() {
    Block entry = entry();
    Block start = new Block(this, blockCount++);
    blocks.add(1, start);
    Value[] replacement = new Value[valueCount];
    for (Value p : entry.params) {
      Value q = newValue(p.type());
      start.params.add(q);
      replacement[p.id()] = q;
    }
    start.instructions.addAll(entry.instructions);
    entry.instructions.clear();
    entry.lastChanged();
    replaceUses(replacement);
    entry.instructions.add(Instruction.jump(start, entry.params, Instruction.NO_POSITION));
    opcodes |= bit(Opcode.JUMP);
    cfgChanged();
    return start;
  }

  /**
   * Inlines the {@code call} at {@code index} of {@code block}: the instructions after it move to a
   * new block whose parameter is the call's result value, and the callee's blocks, copied with
   * fresh values and the arguments in place of its parameters, go between the two, each copied
   * instruction remembering the callee as its {@link Instruction#origin()}. The call's depth
   * check stays: {@code depth_enter} of the callee's levels at the call's position before the
   * body, {@code depth_leave} of them before each of its returns, which jump to the new block;
   * or, when the body makes no call and has no depth instruction (nothing in it could observe
   * the depth), right after the {@code depth_enter}.
   *
   * @param block a block of this function
   * @param index the index of a {@code call} of another function of the module, one with a
   *     {@code return}, in it
   * @return the new block holding the instructions that followed the call
   */
  public Block inlineCall(Block block, int index) {
    Instruction call = block.instructions.get(index);
    if (call.callee() == this) {
      throw new IllegalArgumentException(call + " is a call of " + this
          + " itself: inline it from a bodyCopy()");
    }
    return inlineCall(block, index, call.callee() instanceof Function f ? f : null);
  }

  /**
   * A copy of this function's body as it is now, outside the module (which does not list it), for
   * {@link #inlineCall(Block, int, Function)} to inline calls of this function into itself: each
   * level of such inlining copies the body as it was before the first.
   *
   * @return the copy, with the same name, signature, levels, blocks and values
   */
  public Function bodyCopy() {
    Function copy = new Function(module, name, signature, index);
    copyInto(copy);
    return copy;
  }

  /** Whether a block of this function returns. */
  private boolean returns() {
    for (Block b : blocks) {
      if (b.terminator().opcode() == Opcode.RETURN) {
        return true;
      }
    }
    return false;
  }

  /**
   * As {@link #inlineCall(Block, int)}, copying {@code body} in place of the callee: the callee
   * itself, or for a call of this function a {@link #bodyCopy()} of it. The copied instructions
   * remember the callee (not the body copy) as their origin.
   *
   * @param block a block of this function
   * @param index the index of a {@code call} of a function of the module, one with a {@code
   *     return}, in it
   * @param body the callee, or a {@link #bodyCopy()} of this function if it is the callee
   * @return the new block holding the instructions that followed the call
   */
  public Block inlineCall(Block block, int index, Function body) {
    Instruction call = block.instructions.get(index);
    if (call.opcode() != Opcode.CALL || !(call.callee() instanceof Function original)
        || original.module() != module) {
      throw new IllegalArgumentException(call + " is not a call of a function of " + module);
    }
    boolean bodyOfCallee = original == this
        ? body != null && body != this && body.module == module && body.index == this.index
        : body == original;
    if (!bodyOfCallee) {
      throw new IllegalArgumentException((body == null ? "no body" : "the body of " + body)
          + " given to inline " + call + (original == this ? " (a bodyCopy() is needed)" : ""));
    }
    Function callee = body;
    if (!callee.returns()) {
      throw new IllegalArgumentException(callee + " never returns: the code after " + call
          + " would be unreachable");
    }
    Function origin = call.origin;
    List<Block> layout = new ArrayList<>();
    Block[] blockCopies = new Block[callee.blockCount];
    for (Block b : callee.blocks) {
      Block c = new Block(this, blockCount++);
      blockCopies[b.id()] = c;
      layout.add(c);
    }
    Value[] valueCopies = new Value[callee.valueCount];
    for (int i = 0; i < call.args.length; i++) {
      valueCopies[callee.entry().params.get(i).id()] = call.args[i];
    }
    for (Block b : callee.blocks) {
      for (Value p : b == callee.entry() ? List.<Value>of() : b.params) {
        Value q = newValue(p.type());
        valueCopies[p.id()] = q;
        blockCopies[b.id()].params.add(q);
      }
      for (Instruction inst : b.instructions) {
        if (inst.result() != null) {
          valueCopies[inst.result().id()] = newValue(inst.result().type());
        }
      }
    }
    Block rest = new Block(this, blockCount++);
    if (call.result() != null) {
      rest.params.add(call.result());
      call.result().definition = null; // a parameter from now on
    }
    List<Instruction> after = block.instructions.subList(index, block.instructions.size());
    rest.instructions.addAll(after.subList(1, after.size()));
    after.clear();
    block.lastChanged();
    Instruction levels = newConstant(Type.I64, callee.levels);
    Instruction enter = Instruction.depthEnter(callee.levels, call.position());
    enter.origin = origin;
    block.instructions.add(enter);
    block.instructions.add(levels);
    // only calls and depth instructions see the depth: a body without them gives it back at once
    boolean leaveAtOnce = !touchesDepth(callee);
    if (leaveAtOnce) {
      block.instructions.add(Instruction.depthLeave(levels.result()));
    }
    block.instructions.add(Instruction.jump(blockCopies[callee.entry().id()], List.of(),
        Instruction.NO_POSITION));
    for (Block b : callee.blocks) {
      List<Instruction> code = blockCopies[b.id()].instructions;
      for (Instruction inst : b.instructions) {
        Instruction c = inst.copy(valueCopies, blockCopies, module);
        c.origin = inst.origin != null ? inst.origin : original;
        if (c.opcode() == Opcode.RETURN) {
          if (!leaveAtOnce) {
            code.add(Instruction.depthLeave(levels.result()));
          }
          c = Instruction.jump(rest, c.args(), inst.position());
        }
        code.add(c);
      }
    }
    layout.add(rest);
    blocks.addAll(layoutIndex(block) + 1, layout);
    opcodes |= callee.opcodes | bit(Opcode.DEPTH_ENTER) | bit(Opcode.ICONST) | bit(Opcode.JUMP)
        | bit(Opcode.DEPTH_LEAVE);
    cfgChanged();
    return rest;
  }

  /** Whether {@code f} calls anything or changes the call depth itself. */
  private static boolean touchesDepth(Function f) {
    for (Block b : f.blocks) {
      for (Instruction inst : b.instructions) {
        Opcode op = inst.opcode();
        if (op == Opcode.CALL || op == Opcode.CALL_INDIRECT || op == Opcode.DEPTH_ENTER
            || op == Opcode.DEPTH_LEAVE) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Removes the blocks no path from the entry reaches. It asks the {@link DominatorTree}, which
   * lists the reachable blocks and stays valid without the others, so passes after it share it.
   */
  public void removeUnreachableBlocks() {
    DominatorTree dom = DominatorTree.of(this);
    if (dom.reversePostorder().size() < blocks.size()) {
      int kept = 0;
      for (int i = 0; i < blocks.size(); i++) {
        if (dom.reachable(blocks.get(i))) {
          blocks.set(kept++, blocks.get(i));
        }
      }
      blocks.subList(kept, blocks.size()).clear();
    }
  }

  /**
   * Removes the parameters whose {@link Value#id()} is in {@code dead} from every block but the
   * entry, with the arguments every branch passes to them. The removed values must be unused.
   *
   * @param dead the ids of the parameters to remove
   */
  public void removeParams(BitSet dead) {
    // the blocks losing a parameter: only the edges into them lose arguments
    boolean[] losing = new boolean[blockCount];
    for (int b = 1; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      List<Value> params = block.params;
      for (int i = 0; i < params.size() && !losing[block.id()]; i++) {
        losing[block.id()] = dead.get(params.get(i).id());
      }
    }
    for (int b = 0; b < blocks.size(); b++) {
      Instruction t = blocks.get(b).terminator();
      if (t == null || t.targets == null) {
        continue;
      }
      for (BlockCall call : t.targets) {
        if (losing[call.target().id()]) {
          removeDead(call.target().params, call.args, dead);
        }
      }
    }
    for (int b = 1; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      if (losing[block.id()]) {
        removeDead(block.params, block.params, dead);
      }
    }
  }

  /** Removes from {@code list} the elements at the places of the parameters in {@code dead}. */
  private static void removeDead(List<Value> params, List<Value> list, BitSet dead) {
    for (int i = params.size() - 1; i >= 0; i--) { // no lambda per list, as removeIf takes
      if (dead.get(params.get(i).id())) {
        list.remove(i);
      }
    }
  }


  /**
   * Names blocks and values by their place in the layout: block0, block1, ...; v0, v1, ...
   * (as printing canonically does; for a pass that wants its result's names tidy).
   */
  public void renumber() {
    int values = 0;
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      block.number = b;
      for (Value p : block.params) {
        p.number = values++;
      }
      for (Instruction inst : block.instructions) {
        if (inst.result() != null) {
          inst.result().number = values++;
        }
      }
    }
  }

  /** {@code @name}. */
  @Override
  public String toString() {
    return "@" + name;
  }
}
