package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks that a dominating check has made already (a trap ends the call, so every path to an
 * instruction passed each dominating one without trapping): a load or store whose bytes lie inside
 * those of a dominating access of the same memory, base, index, scale and offset (its address is
 * the same value and inside the memory; a base or index that is an {@code iconst} counts as its
 * constant). One preorder walk of the dominator tree with scoped tables, so linear.
 */
public final class DominatingChecks {
  /**
   * The address of an access: its base and index as value ids, or as the constants they are
   * (passes give each block its own copy of a constant). A class, not a record: no
   * invokedynamic on cold paths.
   */
  private static final class Key {
    private final Memory memory;
    private final long base;
    private final long index;
    /** Bit 0: the base is a constant; bit 1: the index is; then the scale from bit 2 on. */
    private final int kinds;
    private final int offset;

    Key(Instruction access, Instruction[] definition) {
      Address ad = access.address();
      Instruction b = definition[ad.base().id()];
      Instruction i = ad.index() == null ? null : definition[ad.index().id()];
      this.memory = access.memory();
      this.base = b != null ? b.immediate() : ad.base().id();
      this.index = i != null ? i.immediate() : ad.index() == null ? -1 : ad.index().id();
      this.kinds = (b != null ? 1 : 0) | (i != null ? 2 : 0) | ad.scale() << 2;
      this.offset = ad.offset();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && memory == k.memory && base == k.base && index == k.index
          && kinds == k.kinds && offset == k.offset;
    }

    @Override
    public int hashCode() {
      long h = (base * 31 + index) * 31 + offset;
      return (int) (h ^ (h >>> 32)) * 31 + kinds + memory.index();
    }
  }

  /**
   * The covered accesses, by place: bit {@code firstBit[b.id()] + i} for instruction {@code i} of
   * block {@code b}, whose {@code firstBit} is -1 while it is not visited (unreachable blocks).
   */
  private final BitSet coveredAccesses = new BitSet();
  private final int[] firstBit;
  private int bits;
  /** The widest checked access at each address on the path from the entry. */
  private final Map<Key, Integer> checkedWidth = new HashMap<>();
  /** What the blocks on that path changed, oldest first: each key with its former width. */
  private final List<Key> changedKeys = new ArrayList<>();
  private final List<Integer> formerWidths = new ArrayList<>();
  /**
   * The {@code iconst} defining each value id, recorded as the walk meets it: before every use it
   * dominates, so before every use of a function whose definitions dominate their uses.
   */
  private final Instruction[] constant;

  private DominatingChecks(Function f) {
    constant = new Instruction[f.valueCount()];
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
    // an iterative preorder walk; each block's changes to the tables are undone when it is done
    List<Block> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    List<Integer> keysBefore = new ArrayList<>();
    Block b = f.entry();
    while (b != null || !stack.isEmpty()) {
      if (b != null) {
        stack.add(b);
        next.add(0);
        keysBefore.add(c.changedKeys.size());
        c.visit(b);
      }
      int top = stack.size() - 1;
      List<Block> kids = dom.children(stack.get(top));
      int k = next.get(top);
      if (k < kids.size()) {
        next.set(top, k + 1);
        b = kids.get(k);
      } else {
        c.restore(keysBefore.get(top));
        stack.remove(top);
        next.remove(top);
        keysBefore.remove(top);
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

  /** Records the checks of {@code b}, noting what it changes in the tables. */
  private void visit(Block b) {
    List<Instruction> insts = b.instructions;
    firstBit[b.id()] = bits;
    bits += insts.size();
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      Opcode op = inst.opcode();
      if (op == Opcode.ICONST) {
        constant[inst.result().id()] = inst;
      } else if (op == Opcode.LOAD || op == Opcode.STORE) {
        Key key = new Key(inst, constant);
        Integer width = checkedWidth.get(key);
        int w = inst.memType().width();
        if (width != null && width >= w) {
          coveredAccesses.set(firstBit[b.id()] + i);
        } else {
          checkedWidth.put(key, w);
          changedKeys.add(key);
          formerWidths.add(width);
        }
      }
    }
  }

  /** Undoes the changes to the tables back to the given sizes of the change lists. */
  private void restore(int keys) {
    for (int i = changedKeys.size() - 1; i >= keys; i--) {
      Integer width = formerWidths.remove(i);
      Key key = changedKeys.remove(i);
      if (width == null) {
        checkedWidth.remove(key);
      } else {
        checkedWidth.put(key, width);
      }
    }
  }
}
