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
 * integer instructions in either order) is removed and its uses take the earlier result. So is
 * an {@code invariant} load equal to an invariant load in a dominating block (same memory, type,
 * address operands, scale and offset): the front end promised that the bytes do not change, and
 * the earlier load checked them, so dropping the later one's check is sound whatever they hold
 * (only within one innermost loop: see {@link Loops#sameLoop}).
 * Other loads are left alone (a store or call in between could change what they read); so is
 * everything else that may trap or has a side effect.
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
    // an iterative preorder walk of the dominator tree; each block's keys leave when it is done:
    // those made since the block's entry in firstKey, by depth (the path is a stack of blocks)
    List<Block> stack = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    int[] next = new int[f.blockCount()];
    int[] firstKey = new int[f.blockCount()];
    stack.add(f.entry());
    Loops loops = new Loops(f, dom);
    number(f.entry(), defs, loops, available, replacement, removed, keys);
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      List<Block> kids = dom.children(stack.get(top));
      int k = next[top];
      if (k < kids.size()) {
        next[top] = k + 1;
        Block child = kids.get(k);
        stack.add(child);
        next[top + 1] = 0;
        firstKey[top + 1] = keys.size();
        number(child, defs, loops, available, replacement, removed, keys);
      } else {
        for (int i = keys.size() - 1; i >= firstKey[top]; i--) {
          available.remove(keys.remove(i));
        }
        stack.remove(top);
      }
    }
    if (!removed.isEmpty()) {
      Predicate<Instruction> isRemoved = Removal.resultIn(removed); // one for all blocks
      for (Block b : f.blocks()) {
        b.removeIf(isRemoved);
      }
      f.replaceUses(replacement);
    }
  }

  /** Numbers {@code b}'s pure instructions, adding the keys it made available to {@code added}. */
  private static void number(Block b, Definitions defs, Loops loops, Map<Key, Value> available,
      Value[] replacement, BitSet removed, List<Key> added) {
    List<Instruction> insts = b.instructions();
    for (int n = 0; n < insts.size(); n++) { // no iterator to allocate in C1-compiled code
      Instruction inst = insts.get(n);
      Value r = inst.result();
      if (r == null || (inst.opcode() == Opcode.LOAD ? !inst.invariant()
          : !Effects.isPure(inst, defs))) {
        continue;
      }
      Key key = key(inst, replacement);
      Value earlier = available.get(key);
      if (earlier != null && inst.opcode() == Opcode.LOAD && !loops.sameLoop(earlier, b)) {
        continue;
      }
      if (earlier != null) {
        replacement[r.id()] = earlier;
        removed.set(r.id());
      } else {
        available.put(key, r);
        added.add(key);
        if (inst.opcode() == Opcode.LOAD) {
          loops.defined(r, b);
        }
      }
    }
  }

  private static Key key(Instruction inst, Value[] replacement) {
    // a pure instruction has at most three operands, a load two and a scale; no array for ids
    int n = inst.argCount();
    int a = n > 0 ? Function.resolve(inst.arg(0), replacement).id() : -1;
    int b = n > 1 ? Function.resolve(inst.arg(1), replacement).id() : -1;
    int c = inst.opcode() == Opcode.LOAD ? inst.address().scale()
        : n > 2 ? Function.resolve(inst.arg(2), replacement).id() : -1;
    if (n > 3) {
      throw new IllegalArgumentException(inst + " has more operands than a key holds");
    }
    if (commutative(inst) && a > b) {
      int t = a;
      a = b;
      b = t;
    }
    Object kind = switch (inst.opcode().format()) {
      case COMPARE -> inst.opcode() == Opcode.ICMP ? inst.intCond() : inst.floatCond();
      case BITCAST -> inst.bitcastType();
      case LOAD -> inst.memType();
      default -> null;
    };
    Object target = switch (inst.opcode()) {
      case FUNC_REF -> inst.callee();
      case LOAD -> inst.memory();
      default -> null;
    };
    return new Key(inst.opcode(), inst.result().type(), kind, target, inst.immediate(), a, b, c);
  }

  /**
   * The blocks of the numbered loads and the loop nest, made on first use: only a function with
   * two equal invariant loads needs the nest.
   */
  private static final class Loops {
    private final Function f;
    private final DominatorTree dom;
    private LoopNest nest;
    private int[] loadBlock;

    Loops(Function f, DominatorTree dom) {
      this.f = f;
      this.dom = dom;
    }

    void defined(Value load, Block b) {
      if (loadBlock == null) {
        loadBlock = new int[f.valueCount()];
      }
      loadBlock[load.id()] = b.id();
    }

    /**
     * Whether {@code load}'s definition and block {@code b} have the same innermost loop (or
     * none). A length from outside a loop makes the loop's checks invariant, so licm, loop-bce
     * and loop-room move them and version the loop, for which the inbounds proofs after the
     * versions are not yet robust; a length from inside a loop used after it becomes the
     * versions' exit parameter, hiding the load that checked its bytes from the proofs after.
     */
    boolean sameLoop(Value load, Block b) {
      if (nest == null) {
        nest = new LoopNest(f, dom);
      }
      return nest.innermost(loadBlock[load.id()]) == nest.innermost(b.id());
    }
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
