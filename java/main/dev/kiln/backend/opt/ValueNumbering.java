package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Dominator-based global value numbering: walking the dominator tree, a pure instruction equal to
 * one in a dominating block (same opcode, immediates and operands, the operands of commutative
 * integer instructions in either order) is removed and its uses take the earlier result. Loads
 * are left alone (a store or call in between could change what they read); so is everything
 * that may trap or has a side effect.
 */
public final class ValueNumbering implements Pass {
  @Override
  public String name() {
    return "gvn";
  }

  /**
   * What makes two pure instructions compute the same value. A class, not a record: a record's
   * equals and hashCode bootstrap through invokedynamic, which costs a cold compile dearly.
   */
  private static final class Key {
    private final Opcode opcode;
    private final Type type;
    private final Object kind;
    private final Object target;
    private final long immediate;
    private final int a;
    private final int b;
    private final int c;

    Key(Opcode opcode, Type type, Object kind, Object target, long immediate, int a, int b,
        int c) {
      this.opcode = opcode;
      this.type = type;
      this.kind = kind;
      this.target = target;
      this.immediate = immediate;
      this.a = a;
      this.b = b;
      this.c = c;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && opcode == k.opcode && type == k.type && kind == k.kind
          && target == k.target && immediate == k.immediate && a == k.a && b == k.b && c == k.c;
    }

    @Override
    public int hashCode() {
      long h = opcode.ordinal() * 31L + Long.hashCode(immediate);
      h = h * 31 + a;
      h = h * 31 + b;
      h = h * 31 + c;
      return (int) (h ^ (h >>> 32)) + (kind == null ? 0 : kind.hashCode());
    }
  }

  @Override
  public void run(Function f) {
    DominatorTree dom = DominatorTree.of(f);
    Definitions defs = new Definitions(f);
    Value[] replacement = new Value[f.valueCount()];
    BitSet removed = new BitSet(f.valueCount());
    Map<Key, Value> available = new HashMap<>();
    // an iterative preorder walk of the dominator tree; each block's keys leave when it is done
    List<Block> stack = new ArrayList<>();
    List<List<Key>> added = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    stack.add(f.entry());
    added.add(number(f.entry(), defs, available, replacement, removed));
    next.add(0);
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      List<Block> kids = dom.children(stack.get(top));
      int k = next.get(top);
      if (k < kids.size()) {
        next.set(top, k + 1);
        Block child = kids.get(k);
        stack.add(child);
        added.add(number(child, defs, available, replacement, removed));
        next.add(0);
      } else {
        for (Key key : added.get(top)) {
          available.remove(key);
        }
        stack.remove(top);
        added.remove(top);
        next.remove(top);
      }
    }
    if (!removed.isEmpty()) {
      Predicate<Instruction> isRemoved = inst -> inst.result() != null
          && removed.get(inst.result().id()); // one for all blocks
      for (Block b : f.blocks()) {
        b.removeIf(isRemoved);
      }
      f.replaceUses(replacement);
    }
  }

  /** Numbers {@code b}'s pure instructions; returns the keys it made available. */
  private static List<Key> number(Block b, Definitions defs, Map<Key, Value> available,
      Value[] replacement, BitSet removed) {
    List<Key> added = new ArrayList<>();
    for (Instruction inst : b.instructions()) {
      Value r = inst.result();
      if (r == null || inst.opcode() == Opcode.LOAD || !Effects.isPure(inst, defs)) {
        continue;
      }
      Key key = key(inst, replacement);
      Value earlier = available.get(key);
      if (earlier != null) {
        replacement[r.id()] = earlier;
        removed.set(r.id());
      } else {
        available.put(key, r);
        added.add(key);
      }
    }
    return added;
  }

  private static Key key(Instruction inst, Value[] replacement) {
    int[] ids = {-1, -1, -1};
    for (int i = 0; i < inst.argCount(); i++) {
      ids[i] = Function.resolve(inst.arg(i), replacement).id();
    }
    if (commutative(inst) && ids[0] > ids[1]) {
      int t = ids[0];
      ids[0] = ids[1];
      ids[1] = t;
    }
    Object kind = switch (inst.opcode().format()) {
      case COMPARE -> inst.opcode() == Opcode.ICMP ? inst.intCond() : inst.floatCond();
      case BITCAST -> inst.bitcastType();
      default -> null;
    };
    Object target = inst.opcode() == Opcode.FUNC_REF ? inst.callee() : null;
    return new Key(inst.opcode(), inst.result().type(), kind, target, inst.immediate(), ids[0],
        ids[1], ids[2]);
  }

  /** Integer operations whose operands may swap (float ones keep their order: NaN operands). */
  private static boolean commutative(Instruction inst) {
    return switch (inst.opcode()) {
      case IADD, IMUL, SMULHI, UMULHI, BAND, BOR, BXOR -> true;
      case ICMP -> inst.intCond() == IntCond.EQ || inst.intCond() == IntCond.NE;
      default -> false;
    };
  }
}
