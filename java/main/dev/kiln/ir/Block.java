package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A basic block: parameters (the SSA merge values, passed by each branch to it) and instructions,
 * the last of which, and only that one, is a terminator. The entry block's parameters are the
 * function's.
 */
public final class Block {
  private final Function function;
  private final int id;
  int number;
  final ArrayList<Value> params = new ArrayList<>();
  final ArrayList<Instruction> instructions = new ArrayList<>();
  private final List<Value> paramsView = new ListView<>(params);
  private final List<Instruction> instructionsView = new ListView<>(instructions);
  /**
   * Its terminator as last found, or null until asked for: an edit that changes or removes its
   * last instruction resets it (the builder and the parser only append).
   */
  private Instruction terminator;
  int line;

  Block(Function function, int id) {
    this.function = function;
    this.id = id;
    this.number = id;
  }

  /** {@return the function it belongs to} */
  public Function function() {
    return function;
  }

  /** {@return a dense index, unique in its function, below {@link Function#blockCount()}} */
  public int id() {
    return id;
  }

  /**
   * The number in its name {@code blockN}: as written in a parsed text, else in layout order.
   *
   * @return the number
   */
  public int number() {
    return number;
  }

  /** {@return its parameters} */
  public List<Value> params() {
    return paramsView;
  }

  /** {@return its instructions, the terminator last} */
  public List<Instruction> instructions() {
    return instructionsView;
  }

  /** {@return its terminator, or {@code null} while it has none} */
  public Instruction terminator() {
    Instruction t = terminator;
    if (t == null && !instructions.isEmpty()) {
      Instruction last = instructions.get(instructions.size() - 1);
      if (last.opcode().isTerminator()) {
        terminator = t = last;
      }
    }
    return t;
  }

  /** Forgets its terminator, after an edit of the function that replaced or moved it. */
  void lastChanged() {
    terminator = null;
  }

  // Editing, for IR-to-IR passes over a Module.copy().

  /**
   * Replaces instruction {@code index} by {@code replacement}; a terminator only by a terminator.
   * A terminator branching to the same blocks in the same order keeps the function's dominator
   * tree; any other drops it.
   *
   * @param index the instruction's index in {@link #instructions()}
   * @param replacement the instruction that takes its place
   */
  public void set(int index, Instruction replacement) {
    Instruction replaced = instructions.get(index);
    if (replaced.opcode().isTerminator() != replacement.opcode().isTerminator()) {
      throw new IllegalArgumentException("a terminator is replaced only by a terminator");
    }
    if (replacement.opcode().isTerminator()) {
      if (!sameSuccessors(replaced, replacement)) {
        function.cfgChanged();
      }
      terminator = null;
    }
    instructions.set(index, replacement);
    function.added(replacement);
  }

  /**
   * Whether two terminators branch to the same blocks in the same order: replacing one by the
   * other (other arguments, another condition) leaves the control-flow graph as it was.
   */
  private static boolean sameSuccessors(Instruction a, Instruction b) {
    BlockCall[] x = a.targets;
    BlockCall[] y = b.targets;
    if (x == null || y == null) {
      return x == y;
    }
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i].target() != y[i].target()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Inserts {@code inst} (not a terminator) at {@code index}, before the instruction there.
   *
   * @param index where it goes in {@link #instructions()}
   * @param inst a new or moved instruction of the same function
   */
  public void insert(int index, Instruction inst) {
    if (inst.opcode().isTerminator()) {
      throw new IllegalArgumentException("insert a terminator with set");
    }
    if (index == instructions.size()) {
      terminator = null;
    }
    instructions.add(index, inst);
    function.added(inst);
  }

  /**
   * Inserts {@code inst} (not a terminator) at the end, before the terminator.
   *
   * @param inst a new or moved instruction of the same function
   */
  public void insertBeforeTerminator(Instruction inst) {
    insert(terminator() == null ? instructions.size() : instructions.size() - 1, inst);
  }

  /**
   * Appends {@code inst} to a block that has no terminator yet (a new block).
   *
   * @param inst a new instruction of the same function, its terminator last
   */
  public void append(Instruction inst) {
    if (terminator() != null) {
      throw new IllegalStateException(this + " is already terminated");
    }
    if (inst.opcode().isTerminator()) {
      function.cfgChanged();
    }
    instructions.add(inst);
    function.added(inst);
  }

  /**
   * Adds a parameter of {@code type} (a new block's: branches to it must pass one more argument).
   *
   * @param type its type
   * @return the new parameter
   */
  public Value addParam(Type type) {
    Value p = function.newValue(type);
    params.add(p);
    return p;
  }

  /**
   * Makes every edge of its terminator to {@code from} go to {@code to}, with the same arguments.
   *
   * @param from the block it branched to
   * @param to the block it branches to instead, with the same parameter types
   */
  public void redirect(Block from, Block to) {
    Instruction t = terminator();
    if (t != null && t.targets != null) {
      for (BlockCall call : t.targets) {
        if (call.target() == from) {
          call.target = to;
          function.cfgChanged();
        }
      }
    }
  }

  /**
   * Removes instruction {@code index} (not the terminator): a pass moving it elsewhere.
   *
   * @param index the instruction's index in {@link #instructions()}
   */
  public void remove(int index) {
    if (instructions.get(index).opcode().isTerminator()) {
      throw new IllegalArgumentException("the terminator is replaced with set, not removed");
    }
    instructions.remove(index);
  }

  /**
   * Removes the instructions (never the terminator) that {@code dead} accepts, in one sweep.
   *
   * @param dead which instructions go
   */
  public void removeIf(Predicate<Instruction> dead) {
    // compacted in place, not by ArrayList.removeIf through a lambda wrapping dead (one per call)
    int kept = 0;
    for (int i = 0; i < instructions.size(); i++) {
      Instruction inst = instructions.get(i);
      if (inst.opcode().isTerminator() || !dead.test(inst)) {
        if (kept != i) {
          instructions.set(kept, inst);
        }
        kept++;
      }
    }
    if (kept < instructions.size()) {
      instructions.subList(kept, instructions.size()).clear();
    }
  }

  /** {@return the 1-based line of its label in a parsed text, or 0} */
  public int line() {
    return line;
  }

  /** {@code blockN}. */
  @Override
  public String toString() {
    return "block" + number;
  }
}
