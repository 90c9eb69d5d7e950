package dev.kiln.backend.lower;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A function after instruction selection: the IR's blocks numbered in the IR's order (linear
 * indexes, which the register allocator works on) and laid out in another order for emission, each instruction with
 * the machine-level choices made for it, over virtual registers (one per IR value, numbered by
 * {@link Value#id()}). An instruction's operands are read at its use point {@code 2 * index} and
 * its result is written at {@code 2 * index + 1}; a block's parameters are written at its own
 * index's def point, by the moves on its incoming edges.
 */
public final class MachineFunction {
  private final Function function;
  private final List<Block> order;
  private final List<Block> layout;
  /** Each block's position in {@link #layout}, by id. */
  private final int[] layoutIndex;
  private final BitSet loopTops;
  /** The ids of the loop headers whose back edges need no poll. */
  private final BitSet unpolled;
  private final int maxPadding;

  // What instruction selection chose and recorded, filled in by Lowering.
  final int[] blockIndex;
  /** The linear index of each block's own slot, by position in {@link #order}. */
  final int[] slots;
  /** The positions in {@link #order} of each block's successors, by position. */
  final int[][] successors;
  /** The linear index defining each value (its block's slot for a parameter), or -1. */
  final int[] definition;
  final Instruction[] code;
  /** Each linear index's opcode (null at a block's own slot) and result's id (or -1). */
  final Opcode[] opcodes;
  final int[] results;
  final int[] instructionBlock;
  /** Whether each value is an {@code iconst} that fits a sign-extended 32-bit immediate. */
  final boolean[] imm32;
  /** Whether each value is an {@code iconst}, of any width. */
  final boolean[] iconst;
  final boolean[] immediate;
  final boolean[] fused;
  final boolean[] testedBand;
  final boolean[] depthProbe;
  final boolean[] byteAdd;
  final int[] comparingBranch;
  final int[] comparedLoad;
  final int[] scalingAdd;
  final int[] scaledOperand;
  /** Whether each linear index's instruction is emitted by a later one ({@link #isEmittedLater}). */
  final boolean[] emittedLater;
  /**
   * Whether no register ever holds each value, by id: a constant every user takes as an
   * immediate, or the result of a compare fused with its branch or select, a band tested in
   * place or a product a lea adds, whose user reads its operands instead.
   */
  final boolean[] unmaterialized;
  /** The number of loads and stores of each memory of the module, by index. */
  final int[] memoryAccesses;
  /** Each value defined in the function (a block parameter or a result), by id. */
  final Value[] values;
  /** The value of each {@code iconst}, by value id. */
  final long[] constants;
  /** Whether each value defined in the function is an f64, by id. */
  final boolean[] f64;
  /**
   * The ids of the values each linear index reads: its instruction's operands, then from
   * {@code edgeArgumentStart[i]} on its edges' arguments, in {@code [useStart[i], useStart[i + 1])}
   * of {@code usedValues}. Kept flat, so that the allocator's walks over every use need not visit
   * each instruction's operand objects again.
   */
  final int[] useStart;
  final int[] edgeArgumentStart;
  int[] usedValues;
  /** The linear indexes of the calls, ascending. */
  int[] calls;

  /**
   * A function of {@code size} linear indexes with nothing chosen yet, which {@link Lowering}
   * fills in; its blocks numbered in the IR's order.
   */
  MachineFunction(Function function, List<Block> layout, int size, BitSet loopTops,
      BitSet unpolled, int maxPadding) {
    this.function = function;
    this.order = List.copyOf(function.blocks());
    this.layout = List.copyOf(layout);
    this.layoutIndex = new int[function.blockCount()];
    for (int k = 0; k < layout.size(); k++) {
      layoutIndex[layout.get(k).id()] = k;
    }
    this.loopTops = (BitSet) loopTops.clone();
    this.unpolled = (BitSet) unpolled.clone();
    this.maxPadding = maxPadding;
    int n = function.valueCount();
    blockIndex = new int[function.blockCount()];
    slots = new int[order.size()];
    successors = new int[order.size()][];
    definition = new int[n];
    Arrays.fill(definition, -1);
    code = new Instruction[size];
    opcodes = new Opcode[size];
    results = new int[size];
    instructionBlock = new int[size];
    imm32 = new boolean[n];
    iconst = new boolean[n];
    immediate = new boolean[n];
    fused = new boolean[size];
    testedBand = new boolean[size];
    depthProbe = new boolean[size];
    byteAdd = new boolean[size];
    comparingBranch = new int[size];
    comparedLoad = new int[size];
    scalingAdd = new int[size];
    scaledOperand = new int[size];
    emittedLater = new boolean[size];
    unmaterialized = new boolean[n];
    memoryAccesses = new int[function.module() == null ? 0 : function.module().memories().size()];
    values = new Value[n];
    constants = new long[n];
    f64 = new boolean[n];
    useStart = new int[size + 1];
    edgeArgumentStart = new int[size];
    usedValues = new int[2 * size];
  }

  /** The value numbered {@code id}. */
  public Value value(int id) {
    return values[id];
  }

  /** {@return whether the value numbered {@code id} is an f64} */
  public boolean isF64(int id) {
    return f64[id];
  }

  /**
   * The first of the uses of linear index {@code i} ({@link #usedValue}): its instruction's
   * operands, in order, then its edges' arguments ({@link #firstEdgeArgument}), target by target.
   *
   * @param i a linear index
   * @return the first of its uses; the next index's first ends them
   */
  public int firstUse(int i) {
    return useStart[i];
  }

  /**
   * The first of the uses of linear index {@code i} that is an edge's argument, not an operand.
   *
   * @param i a linear index
   * @return a use between {@link #firstUse} of {@code i} and of {@code i + 1}
   */
  public int firstEdgeArgument(int i) {
    return edgeArgumentStart[i];
  }

  /**
   * The id of the value read by use {@code u}.
   *
   * @param u a use, from {@link #firstUse}
   * @return a value id
   */
  public int usedValue(int u) {
    return usedValues[u];
  }

  /** {@return the value of the {@code iconst} defining {@code v}, or 0 for any other value} */
  public long constant(Value v) {
    return constants[v.id()];
  }

  /** {@return how many {@code call} and {@code call_indirect} instructions the function has} */
  public int callCount() {
    return calls.length;
  }

  /**
   * The call instruction numbered {@code k} in the order of the linear indexes.
   *
   * @param k from 0 to {@link #callCount()} (exclusive)
   * @return its linear index
   */
  public int call(int k) {
    return calls[k];
  }

  /** The IR function. */
  public Function function() {
    return function;
  }

  /** The blocks in the IR's order, which numbers the linear indexes. */
  public List<Block> order() {
    return order;
  }

  /** The blocks in the order their code is laid out. */
  public List<Block> layout() {
    return layout;
  }

  /**
   * The linear index of block {@code b}'s own slot (its parameters' definition point); its
   * instructions follow at the next indexes.
   */
  public int blockIndex(Block b) {
    return blockIndex[b.id()];
  }

  /**
   * The linear index of the own slot of the block at position {@code k} of {@link #order()}:
   * {@link #blockIndex} without reading the block.
   *
   * @param k a position in the order
   * @return the linear index of its slot
   */
  public int blockIndexAt(int k) {
    return slots[k];
  }

  /**
   * The number of successors of the block at position {@code k} of {@link #order()} (its
   * terminator's targets).
   *
   * @param k a position in the order
   * @return its successors, counted once per edge
   */
  public int successorCount(int k) {
    return successors[k].length;
  }

  /**
   * The position in {@link #order()} of target {@code t} of the terminator of the block at
   * position {@code k}.
   *
   * @param k a position in the order
   * @param t a target, from 0
   * @return the target's position
   */
  public int successor(int k, int t) {
    return successors[k][t];
  }

  /**
   * The linear index where value {@code id} is defined: its instruction, or its block's own
   * slot for a block parameter.
   *
   * @param id a value id
   * @return the linear index, or -1 for a value the function does not define
   */
  public int definition(int id) {
    return definition[id];
  }

  /** The instruction at linear index {@code i}, or {@code null} at a block's own slot. */
  public Instruction at(int i) {
    return code[i];
  }

  /**
   * The opcode of the instruction at linear index {@code i}, without visiting it.
   *
   * @param i a linear index
   * @return its opcode, or null at a block's own slot
   */
  public Opcode opcodeAt(int i) {
    return opcodes[i];
  }

  /**
   * The id of the result of the instruction at linear index {@code i}, without visiting it.
   *
   * @param i a linear index
   * @return a value id, or -1 for an instruction without a result or a block's own slot
   */
  public int resultAt(int i) {
    return results[i];
  }

  /** The number of linear indexes (blocks and instructions). */
  public int size() {
    return code.length;
  }

  /** The position in {@link #order()} of the block holding linear index {@code i}. */
  public int blockAt(int i) {
    return instructionBlock[i];
  }

  /**
   * Whether value {@code v} is an {@code iconst} that every user takes as an immediate operand, so
   * that it needs no register.
   */
  public boolean isImmediate(Value v) {
    return immediate[v.id()];
  }

  /**
   * Whether no register ever holds value {@code id}, so that it gets no live interval: a
   * constant every user takes as an immediate ({@link #isImmediate}), or the result of a fused
   * compare, a tested band or a product a lea adds ({@link #scalingAdd}), whose only user reads
   * its operands instead.
   *
   * @param id a value's id
   * @return whether it is never in a register
   */
  public boolean isUnmaterialized(int id) {
    return unmaterialized[id];
  }

  /**
   * Whether operand {@code i} of {@code inst} is encoded as an immediate (a folded
   * {@code iconst}).
   */
  public boolean isImmediateOperand(Instruction inst, int i) {
    int v = inst.arg(i).id();
    return (imm32[v] || iconst[v] && Lowering.takesImm64(inst, i)) && Lowering.foldable(inst, i);
  }

  /**
   * Whether the {@code icmp} (or {@code load}) at linear index {@code i} is fused with the
   * {@code brif} or {@code select} (only a {@code brif} for a load) that follows it: it emits
   * nothing, and that instruction compares its operands (the loaded memory with 0) and jumps or
   * moves on its condition.
   */
  public boolean isFusedCompare(int i) {
    return fused[i];
  }

  /**
   * Whether the instruction at linear index {@code i} is a {@code band} whose only use is the
   * fused compare with 0 right after it, or the condition of the {@code brif} or {@code select}
   * right after it: it emits nothing, and that branch or select tests its operands
   * ({@code test x, y}).
   */
  public boolean isTestedBand(int i) {
    return testedBand[i];
  }

  /**
   * Whether the instruction at linear index {@code i} is a {@code depth_enter} undone by the
   * {@code depth_leave} right after it: the pair only tests that the levels are left, and the
   * {@code depth_leave} emits nothing.
   */
  public boolean isDepthProbe(int i) {
    return depthProbe[i];
  }

  /**
   * Whether the instruction at linear index {@code i} is part of an add to a byte in memory: an
   * {@code inbounds} {@code load} of one byte, an {@code iadd} of it and an immediate or another
   * value, and an {@code inbounds} {@code store} of one byte of the sum to the same address, each
   * value used only by the next. The load and the add emit nothing; the store emits
   * {@code add byte [m], imm} or {@code add byte [m], r8}, reading the other value there.
   */
  public boolean isByteAdd(int i) {
    return byteAdd[i];
  }

  /**
   * Whether the instruction at linear index {@code i} is an i64 {@code load} whose only use is
   * the {@code icmp} after it (only immediates between), fused with the {@code brif} after
   * that, or the length of the {@code bounds_check} right after it: the load emits nothing, and
   * the branch or check checks its address and compares with the memory operand.
   *
   * @param i a linear index
   * @return whether the load's value is compared in memory
   */
  public boolean isLoadCompare(int i) {
    return comparingBranch[i] > 0;
  }

  /**
   * The linear index of the {@code brif} or {@code bounds_check} that compares the memory
   * operand of the load at linear index {@code i} ({@link #isLoadCompare}), or 0 if that is no
   * such load.
   *
   * @param i a linear index
   * @return the branch's linear index, or 0
   */
  public int comparingBranch(int i) {
    return comparingBranch[i];
  }

  /**
   * The linear index of the load whose memory operand the {@code brif} or {@code bounds_check}
   * at linear index {@code i} compares ({@link #isLoadCompare}), or 0 if it compares registers
   * or immediates.
   *
   * @param i a linear index
   * @return the load's linear index, or 0
   */
  public int comparedLoad(int i) {
    return comparedLoad[i];
  }

  /**
   * The number of loads and stores of memory {@code index} of the module in this function.
   *
   * @param index a memory's index
   * @return its loads and stores
   */
  public int memoryAccesses(int index) {
    return index < memoryAccesses.length ? memoryAccesses[index] : 0;
  }

  /**
   * The linear index of the {@code imul} by 3, 5 or 9 or {@code ishl} by 1 to 3 that the
   * {@code iadd} at linear index {@code i} computes with it in one {@code lea} (the product's
   * only use; only immediates between them), or 0 if it is a plain add. The product emits
   * nothing, and its operand is read at the add.
   *
   * @param i a linear index
   * @return the product's linear index, or 0
   */
  public int scaledOperand(int i) {
    return scaledOperand[i];
  }

  /**
   * The linear index of the {@code iadd} that computes the product at linear index {@code i}
   * with itself ({@link #scaledOperand}), or 0 if the product stands alone.
   *
   * @param i a linear index
   * @return the add's linear index, or 0
   */
  public int scalingAdd(int i) {
    return scalingAdd[i];
  }

  /**
   * Whether the instruction at linear index {@code i} emits no code of its own, because a later
   * instruction reads its operands and emits both: a fused compare, a tested band, a load compared
   * in memory, a product a lea adds, or the load or add of a byte add (whose store emits it).
   *
   * @param i a linear index
   * @return whether emission skips it
   */
  public boolean isEmittedLater(int i) {
    return emittedLater[i];
  }

  /**
   * Whether the edge from block {@code from} to {@code to} polls: it goes backwards in the IR's
   * block order, where the interpreter polls (whatever the machine layout), into a loop that
   * may run long.
   */
  public boolean polls(Block from, Block to) {
    return blockAt(blockIndex(to)) <= blockAt(blockIndex(from)) && !unpolled.get(to.id());
  }

  /** {@return the block laid out right after {@code b}, or null if {@code b} is the last} */
  public Block nextInLayout(Block b) {
    int k = layoutIndex[b.id()] + 1;
    return k < layout.size() ? layout.get(k) : null;
  }

  /**
   * The most bytes of NOPs that may align block {@code b} to 16 bytes: 0 unless it is the top of
   * a loop.
   */
  public int alignmentPadding(Block b) {
    return loopTops.get(b.id()) ? maxPadding : 0;
  }
}
