package dev.kiln.ir;

import java.util.ArrayList;
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

  /** Names blocks and values by their place in the layout: block0, block1, ...; v0, v1, .... */
  void renumber() {
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
