package dev.kiln.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Builds one {@link Function}: blocks, typed instructions, and mutable {@link Variable}s that it
 * turns into SSA form as it goes, by Braun et al., "Simple and Efficient Construction of Static
 * Single Assignment Form" (CC 2013), with block parameters in place of phi instructions.
 *
 * <p>The builder stands in one block at a time ({@link #switchTo}); each instruction method
 * appends there and returns the result. A block must be {@linkplain #seal sealed} once all the
 * branches to it have been emitted; until then a variable read in it gets a provisional
 * parameter. {@link #finish} seals what is left, drops unreachable blocks and removes the
 * parameters that turned out trivial (one value on every incoming edge), so the result is minimal
 * SSA for structured control flow. A variable read on a path where it was never assigned is zero
 * (as in Cranelift).
 *
 * <p>Misuse (a value of another function, a wrong type, emitting with no current block, branching
 * to a sealed block, anything after {@link #finish}) throws {@link IllegalArgumentException} or
 * {@link IllegalStateException} at the call.
 */
public final class FunctionBuilder {
  private static final int TYPES = Type.values().length;
  private final Function function;
  private final Module module;
  private final List<BlockState> states = new ArrayList<>();
  private int variables;
  /** The current value of each (block, variable), keyed by {@link #key}. */
  private final LongValueMap definitions = new LongValueMap();
  /**
   * For each parameter the builder added for a variable (only those can be trivial), by id: its
   * block and its index there; null and 0 for other values.
   */
  private Block[] paramBlock = new Block[64];
  private int[] paramIndex = new int[64];
  /** For each variable parameter found trivial, by id: the value it stands for; else null. */
  private Value[] replacement = new Value[64];
  /** The variable parameters that got all their arguments during the current use or seal. */
  private final List<Value> completed = new ArrayList<>();
  /** The branches and the instructions using a variable parameter: those {@link #finish} resolves. */
  private final List<Instruction> unresolved = new ArrayList<>();
  /** The zero constants at the start of the entry block, by type (read of an unassigned variable). */
  private final Value[] zeros = new Value[TYPES];
  private final List<Instruction> zeroConstants = new ArrayList<>();
  /** New parameters (of the variable being read) at merges, still needing their arguments. */
  private final ArrayDeque<Value> waiting = new ArrayDeque<>();
  /** The single-predecessor blocks {@link #walk} passed, and a mark on each while it walks. */
  private final List<Block> chain = new ArrayList<>();
  private final BitSet onChain = new BitSet();
  private Block current;
  private int position = Instruction.NO_POSITION;

  /** What the SSA construction knows of a block. */
  private static final class BlockState {
    final List<Edge> predecessors = new ArrayList<>();
    /**
     * While unsealed, the variables of its parameters after the explicit ones, which all wait for
     * their arguments; null until it has one.
     */
    List<Variable> incompleteVariables;
    int explicitParams;
    boolean sealed;
    boolean filled;
  }

  /** A branch into a block: the block it leaves and the arguments it passes. */
  private record Edge(Block source, BlockCall call) {}

  FunctionBuilder(Function function) {
    this.function = function;
    this.module = function.module();
    Block entry = newBlock();
    for (Type t : function.signature().params()) {
      appendParam(entry, t);
    }
    state(entry).sealed = true; // nothing may branch to the entry block
    current = entry;
  }

  /**
   * The function being built.
   *
   * @return the function this builder appends to
   */
  public Function function() {
    return function;
  }

  /**
   * The entry block's parameter {@code i}: the function's argument {@code i}.
   *
   * @param i the parameter's index, from 0
   * @return the value of argument {@code i}
   */
  public Value param(int i) {
    checkOpen();
    List<Value> params = function.entry().params;
    if (i < 0 || i >= function.signature().params().size()) {
      throw new IllegalArgumentException(function + " has no parameter " + i);
    }
    return params.get(i);
  }

  /**
   * Attaches {@code position} (an int of the front end's choosing, at least 0; or
   * {@link Instruction#NO_POSITION}) to the instructions emitted from now on.
   *
   * @param position the position of the next instructions
   * @return this builder
   */
  public FunctionBuilder at(int position) {
    checkPosition(position);
    this.position = position;
    return this;
  }

  /**
   * Declares that a frame of the function takes {@code levels} levels of the call-depth limit
   * (default 1), e.g. a front end whose own limit counts large frames more than once.
   *
   * @param levels the levels a frame of the function takes, at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code levels} is less than 1
   */
  public FunctionBuilder levels(int levels) {
    checkOpen();
    if (levels < 1) {
      throw new IllegalArgumentException("a frame takes at least 1 level, not " + levels);
    }
    function.levels = levels;
    return this;
  }

  /**
   * Sets the function's own position, reported by traps in its prologue.
   *
   * @param position the function's position (at least 0, or {@link Instruction#NO_POSITION})
   * @return this builder
   */
  public FunctionBuilder functionPosition(int position) {
    checkOpen();
    checkPosition(position);
    function.position = position;
    return this;
  }

  private static void checkPosition(int position) {
    if (position < Instruction.NO_POSITION) {
      throw new IllegalArgumentException("a position is at least 0, not " + position);
    }
  }

  // ---- blocks and variables ----

  /**
   * A new empty block, placed at the end of the layout.
   *
   * @return the new block
   */
  public Block newBlock() {
    checkOpen();
    Block block = function.newBlock();
    states.add(new BlockState());
    return block;
  }

  /**
   * Adds an explicit parameter to {@code block}, before any branch to it.
   *
   * @param block the block of this function to add the parameter to
   * @param type the parameter's type
   * @return the parameter's value
   */
  public Value appendParam(Block block, Type type) {
    BlockState s = state(block);
    Objects.requireNonNull(type, "type");
    if (!s.predecessors.isEmpty() || s.sealed || block.params.size() != s.explicitParams) {
      throw new IllegalStateException("cannot add a parameter to " + block
          + ": it already has branches to it, is sealed, or has variable parameters");
    }
    Value v = function.newValue(type);
    block.params.add(v);
    s.explicitParams++;
    return v;
  }

  /**
   * Makes {@code block} the one instructions are appended to; it must not be terminated yet.
   *
   * @param block the block of this function to append to
   */
  public void switchTo(Block block) {
    if (state(block).filled) {
      throw new IllegalStateException(block + " already ends in a terminator");
    }
    current = block;
  }

  /**
   * The block instructions are appended to, or {@code null} after a terminator.
   *
   * @return the current block, or {@code null}
   */
  public Block currentBlock() {
    return current;
  }

  /**
   * Declares that every branch to {@code block} has been emitted. Sealing again is harmless;
   * branching to a sealed block is an error.
   *
   * @param block the block of this function to seal
   */
  public void seal(Block block) {
    BlockState s = state(block);
    if (s.sealed) {
      return;
    }
    // Reading a variable below may add more provisional parameters to this block: the index loop
    // sees them too, and each gets its arguments after the earlier ones, keeping the order.
    for (int i = 0; s.incompleteVariables != null && i < s.incompleteVariables.size(); i++) {
      waiting.push(block.params.get(s.explicitParams + i));
      addArguments(s.incompleteVariables.get(i));
    }
    s.incompleteVariables = null;
    s.sealed = true;
    replaceTrivialCompleted();
  }

  /** Seals every block. */
  public void sealAll() {
    checkOpen();
    for (Block b : function.blocks) {
      seal(b);
    }
  }

  /**
   * A new variable of {@code type}; zero until assigned.
   *
   * @param type the variable's type
   * @return the new variable
   */
  public Variable declare(Type type) {
    checkOpen();
    return new Variable(this, Objects.requireNonNull(type, "type"), variables++);
  }

  /**
   * Assigns {@code value} to {@code variable} in the current block.
   *
   * @param variable a variable declared by this builder
   * @param value its new value, of the variable's type
   */
  public void def(Variable variable, Value value) {
    checkVariable(variable);
    checkValue(value, variable.type(), "the value assigned to ", variable);
    definitions.put(key(requireCurrent(), variable), value);
  }

  /**
   * The current value of {@code variable} in the current block.
   *
   * @param variable a variable declared by this builder
   * @return the value it holds at this point of the current block
   */
  public Value use(Variable variable) {
    checkVariable(variable);
    Value v = walk(variable, requireCurrent());
    if (!waiting.isEmpty()) {
      addArguments(variable);
      replaceTrivialCompleted();
    }
    return v;
  }

  /**
   * Gives the parameters of {@code variable} on {@link #waiting} their arguments: its values at
   * the ends of their blocks' predecessors. Braun et al. describe this recursively; here chains of
   * single-predecessor blocks are walked in a loop and new parameters wait on the work list, so
   * the Java stack does not limit the size of a function.
   */
  private void addArguments(Variable variable) {
    while (!waiting.isEmpty()) {
      Value p = waiting.pop();
      int index = paramIndex[p.id()];
      List<Edge> edges = stateOf(paramBlock[p.id()]).predecessors;
      for (int k = 0; k < edges.size(); k++) {
        Edge e = edges.get(k);
        ArrayList<Value> args = e.call().args;
        // Parameters get their arguments in the order they were added.
        assert args.size() == index;
        args.add(walk(variable, e.source()));
      }
      completed.add(p);
    }
  }

  /**
   * Braun et al.'s trivial-phi removal, applied as soon as a parameter has its arguments: one
   * whose arguments are all itself or one other value stands for that value. A parameter only
   * trivial later, once others are replaced, or reached only from itself, is left to
   * {@link #removeTrivialParams}.
   */
  private void replaceTrivialCompleted() {
    for (int i = 0; i < completed.size(); i++) {
      Value p = completed.get(i);
      Value same = trivialValue(p);
      if (same != null && same != p) {
        replacement[p.id()] = same;
      }
    }
    completed.clear();
  }

  /**
   * The one value other than itself that variable parameter {@code p} receives, {@code p} if it
   * only receives itself, or null if it receives two others.
   */
  private Value trivialValue(Value p) {
    Value same = p;
    int index = paramIndex[p.id()];
    List<Edge> edges = stateOf(paramBlock[p.id()]).predecessors;
    for (int k = 0; k < edges.size(); k++) {
      Value a = resolve(edges.get(k).call().args.get(index));
      if (a == p || a == same) {
        continue;
      }
      if (same != p) {
        return null;
      }
      same = a;
    }
    return same;
  }

  /**
   * Follows single predecessors up from {@code block} to a definition, an unsealed block (a
   * provisional parameter), a block without predecessors (zero: the entry or an unreachable
   * block) or a merge (a parameter queued on {@link #waiting} for its arguments), and records the
   * value in every block on the way. A cycle of single predecessors is unreachable: zero.
   */
  private Value walk(Variable variable, Block block) {
    Block b = block;
    Value v;
    chain.clear();
    while (true) {
      v = definitions.get(key(b, variable));
      if (v != null) {
        break;
      }
      BlockState s = stateOf(b);
      if (!s.sealed) {
        v = newVariableParam(b, variable.type());
        if (s.incompleteVariables == null) {
          s.incompleteVariables = new ArrayList<>();
        }
        s.incompleteVariables.add(variable);
        break;
      }
      if (s.predecessors.size() == 1 && !onChain.get(b.id())) {
        chain.add(b);
        onChain.set(b.id());
        b = s.predecessors.get(0).source();
        continue;
      }
      if (s.predecessors.size() <= 1) {
        v = zero(variable.type());
        break;
      }
      if (predecessorsAgree(variable, s.predecessors, b)) {
        // A parameter here would be trivial: walk on up the first predecessor instead.
        chain.add(b);
        onChain.set(b.id());
        b = s.predecessors.get(0).source();
        continue;
      }
      v = newVariableParam(b, variable.type());
      waiting.push(v);
      break;
    }
    definitions.put(key(b, variable), v);
    for (int i = 0; i < chain.size(); i++) { // no iterator: this runs for most reads
      Block c = chain.get(i);
      definitions.put(key(c, variable), v);
      onChain.clear(c.id());
    }
    return v;
  }

  /**
   * Whether walks up from every edge into {@code merge} would stop at the same place: the same
   * definition, or the same block (where they would add a parameter, read zero or meet another
   * merge). Then {@code merge}'s parameter would receive one value on every edge. Only looks: for
   * a cycle back to {@code merge} the answer is no, and the parameter is added as usual.
   */
  private boolean predecessorsAgree(Variable variable, List<Edge> edges, Block merge) {
    Object first = walkEnd(variable, edges.get(0).source(), merge);
    for (int k = 1; k < edges.size() && first != null; k++) {
      if (walkEnd(variable, edges.get(k).source(), merge) != first) {
        return false;
      }
    }
    return first != null;
  }

  /**
   * Where a walk up single predecessors from {@code block} stops, without changing anything: the
   * definition it finds, or the block without one that is unsealed or not a single-predecessor
   * block; null if it comes back to {@code merge} or goes round a cycle.
   */
  private Object walkEnd(Variable variable, Block block, Block merge) {
    Block b = block;
    for (int steps = 0; b != merge && steps < function.blockCount(); steps++) {
      Value v = definitions.get(key(b, variable));
      if (v != null) {
        return v;
      }
      BlockState s = stateOf(b);
      if (!s.sealed || s.predecessors.size() != 1) {
        return b;
      }
      b = s.predecessors.get(0).source();
    }
    return null;
  }

  private Value newVariableParam(Block block, Type type) {
    Value v = function.newValue(type);
    if (v.id() >= paramBlock.length) {
      int n = Math.max(paramBlock.length * 2, v.id() + 1);
      paramBlock = Arrays.copyOf(paramBlock, n);
      paramIndex = Arrays.copyOf(paramIndex, n);
      replacement = Arrays.copyOf(replacement, n);
    }
    paramBlock[v.id()] = block;
    paramIndex[v.id()] = block.params.size();
    block.params.add(v);
    return v;
  }

  private Value zero(Type type) {
    Value z = zeros[type.ordinal()];
    if (z == null) {
      z = function.newValue(type);
      zeroConstants.add(new Instruction(type == Type.I64 ? Opcode.ICONST : Opcode.FCONST, z,
          new Value[0], 0, null, null, 1, null, Instruction.NO_POSITION));
      zeros[type.ordinal()] = z;
    }
    return z;
  }

  /** A unique key per (block, variable): the block's id and the variable's index side by side. */
  private static long key(Block block, Variable variable) {
    return ((long) block.id() << 32) | variable.index();
  }

  // ---- instructions ----

  /**
   * {@code iconst}: the i64 {@code value}.
   *
   * @param value the constant
   * @return the new value (i64)
   */
  public Value iconst(long value) {
    return emit(Opcode.ICONST, Type.I64, new Value[0], value, null, null, 1);
  }

  /**
   * {@code fconst}: the f64 {@code value}, with its exact bits (also a NaN's payload).
   *
   * @param value the constant
   * @return the new value (f64)
   */
  public Value fconst(double value) {
    return emit(Opcode.FCONST, Type.F64, new Value[0], Double.doubleToRawLongBits(value), null,
        null, 1);
  }

  /**
   * {@code iadd}: {@code a + b}, wrapping.
   *
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @return the new value: the sum (i64)
   */
  public Value iadd(Value a, Value b) {
    return binary(Opcode.IADD, a, b);
  }

  /**
   * {@code isub}: {@code a - b}, wrapping.
   *
   * @param a the minuend (i64)
   * @param b the subtrahend (i64)
   * @return the new value: the difference (i64)
   */
  public Value isub(Value a, Value b) {
    return binary(Opcode.ISUB, a, b);
  }

  /**
   * {@code imul}: {@code a * b}, wrapping.
   *
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @return the new value: the product (i64)
   */
  public Value imul(Value a, Value b) {
    return binary(Opcode.IMUL, a, b);
  }

  /**
   * {@code smulhi}: the high 64 bits of the signed 128-bit product {@code a * b}.
   *
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @return the new value: the high half of the product (i64)
   */
  public Value smulhi(Value a, Value b) {
    return binary(Opcode.SMULHI, a, b);
  }

  /**
   * {@code umulhi}: the high 64 bits of the unsigned 128-bit product {@code a * b}.
   *
   * @param a the first operand (i64, read as unsigned)
   * @param b the second operand (i64, read as unsigned)
   * @return the new value: the high half of the product (i64)
   */
  public Value umulhi(Value a, Value b) {
    return binary(Opcode.UMULHI, a, b);
  }

  /**
   * {@code ineg}: {@code -a}, wrapping.
   *
   * @param a the operand (i64)
   * @return the new value: the negation (i64)
   */
  public Value ineg(Value a) {
    return unary(Opcode.INEG, a);
  }

  /**
   * {@code band}: bitwise and.
   *
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @return the new value (i64)
   */
  public Value band(Value a, Value b) {
    return binary(Opcode.BAND, a, b);
  }

  /**
   * {@code bor}: bitwise or.
   *
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @return the new value (i64)
   */
  public Value bor(Value a, Value b) {
    return binary(Opcode.BOR, a, b);
  }

  /**
   * {@code bxor}: bitwise exclusive or.
   *
   * @param a the first operand (i64)
   * @param b the second operand (i64)
   * @return the new value (i64)
   */
  public Value bxor(Value a, Value b) {
    return binary(Opcode.BXOR, a, b);
  }

  /**
   * {@code bnot}: bitwise complement.
   *
   * @param a the operand (i64)
   * @return the new value (i64)
   */
  public Value bnot(Value a) {
    return unary(Opcode.BNOT, a);
  }

  /**
   * {@code ishl}: {@code a << (b mod 64)}.
   *
   * @param a the value shifted (i64)
   * @param b the shift count (i64), taken mod 64
   * @return the new value (i64)
   */
  public Value ishl(Value a, Value b) {
    return binary(Opcode.ISHL, a, b);
  }

  /**
   * {@code sshr}: {@code a >> (b mod 64)}, arithmetic.
   *
   * @param a the value shifted (i64)
   * @param b the shift count (i64), taken mod 64
   * @return the new value (i64)
   */
  public Value sshr(Value a, Value b) {
    return binary(Opcode.SSHR, a, b);
  }

  /**
   * {@code ushr}: {@code a >>> (b mod 64)}, logical.
   *
   * @param a the value shifted (i64)
   * @param b the shift count (i64), taken mod 64
   * @return the new value (i64)
   */
  public Value ushr(Value a, Value b) {
    return binary(Opcode.USHR, a, b);
  }

  /**
   * {@code sdiv}: signed division, truncating; traps on zero; {@code MIN / -1 == MIN}.
   *
   * @param a the dividend (i64)
   * @param b the divisor (i64)
   * @return the new value: the quotient (i64)
   */
  public Value sdiv(Value a, Value b) {
    return binary(Opcode.SDIV, a, b);
  }

  /**
   * {@code srem}: signed remainder with the dividend's sign; traps on zero; {@code MIN % -1 == 0}.
   *
   * @param a the dividend (i64)
   * @param b the divisor (i64)
   * @return the new value: the remainder (i64)
   */
  public Value srem(Value a, Value b) {
    return binary(Opcode.SREM, a, b);
  }

  /**
   * {@code udiv}: unsigned division; traps on zero.
   *
   * @param a the dividend (i64, unsigned)
   * @param b the divisor (i64, unsigned)
   * @return the new value: the quotient (i64)
   */
  public Value udiv(Value a, Value b) {
    return binary(Opcode.UDIV, a, b);
  }

  /**
   * {@code urem}: unsigned remainder; traps on zero.
   *
   * @param a the dividend (i64, unsigned)
   * @param b the divisor (i64, unsigned)
   * @return the new value: the remainder (i64)
   */
  public Value urem(Value a, Value b) {
    return binary(Opcode.UREM, a, b);
  }

  /**
   * {@code icmp}: 1 if {@code a COND b}, else 0.
   *
   * @param cond the comparison
   * @param a the left operand (i64)
   * @param b the right operand (i64)
   * @return the new value: 1 or 0 (i64)
   */
  public Value icmp(IntCond cond, Value a, Value b) {
    Objects.requireNonNull(cond, "cond");
    checkValue(a, Type.I64, "icmp's first operand");
    checkValue(b, Type.I64, "icmp's second operand");
    return emit(Opcode.ICMP, Type.I64, new Value[] {a, b}, 0, cond, null, 1);
  }

  /**
   * {@code select}: {@code c != 0 ? a : b}; {@code a} and {@code b} have the same type.
   *
   * @param c the condition (i64)
   * @param a the value when {@code c} is not zero
   * @param b the value when {@code c} is zero
   * @return the new value, of the operands' type
   */
  public Value select(Value c, Value a, Value b) {
    checkValue(c, Type.I64, "select's condition");
    checkValue(a, null, "select's second operand");
    checkValue(b, a.type(), "select's third operand");
    return emit(Opcode.SELECT, a.type(), new Value[] {c, a, b}, 0, null, null, 1);
  }

  /**
   * {@code fadd}: IEEE addition.
   *
   * @param a the first operand (f64)
   * @param b the second operand (f64)
   * @return the new value: the sum (f64)
   */
  public Value fadd(Value a, Value b) {
    return binary(Opcode.FADD, a, b);
  }

  /**
   * {@code fsub}: IEEE subtraction.
   *
   * @param a the minuend (f64)
   * @param b the subtrahend (f64)
   * @return the new value: the difference (f64)
   */
  public Value fsub(Value a, Value b) {
    return binary(Opcode.FSUB, a, b);
  }

  /**
   * {@code fmul}: IEEE multiplication.
   *
   * @param a the first operand (f64)
   * @param b the second operand (f64)
   * @return the new value: the product (f64)
   */
  public Value fmul(Value a, Value b) {
    return binary(Opcode.FMUL, a, b);
  }

  /**
   * {@code fdiv}: IEEE division.
   *
   * @param a the dividend (f64)
   * @param b the divisor (f64)
   * @return the new value: the quotient (f64)
   */
  public Value fdiv(Value a, Value b) {
    return binary(Opcode.FDIV, a, b);
  }

  /**
   * {@code fneg}: flips the sign bit.
   *
   * @param a the operand (f64)
   * @return the new value (f64)
   */
  public Value fneg(Value a) {
    return unary(Opcode.FNEG, a);
  }

  /**
   * {@code fabs}: clears the sign bit.
   *
   * @param a the operand (f64)
   * @return the new value (f64)
   */
  public Value fabs(Value a) {
    return unary(Opcode.FABS, a);
  }

  /**
   * {@code fsqrt}: IEEE square root.
   *
   * @param a the operand (f64)
   * @return the new value: the square root (f64)
   */
  public Value fsqrt(Value a) {
    return unary(Opcode.FSQRT, a);
  }

  /**
   * {@code fcmp}: 1 if {@code a COND b}, else 0 ({@code ne} is 1 when unordered).
   *
   * @param cond the comparison
   * @param a the left operand (f64)
   * @param b the right operand (f64)
   * @return the new value: 1 or 0 (i64)
   */
  public Value fcmp(FloatCond cond, Value a, Value b) {
    Objects.requireNonNull(cond, "cond");
    checkValue(a, Type.F64, "fcmp's first operand");
    checkValue(b, Type.F64, "fcmp's second operand");
    return emit(Opcode.FCMP, Type.I64, new Value[] {a, b}, 0, cond, null, 1);
  }

  /**
   * {@code fcvt_from_sint}: the i64 as the nearest f64.
   *
   * @param a the integer (i64)
   * @return the new value (f64)
   */
  public Value fcvtFromSint(Value a) {
    return unary(Opcode.FCVT_FROM_SINT, a);
  }

  /**
   * {@code fcvt_to_sint_sat}: the f64 truncated to i64 as Java's {@code (long)} does.
   *
   * @param a the float (f64)
   * @return the new value (i64): 0 for NaN, saturated at the ends of the i64 range
   */
  public Value fcvtToSintSat(Value a) {
    return unary(Opcode.FCVT_TO_SINT_SAT, a);
  }

  /**
   * {@code bitcast}: the same 64 bits as the other type.
   *
   * @param to the result type
   * @param a the operand, of the other type
   * @return the new value, of type {@code to}
   */
  public Value bitcast(Type to, Value a) {
    Objects.requireNonNull(to, "to");
    checkValue(a, null, "bitcast's operand");
    if (a.type() == to) {
      throw new IllegalArgumentException("bitcast of " + a + " to its own type " + to);
    }
    return emit(Opcode.BITCAST, to, new Value[] {a}, 0, to, null, 1);
  }

  /**
   * {@code load.T}: reads {@code type} at {@code address} of {@code memory}; traps out of bounds.
   *
   * @param type the width and extension of the read
   * @param memory a memory of this module
   * @param address where to read
   * @return the new value, of the memory type's value type
   */
  public Value load(MemType type, Memory memory, Address address) {
    Objects.requireNonNull(type, "type");
    checkMemory(memory);
    return emit(Opcode.LOAD, type.type(), addressArgs(null, address), address.offset(), type,
        memory, address.scale());
  }

  /**
   * {@code load.T ... invariant}: as {@link #load}, with the front end's promise that the bytes
   * it reads hold the same value wherever the function could run this load (docs/ir.md), so
   * passes may reuse its value across stores and calls. A false promise may make it return a
   * stale value; memory safety never depends on it.
   *
   * @param type the width and extension of the read
   * @param memory a memory of this module
   * @param address where to read
   * @return the new value, of the memory type's value type
   */
  public Value loadInvariant(MemType type, Memory memory, Address address) {
    Value v = load(type, memory, address);
    v.definition.invariant = true;
    return v;
  }

  /**
   * {@code store.T}: writes {@code value} (truncated) at {@code address}; traps out of bounds.
   *
   * @param type the width of the write (a storable type)
   * @param memory a memory of this module
   * @param address where to write
   * @param value the value written, of the type's value type
   */
  public void store(MemType type, Memory memory, Address address, Value value) {
    Objects.requireNonNull(type, "type");
    if (!type.storable()) {
      throw new IllegalArgumentException(
          "store." + type + " does not exist: a store truncates, use the signed type");
    }
    checkMemory(memory);
    checkValue(value, type.type(), "the stored value");
    emit(Opcode.STORE, null, addressArgs(value, address), address.offset(), type, memory,
        address.scale());
  }

  /**
   * {@code store.T ... inbounds}: as {@link #store}, marked proven in bounds, so compiled code
   * does not check it. The verifier accepts the mark only where the IR proves the access inside
   * its memory (docs/ir.md, Memory): a constant address, a guard branching into the block, or an
   * access of the same bytes before it.
   *
   * @param type the width of the write (a storable type)
   * @param memory a memory of this module
   * @param address where to write
   * @param value the value written, of the type's value type
   */
  public void storeInBounds(MemType type, Memory memory, Address address, Value value) {
    store(type, memory, address, value);
    List<Instruction> insts = current.instructions;
    insts.get(insts.size() - 1).inBounds = true;
  }

  private Value[] addressArgs(Value stored, Address address) {
    Objects.requireNonNull(address, "address");
    checkValue(address.base(), Type.I64, "the address base");
    List<Value> args = new ArrayList<>(3);
    if (stored != null) {
      args.add(stored);
    }
    args.add(address.base());
    if (address.index() != null) {
      checkValue(address.index(), Type.I64, "the address index");
      args.add(address.index());
    }
    return args.toArray(new Value[0]);
  }

  /**
   * {@code trap}: stops with the front end's {@code code} (a terminator).
   *
   * @param code the trap code reported to the front end
   */
  public void trap(int code) {
    emit(Opcode.TRAP, null, new Value[0], code, null, null, 1);
  }

  /**
   * {@code trapnz}: traps with {@code code} if {@code c != 0}.
   *
   * @param c the condition (i64)
   * @param code the trap code reported to the front end
   */
  public void trapnz(Value c, int code) {
    checkValue(c, Type.I64, "trapnz's operand");
    emit(Opcode.TRAPNZ, null, new Value[] {c}, code, null, null, 1);
  }

  /**
   * {@code trapz}: traps with {@code code} if {@code c == 0}.
   *
   * @param c the condition (i64)
   * @param code the trap code reported to the front end
   */
  public void trapz(Value c, int code) {
    checkValue(c, Type.I64, "trapz's operand");
    emit(Opcode.TRAPZ, null, new Value[] {c}, code, null, null, 1);
  }

  /**
   * {@code bounds_check}: traps INDEX_OUT_OF_BOUNDS unless {@code 0 <= index < length}.
   *
   * @param index the index checked (i64)
   * @param length the length it must be below (i64)
   */
  public void boundsCheck(Value index, Value length) {
    checkValue(index, Type.I64, "the index");
    checkValue(length, Type.I64, "the length");
    emit(Opcode.BOUNDS_CHECK, null, new Value[] {index, length}, 0, null, null, 1);
  }

  /**
   * {@code depth_enter}: takes {@code levels} of the call-depth limit, trapping STACK_OVERFLOW at
   * the current position as a call would if fewer are left; give them back with
   * {@link #depthLeave} before returning.
   *
   * @param levels the levels taken, at least 1
   */
  public void depthEnter(int levels) {
    if (levels < 1) {
      throw new IllegalArgumentException("depth_enter takes at least 1 level, not " + levels);
    }
    emit(Opcode.DEPTH_ENTER, null, new Value[0], levels, null, null, 1);
  }

  /**
   * {@code depth_leave}: gives back {@code levels} that {@link #depthEnter} took.
   *
   * @param levels the levels given back (i64)
   */
  public void depthLeave(Value levels) {
    checkValue(levels, Type.I64, "the levels given back");
    emit(Opcode.DEPTH_LEAVE, null, new Value[] {levels}, 0, null, null, 1);
  }

  /**
   * {@code call}: calls a function, Java import or C function of this module.
   *
   * @param callee a function, Java import or C function of this module
   * @param args the arguments, matching the callee's signature
   * @return the new value (the result), or {@code null} if the callee returns nothing
   */
  public Value call(Callee callee, Value... args) {
    Objects.requireNonNull(callee, "callee");
    if (module.findCallee(callee.name()) != callee) {
      throw new IllegalArgumentException(callee + " is not part of this module");
    }
    checkArgs(callee.signature(), args, "call ", callee);
    return emit(Opcode.CALL, callee.signature().result(), args.clone(), 0, null, callee, 1);
  }

  /**
   * {@code func_ref}: the i64 handle of {@code target} for {@code call_indirect}.
   *
   * @param target a function of this module
   * @return the new value: the handle (i64)
   */
  public Value funcRef(Function target) {
    Objects.requireNonNull(target, "target");
    if (target.module() != module) {
      throw new IllegalArgumentException(target + " is not part of this module");
    }
    return emit(Opcode.FUNC_REF, Type.I64, new Value[0], 0, null, target, 1);
  }

  /**
   * {@code call_indirect}: calls the function whose handle is {@code callee}; traps
   * BAD_INDIRECT_CALL unless it is a function of the module with exactly {@code signature}.
   *
   * @param signature the signature the callee must have
   * @param callee the handle of the function called (i64), from {@link #funcRef}
   * @param args the arguments, matching {@code signature}
   * @return the new value (the result), or {@code null} if {@code signature} has no result
   */
  public Value callIndirect(Signature signature, Value callee, Value... args) {
    Objects.requireNonNull(signature, "signature");
    checkValue(callee, Type.I64, "the callee handle");
    checkArgs(signature, args, "call_indirect");
    Value[] all = new Value[args.length + 1];
    all[0] = callee;
    System.arraycopy(args, 0, all, 1, args.length);
    return emit(Opcode.CALL_INDIRECT, signature.result(), all, 0, null, signature, 1);
  }

  /** Checks the arguments of a call: {@code call} names it in messages ({@code call @f}). */
  private void checkArgs(Signature signature, Value[] args, Object... call) {
    if (args.length != signature.params().size()) {
      throw new IllegalArgumentException(join(call) + ": " + args.length + " arguments for "
          + signature.params().size() + " parameters");
    }
    for (int i = 0; i < args.length; i++) {
      Value a = args[i];
      Type expected = signature.params().get(i);
      if (a == null || a.function() != function || a.type() != expected) {
        checkValue(a, expected, join(call), " argument ", i); // throws, naming the call
      }
    }
    checkOpen();
  }

  /**
   * {@code jump}: continues at {@code target}, passing {@code args} to its explicit parameters.
   *
   * @param target the block to continue at
   * @param args the arguments for its explicit parameters
   */
  public void jump(Block target, Value... args) {
    BlockCall call = blockCall(target, List.of(args));
    emitBranch(Opcode.JUMP, new Value[0], new BlockCall[] {call});
  }

  /**
   * {@code brif}: to {@code then} if {@code c != 0}, else to {@code otherwise}, no arguments.
   *
   * @param c the condition (i64)
   * @param then the target when {@code c} is not zero
   * @param otherwise the target when {@code c} is zero
   */
  public void brif(Value c, Block then, Block otherwise) {
    brif(c, then, List.of(), otherwise, List.of());
  }

  /**
   * {@code brif} passing arguments to the explicit parameters of either target.
   *
   * @param c the condition (i64)
   * @param then the target when {@code c} is not zero
   * @param thenArgs the arguments for the explicit parameters of {@code then}
   * @param otherwise the target when {@code c} is zero
   * @param otherwiseArgs the arguments for the explicit parameters of {@code otherwise}
   */
  public void brif(Value c, Block then, List<Value> thenArgs, Block otherwise,
      List<Value> otherwiseArgs) {
    checkValue(c, Type.I64, "brif's condition");
    BlockCall[] calls = {blockCall(then, thenArgs), blockCall(otherwise, otherwiseArgs)};
    emitBranch(Opcode.BRIF, new Value[] {c}, calls);
  }

  private BlockCall blockCall(Block target, List<Value> args) {
    BlockState s = state(target);
    if (target == function.entry()) {
      throw new IllegalArgumentException("nothing may branch to the entry block");
    }
    if (s.sealed) {
      throw new IllegalStateException(target + " is sealed: every branch to it must be emitted"
          + " before it is sealed");
    }
    if (args.size() != s.explicitParams) {
      throw new IllegalArgumentException("branch to " + target + ": " + args.size()
          + " arguments for " + s.explicitParams + " parameters");
    }
    for (int i = 0; i < args.size(); i++) {
      checkValue(args.get(i), target.params.get(i).type(), "argument ", i, " to ", target);
    }
    return new BlockCall(target, args);
  }

  private void emitBranch(Opcode opcode, Value[] args, BlockCall[] calls) {
    Block source = requireCurrent();
    emit(opcode, null, args, 0, null, null, 1, calls);
    for (BlockCall call : calls) {
      stateOf(call.target()).predecessors.add(new Edge(source, call));
    }
  }

  /** {@code return} from a function without a result. */
  public void ret() {
    if (function.signature().hasResult()) {
      throw new IllegalArgumentException(function + " must return a "
          + function.signature().result());
    }
    emit(Opcode.RETURN, null, new Value[0], 0, null, null, 1);
  }

  /**
   * {@code return value}.
   *
   * @param value the result, of the function's result type
   */
  public void ret(Value value) {
    Type result = function.signature().result();
    if (result == null) {
      throw new IllegalArgumentException(function + " returns nothing");
    }
    checkValue(value, result, "the returned value");
    emit(Opcode.RETURN, null, new Value[] {value}, 0, null, null, 1);
  }

  private Value unary(Opcode opcode, Value a) {
    checkValue(a, opcode.operandType(), opcode.mnemonic(), "'s operand");
    return emit(opcode, opcode.resultType(), new Value[] {a}, 0, null, null, 1);
  }

  private Value binary(Opcode opcode, Value a, Value b) {
    checkValue(a, opcode.operandType(), opcode.mnemonic(), "'s first operand");
    checkValue(b, opcode.operandType(), opcode.mnemonic(), "'s second operand");
    return emit(opcode, opcode.resultType(), new Value[] {a, b}, 0, null, null, 1);
  }

  private Value emit(Opcode opcode, Type resultType, Value[] args, long immediate, Object kind,
      Object target, int scale) {
    return emit(opcode, resultType, args, immediate, kind, target, scale, null);
  }

  private Value emit(Opcode opcode, Type resultType, Value[] args, long immediate, Object kind,
      Object target, int scale, BlockCall[] calls) {
    Block block = requireCurrent();
    Value result = resultType == null ? null : function.newValue(resultType);
    Instruction inst =
        new Instruction(opcode, result, args, immediate, kind, target, scale, calls, position);
    block.instructions.add(inst);
    if (calls != null || usesVariableParam(args)) {
      unresolved.add(inst);
    }
    if (opcode.isTerminator()) {
      stateOf(block).filled = true;
      current = null;
    }
    return result;
  }

  private boolean usesVariableParam(Value[] args) {
    for (Value a : args) {
      if (a.id() < paramBlock.length && paramBlock[a.id()] != null) {
        return true;
      }
    }
    return false;
  }

  // ---- finishing ----

  /**
   * Ends building: seals every block, drops the blocks no branch reaches, removes trivial
   * variable parameters, and names blocks and values in layout order.
   *
   * @return the finished function
   * @throws IllegalStateException if a reachable block has no terminator, or when called twice
   */
  public Function finish() {
    checkOpen();
    sealAll();
    boolean[] reachable = reachableBlocks();
    boolean unreachable = false;
    for (Block b : function.blocks) {
      if (!reachable[b.id()]) {
        unreachable = true;
      } else if (!stateOf(b).filled) {
        throw new IllegalStateException(function + " " + b + " does not end in a terminator");
      }
    }
    if (unreachable) {
      dropUnreachable(reachable);
    }
    if (removeTrivialParams()) {
      for (Instruction inst : unresolved) {
        for (int i = 0; i < inst.args.length; i++) {
          inst.args[i] = resolve(inst.args[i]);
        }
        if (inst.targets != null) {
          for (BlockCall call : inst.targets) {
            for (int i = 0; i < call.args.size(); i++) {
              call.args.set(i, resolve(call.args.get(i)));
            }
          }
        }
      }
    }
    function.entry().instructions.addAll(0, zeroConstants);
    function.renumber();
    function.markFinished();
    current = null;
    return function;
  }

  /**
   * Drops the blocks not {@code reachable} and the edges from them, keeping the order of the
   * rest (in place, by loops: removeIf's lambdas would be linked on a cold compile).
   */
  private void dropUnreachable(boolean[] reachable) {
    for (BlockState s : states) {
      List<Edge> edges = s.predecessors;
      int kept = 0;
      for (int i = 0; i < edges.size(); i++) {
        if (reachable[edges.get(i).source().id()]) {
          edges.set(kept++, edges.get(i));
        }
      }
      edges.subList(kept, edges.size()).clear();
    }
    List<Block> blocks = function.blocks;
    int kept = 0;
    for (int i = 0; i < blocks.size(); i++) {
      if (reachable[blocks.get(i).id()]) {
        blocks.set(kept++, blocks.get(i));
      }
    }
    blocks.subList(kept, blocks.size()).clear();
  }

  private boolean[] reachableBlocks() {
    boolean[] seen = new boolean[function.blockCount()];
    ArrayDeque<Block> work = new ArrayDeque<>();
    seen[function.entry().id()] = true;
    work.push(function.entry());
    while (!work.isEmpty()) {
      Instruction t = work.pop().terminator();
      if (t != null && t.targets != null) {
        for (BlockCall call : t.targets) {
          if (!seen[call.target().id()]) {
            seen[call.target().id()] = true;
            work.push(call.target());
          }
        }
      }
    }
    return seen;
  }

  /**
   * Braun et al.'s trivial-phi removal, finished to a fixed point: a replaced parameter may make
   * the parameters it flows into trivial in turn, and one reached only from itself stands for
   * zero. Then drops the replaced parameters and their arguments.
   *
   * @return whether any parameter was replaced
   */
  private boolean removeTrivialParams() {
    // Room for the zero constants the removal itself may create, one per type.
    int n = function.valueCount() + TYPES;
    if (replacement.length < n) {
      replacement = Arrays.copyOf(replacement, n);
    }
    ValueLists users = new ValueLists(n);
    ArrayDeque<Value> work = new ArrayDeque<>();
    boolean replaced = false;
    for (Block b : function.blocks) {
      for (int i = stateOf(b).explicitParams; i < b.params.size(); i++) {
        Value p = b.params.get(i);
        if (replacement[p.id()] != null) {
          replaced = true;
          continue;
        }
        work.add(p);
        for (Edge e : stateOf(b).predecessors) {
          users.add(resolve(e.call().args.get(i)), p);
        }
      }
    }
    while (!work.isEmpty()) {
      Value p = work.poll();
      if (replacement[p.id()] != null) {
        continue;
      }
      Value same = trivialValue(p);
      if (same == null) {
        continue;
      }
      Value r = same != p ? same : zero(p.type());
      replacement[p.id()] = r;
      replaced = true;
      for (int u = users.first(p.id()); u != 0; u = users.next(u)) {
        work.add(users.value(u));
        users.add(r, users.value(u));
      }
    }
    if (replaced) {
      for (Block b : function.blocks) {
        dropReplacedParams(b);
      }
    }
    return replaced;
  }

  /** Drops the replaced parameters of {@code b} and the arguments each branch to it passes them. */
  private void dropReplacedParams(Block b) {
    ArrayList<Value> params = b.params;
    int first = stateOf(b).explicitParams;
    while (first < params.size() && replacement[params.get(first).id()] == null) {
      first++;
    }
    if (first == params.size()) {
      return;
    }
    for (Edge e : stateOf(b).predecessors) {
      keepUnreplaced(e.call().args, params, first);
    }
    keepUnreplaced(params, params, first); // last: the other lists read it
  }

  /**
   * Keeps the elements of {@code values} (a block's parameters or a branch's arguments to them)
   * whose parameter is not replaced, in order; those before {@code first} all are kept.
   */
  private void keepUnreplaced(ArrayList<Value> values, List<Value> params, int first) {
    int kept = first;
    for (int i = first; i < params.size(); i++) {
      if (replacement[params.get(i).id()] == null) {
        values.set(kept++, values.get(i));
      }
    }
    values.subList(kept, values.size()).clear();
  }

  /** The value {@code v} stands for once the replaced parameters are replaced. */
  private Value resolve(Value v) {
    if (v.id() >= replacement.length || replacement[v.id()] == null) {
      return v;
    }
    Value r = v;
    while (r.id() < replacement.length && replacement[r.id()] != null) {
      r = replacement[r.id()];
    }
    // Path compression keeps later lookups short.
    while (replacement[v.id()] != r) {
      Value next = replacement[v.id()];
      replacement[v.id()] = r;
      v = next;
    }
    return r;
  }

  // ---- checks ----

  /** The state of {@code block}, known to be of this function. */
  private BlockState stateOf(Block block) {
    return states.get(block.id());
  }

  private BlockState state(Block block) {
    checkOpen();
    Objects.requireNonNull(block, "block");
    if (block.function() != function) {
      throw new IllegalArgumentException(block + " belongs to " + block.function() + ", not "
          + function);
    }
    return states.get(block.id());
  }

  private Block requireCurrent() {
    checkOpen();
    if (current == null) {
      throw new IllegalStateException("no current block in " + function
          + ": the last one ended in a terminator; switchTo a block first");
    }
    return current;
  }

  private void checkOpen() {
    if (function.finished) {
      throw new IllegalStateException(function + " is already finished");
    }
  }

  private void checkVariable(Variable variable) {
    Objects.requireNonNull(variable, "variable");
    if (variable.builder() != this) {
      throw new IllegalArgumentException(variable + " was declared for another function");
    }
  }

  /**
   * Checks that {@code v} is a value of this function of type {@code type} (any if null); the
   * message names it by the concatenation of {@code what}, built only on failure.
   */
  private void checkValue(Value v, Type type, Object... what) {
    checkOpen();
    if (v == null) {
      throw new IllegalArgumentException(join(what) + " is null");
    }
    if (v.function() != function) {
      throw new IllegalArgumentException(join(what) + " " + v + " belongs to " + v.function()
          + ", not " + function);
    }
    if (type != null && v.type() != type) {
      throw new IllegalArgumentException(join(what) + " " + v + " is " + v.type() + ", expected "
          + type);
    }
  }

  private static String join(Object[] parts) {
    StringBuilder s = new StringBuilder();
    for (Object part : parts) {
      s.append(part);
    }
    return s.toString();
  }

  private void checkMemory(Memory memory) {
    Objects.requireNonNull(memory, "memory");
    if (module.findMemory(memory.name()) != memory) {
      throw new IllegalArgumentException(memory + " is not part of this module");
    }
  }
}
