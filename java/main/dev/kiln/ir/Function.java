package dev.kiln.ir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

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
  private int valueCount;
  private int blockCount;
  boolean finished;
  int line;

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
    return Collections.unmodifiableList(blocks);
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

  Value newValue(Type type) {
    return new Value(this, type, valueCount++);
  }

  Block newBlock() {
    Block block = new Block(this, blockCount++);
    blocks.add(block);
    return block;
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
    for (Block b : blocks) {
      Block c = new Block(copy, b.id());
      c.number = b.number;
      c.line = b.line;
      copies[b.id()] = c;
      copy.blocks.add(c);
      for (Value p : b.params) {
        c.params.add(copied(p, copy, values));
      }
      for (Instruction inst : b.instructions) {
        if (inst.result() != null) {
          copied(inst.result(), copy, values);
        }
      }
    }
    for (Block b : blocks) {
      for (Instruction inst : b.instructions) {
        copies[b.id()].instructions.add(inst.copy(values, copies, copy.module()));
      }
    }
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
    for (Block b : blocks) {
      for (Instruction inst : b.instructions) {
        for (int i = 0; i < inst.args.length; i++) {
          inst.args[i] = resolve(inst.args[i], replacement);
        }
        if (inst.targets != null) {
          for (BlockCall call : inst.targets) {
            call.args.replaceAll(v -> resolve(v, replacement));
          }
        }
      }
    }
  }

  private static Value resolve(Value v, Value[] replacement) {
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
    blocks.add(blocks.indexOf(next), block);
    return block;
  }

  /** Removes the blocks no path from the entry reaches. */
  public void removeUnreachableBlocks() {
    BitSet reached = new BitSet(blockCount);
    ArrayList<Block> work = new ArrayList<>();
    reached.set(entry().id());
    work.add(entry());
    while (!work.isEmpty()) {
      Instruction t = work.remove(work.size() - 1).terminator();
      if (t != null && t.targets != null) {
        for (BlockCall call : t.targets) {
          if (!reached.get(call.target().id())) {
            reached.set(call.target().id());
            work.add(call.target());
          }
        }
      }
    }
    blocks.removeIf(b -> !reached.get(b.id()));
  }

  /**
   * Removes the parameters whose {@link Value#id()} is in {@code dead} from every block but the
   * entry, with the arguments every branch passes to them. The removed values must be unused.
   *
   * @param dead the ids of the parameters to remove
   */
  public void removeParams(BitSet dead) {
    for (Block b : blocks) {
      Instruction t = b.terminator();
      if (t == null || t.targets == null) {
        continue;
      }
      for (BlockCall call : t.targets) {
        List<Value> params = call.target().params;
        for (int i = params.size() - 1; i >= 0; i--) {
          if (dead.get(params.get(i).id())) {
            call.args.remove(i);
          }
        }
      }
    }
    for (int b = 1; b < blocks.size(); b++) {
      blocks.get(b).params.removeIf(p -> dead.get(p.id()));
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
