package dev.kiln.ir;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The checks that a dominating check has made already (a trap ends the call, so every path to an
 * instruction passed each dominating one without trapping): a load or store whose bytes lie inside
 * those of a dominating access of the same memory, base, index, scale and offset (its address is
 * the same value and inside the memory; a base or index that is an {@code iconst} counts as its
 * constant, and a base {@code vB = iadd vA, C} with {@code C} an {@code iconst} counts as
 * {@code vA} with {@code C} more offset, so that {@code [vB - C]} and {@code [vA]} are one
 * address). One preorder walk of the dominator tree with scoped tables, so linear.
 */
public final class DominatingChecks {
  /**
   * The covered accesses, by place: bit {@code firstBit[b.id()] + i} for instruction {@code i} of
   * block {@code b}, whose {@code firstBit} is -1 while it is not visited (unreachable blocks).
   */
  private final BitSet coveredAccesses = new BitSet();
  private final int[] firstBit;
  private int bits;
  /** The widest checked access at each address on the path from the entry. */
  private final CheckedWidths checkedWidth = new CheckedWidths();
  /**
   * The {@code iconst} defining each value id, recorded as the walk meets it: before every use it
   * dominates, so before every use of a function whose definitions dominate their uses.
   */
  private final Instruction[] constant;
  /**
   * By value id, for a value {@code iadd vA, C} (recorded as the walk meets it): the value its
   * chain of such steps starts at (null: none) and the sum of their constants.
   */
  private final Value[] stepRoot;
  private final long[] stepDelta;

  private DominatingChecks(Function f) {
    constant = new Instruction[f.valueCount()];
    stepRoot = new Value[f.valueCount()];
    stepDelta = new long[f.valueCount()];
    firstBit = new int[f.blockCount()];
    Arrays.fill(firstBit, -1);
  }

  /**
   * Finds the checks of {@code f}'s reachable blocks that dominating ones made already.
   *
   * @param f a function that passes the verifier's structural checks
   * @param dom its dominator tree
   * @return the checks found
   */
  public static DominatingChecks of(Function f, DominatorTree dom) {
    DominatingChecks c = new DominatingChecks(f);
    // an iterative preorder walk; each block's changes to the table are undone when it is done
    int n = f.blockCount();
    Block[] stack = new Block[n];
    int[] next = new int[n];
    int[] changesBefore = new int[n];
    int depth = 0;
    Block b = f.entry();
    while (b != null || depth > 0) {
      if (b != null) {
        stack[depth] = b;
        next[depth] = 0;
        changesBefore[depth] = c.checkedWidth.changes();
        depth++;
        c.visit(b);
      }
      int top = depth - 1;
      List<Block> kids = dom.children(stack[top]);
      int k = next[top];
      if (k < kids.size()) {
        next[top] = k + 1;
        b = kids.get(k);
      } else {
        c.checkedWidth.undo(changesBefore[top]);
        depth = top;
        b = null;
      }
    }
    return c;
  }

  /**
   * Whether a dominating access (or one earlier in the block) of the same memory and address
   * operands checked bytes that include all of {@code b}'s instruction {@code index}, a load or
   * store, so it cannot trap.
   *
   * @param b a block of the function
   * @param index the access's index in {@code b}
   * @return whether it is covered
   */
  public boolean covered(Block b, int index) {
    return firstBit[b.id()] >= 0 && coveredAccesses.get(firstBit[b.id()] + index);
  }

  /**
   * The first covered access of {@code b} at or after {@code index} ({@link #covered}), so that
   * a caller marking them visits no other instruction.
   *
   * @param b a block of the function
   * @param index where to start in {@code b}
   * @return the index of that access in {@code b}, or -1 if there is none
   */
  public int nextCovered(Block b, int index) {
    int first = firstBit[b.id()];
    if (first < 0) {
      return -1;
    }
    int bit = coveredAccesses.nextSetBit(first + index);
    return bit >= 0 && bit < first + b.instructions.size() ? bit - first : -1;
  }

  /** Records the checks of {@code b} in the table. */
  private void visit(Block b) {
    List<Instruction> insts = b.instructions;
    firstBit[b.id()] = bits;
    bits += insts.size();
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      Opcode op = inst.opcode();
      if (op == Opcode.ICONST) {
        constant[inst.result().id()] = inst;
      } else if (op == Opcode.IADD) {
        step(inst);
      } else if (op == Opcode.LOAD || op == Opcode.STORE) {
        check(inst, firstBit[b.id()] + i);
      }
    }
  }

  /** Records {@code inst}, an {@code iadd}, as a step from its root if it adds a constant. */
  private void step(Instruction inst) {
    Instruction c = constant[inst.args[1].id()];
    if (c == null) {
      return;
    }
    Value from = inst.args[0];
    Value root = stepRoot[from.id()];
    int r = inst.result().id();
    stepRoot[r] = root != null ? root : from;
    stepDelta[r] = (root != null ? stepDelta[from.id()] : 0) + c.immediate();
  }

  /**
   * Notes the check of access {@code inst} at bit {@code place}: covered if its address had as
   * many bytes checked, else the widest there now. Its base and index count as the constants
   * they are, if they are {@code iconst}s (passes give each block its own copy of a constant),
   * and a base that steps from a root by constants as that root, its steps added to the offset.
   */
  private void check(Instruction inst, int place) {
    int first = inst.opcode() == Opcode.STORE ? 1 : 0;
    Value baseValue = inst.args[first];
    Value indexValue = inst.args.length > first + 1 ? inst.args[first + 1] : null;
    long offset = inst.immediate();
    Value root = stepRoot[baseValue.id()];
    long stepped = offset + stepDelta[baseValue.id()];
    if (root != null && stepped == (int) stepped) {
      offset = stepped;
      baseValue = root;
    }
    Instruction b = constant[baseValue.id()];
    Instruction i = indexValue == null ? null : constant[indexValue.id()];
    int mem = inst.memory().index();
    long base = b != null ? b.immediate() : baseValue.id();
    long index = i != null ? i.immediate() : indexValue == null ? -1 : indexValue.id();
    int kinds = (b != null ? 1 : 0) | (i != null ? 2 : 0) | inst.scale() << 2;
    int w = inst.memType().width();
    if (checkedWidth.get(mem, base, index, kinds, (int) offset) >= w) {
      coveredAccesses.set(place);
    } else {
      checkedWidth.put(mem, base, index, kinds, (int) offset, w);
    }
  }
}
