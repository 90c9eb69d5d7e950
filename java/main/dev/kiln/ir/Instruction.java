package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * One IR instruction: an {@link Opcode}, its value operands, its result (if any) and the
 * immediates its {@link Opcode.Format} has. An instruction may carry a position, an int the front
 * end chose (a bytecode offset, {@code line * 65536 + column}, ...), which a trap reports.
 */
public final class Instruction {
  /** The position of an instruction that has none. */
  public static final int NO_POSITION = -1;

  /** The operands of an instruction without any: one array for all, as nothing writes to it. */
  static final Value[] NO_VALUES = new Value[0];

  private final Opcode opcode;
  private final Value result;
  final Value[] args;
  private final long immediate;
  private final Object kind;
  private final Object target;
  private final int scale;
  final BlockCall[] targets;
  private final List<BlockCall> targetsView;
  /** A read-only view of {@link #args}, made on first use: most instructions never need one. */
  private List<Value> argsView;
  private final int position;
  /** A load or store proven in bounds; the {@link Verifier} checks the proof. */
  boolean inBounds;
  /** A load whose bytes the front end promises do not change (docs/ir.md); never a store. */
  boolean invariant;
  int line;
  int column;
  /** The function it was inlined from, whose name its traps report; null in its own. */
  Function origin;

  /**
   * @param kind the {@link IntCond}, {@link FloatCond}, {@link MemType} or (bitcast) {@link Type}
   * @param target the {@link Memory}, {@link Callee} or (call_indirect) {@link Signature}
   */
  Instruction(Opcode opcode, Value result, Value[] args, long immediate, Object kind, Object target,
      int scale, BlockCall[] targets, int position) {
    this.opcode = opcode;
    this.result = result;
    this.args = args;
    this.immediate = immediate;
    this.kind = kind;
    this.target = target;
    this.scale = scale;
    this.targets = targets;
    this.targetsView = targets == null ? ArrayView.empty() : new ArrayView<>(targets);
    this.position = position;
    if (result != null) {
      result.definition = this;
    }
  }

  /** {@return its opcode} */
  public Opcode opcode() {
    return opcode;
  }

  /** {@return its result, or {@code null} if it has none} */
  public Value result() {
    return result;
  }

  /**
   * Its value operands in text order: a store's value before the address's base and index, the
   * callee handle of {@code call_indirect} before the arguments; not the branch arguments (see
   * {@link #targets()}).
   *
   * @return the operands, unmodifiable
   */
  public List<Value> args() {
    if (argsView == null) {
      argsView = new ArrayView<>(args);
    }
    return argsView;
  }

  /**
   * {@return operand {@code i} of {@link #args()}}
   *
   * @param i the operand's index, from 0
   */
  public Value arg(int i) {
    return args[i];
  }

  /**
   * Whether it is a compare that one conditional jump or move on a processor's flags decides: an
   * {@code icmp}, or an {@code fcmp} that orders its operands ({@link FloatCond#isOrdering}); an
   * {@code fcmp eq} or {@code ne} also has to tell an unordered result (NaN) apart.
   *
   * @return whether it is such a compare
   */
  public boolean isPlainCompare() {
    return opcode == Opcode.ICMP || opcode == Opcode.FCMP && floatCond().isOrdering();
  }

  /**
   * Makes operand {@code i} {@code v}, a value of the same type and function: a pass deciding
   * use by use (the function verifies afterwards that {@code v} dominates it).
   *
   * @param i the operand's index, from 0
   * @param v the new operand
   * @throws IllegalArgumentException if {@code v}'s type differs from the operand's
   */
  public void replaceArg(int i, Value v) {
    if (v.type() != args[i].type()) {
      throw new IllegalArgumentException("operand " + i + " of " + this + " is a "
          + args[i].type() + ", not a " + v.type());
    }
    args[i] = v;
  }

  /** {@return the number of value operands} */
  public int argCount() {
    return args.length;
  }

  /**
   * The immediate: the value of {@code iconst}, the raw bits of {@code fconst}, the code of
   * {@code trap}/{@code trapnz}/{@code trapz}, the offset of a load or store; else 0.
   *
   * @return the immediate, or 0
   */
  public long immediate() {
    return immediate;
  }

  /** {@return the condition of {@code icmp}} */
  public IntCond intCond() {
    return (IntCond) kind;
  }

  /** {@return the condition of {@code fcmp}} */
  public FloatCond floatCond() {
    return (FloatCond) kind;
  }

  /** {@return what a load reads or a store writes} */
  public MemType memType() {
    return (MemType) kind;
  }

  /** {@return the result type of {@code bitcast}} */
  public Type bitcastType() {
    return (Type) kind;
  }

  /** {@return the memory of a load or store} */
  public Memory memory() {
    return (Memory) target;
  }

  /** {@return the callee of {@code call} and {@code func_ref}} */
  public Callee callee() {
    return (Callee) target;
  }

  /** {@return the signature {@code call_indirect} expects of its callee} */
  public Signature signature() {
    return (Signature) target;
  }

  /**
   * Whether a load or store is marked {@code inbounds}: proven in bounds, so compiled code does
   * not check it. The verifier accepts the mark only where the IR itself proves it (docs/ir.md).
   *
   * @return whether the access is marked in bounds
   */
  public boolean inBounds() {
    return inBounds;
  }

  /**
   * Whether a load is marked {@code invariant}: the front end promises the bytes it reads do not
   * change while the function may run it (docs/ir.md), so passes may reuse its value across
   * stores and calls. Memory safety never depends on the promise: a false one only makes a load
   * return a stale value. The verifier accepts the mark only on loads.
   *
   * @return whether the load is marked invariant
   */
  public boolean invariant() {
    return invariant;
  }

  /**
   * {@return the address of a load or store} A new object each time: a walk over many accesses
   * reads its parts instead ({@link #addressBase}, {@link #addressIndex}, {@link #scale},
   * {@link #immediate}).
   */
  public Address address() {
    return new Address(addressBase(), addressIndex(), scale, (int) immediate);
  }

  /** {@return the base of a load's or store's address} */
  public Value addressBase() {
    return args[opcode == Opcode.STORE ? 1 : 0];
  }

  /** {@return the index of a load's or store's address, or null if it has none} */
  public Value addressIndex() {
    int index = opcode == Opcode.STORE ? 2 : 1;
    return args.length > index ? args[index] : null;
  }

  /**
   * Whether this load or store and {@code other} access the same address.
   *
   * @param other a load or store
   * @return whether their bases, indexes, scales and offsets are the same
   */
  public boolean sameAddress(Instruction other) {
    return addressBase() == other.addressBase() && addressIndex() == other.addressIndex()
        && scale == other.scale && (int) immediate == (int) other.immediate;
  }

  /**
   * The successors of a {@code jump} (one) or {@code brif} (then, else), with their arguments.
   *
   * @return the successors, empty for any other instruction
   */
  public List<BlockCall> targets() {
    return targetsView;
  }

  /** {@return its position, or {@link #NO_POSITION}} */
  public int position() {
    return position;
  }

  /** {@return the 1-based line of the text it was parsed from, or 0 if built from Java} */
  public int line() {
    return line;
  }

  /** {@return the 1-based column of the text it was parsed from, or 0 if built from Java} */
  public int column() {
    return column;
  }

  /**
   * The function this instruction was inlined from, which its traps (and the polls of its
   * branches) report as theirs, as they would if the call had not been inlined.
   *
   * @return that function, or {@code null} for an instruction of the function that holds it
   */
  public Function origin() {
    return origin;
  }

  /** {@return the scale of a load's or store's index (1 without an index); else 1} */
  public int scale() {
    return scale;
  }

  /**
   * A new {@code iconst} (an i64 {@code result}) or {@code fconst} (an f64 one, {@code bits} its
   * raw bits) defining {@code result}: a pass replaces an instruction folded to a constant by it.
   *
   * @param result the value it defines
   * @param bits the value, or for f64 its raw bits
   * @return the instruction
   */
  public static Instruction constant(Value result, long bits) {
    return new Instruction(result.type() == Type.I64 ? Opcode.ICONST : Opcode.FCONST, result,
        NO_VALUES, bits, null, null, 1, null, NO_POSITION);
  }

  /**
   * A new {@code jump} to {@code target} passing {@code args} to its parameters, at
   * {@code position} (a folded branch's, which a poll on a back edge reports).
   *
   * @param target the block branched to
   * @param args the values its parameters receive
   * @param position its position, or {@link #NO_POSITION}
   * @return the instruction
   */
  public static Instruction jump(Block target, List<Value> args, int position) {
    return new Instruction(Opcode.JUMP, null, NO_VALUES, 0, null, null, 1,
        new BlockCall[] {new BlockCall(target, args)}, position);
  }

  /**
   * A new {@code brif c, then(thenArgs), otherwise(otherwiseArgs)} at {@code position}.
   *
   * @param c the condition (i64, nonzero: then)
   * @param then the block branched to if {@code c != 0}
   * @param thenArgs the values its parameters receive
   * @param otherwise the block branched to if {@code c == 0}
   * @param otherwiseArgs the values its parameters receive
   * @param position its position, or {@link #NO_POSITION}
   * @return the instruction
   */
  public static Instruction brif(Value c, Block then, List<Value> thenArgs, Block otherwise,
      List<Value> otherwiseArgs, int position) {
    return new Instruction(Opcode.BRIF, null, new Value[] {c}, 0, null, null, 1,
        new BlockCall[] {new BlockCall(then, thenArgs), new BlockCall(otherwise, otherwiseArgs)},
        position);
  }

  /**
   * A copy defining {@code result}, its operands and branch arguments renamed by {@code renamed}
   * (indexed by value id, null or too short: the same value).
   */
  Instruction renamed(Value result, Value[] renamed) {
    return copy(result, renamed, null, target);
  }

  /**
   * A new {@code depth_enter levels} at {@code position}, which its trap reports.
   *
   * @param levels the levels it takes, at least 1
   * @param position its position, or {@link #NO_POSITION}
   * @return the instruction
   */
  public static Instruction depthEnter(int levels, int position) {
    return new Instruction(Opcode.DEPTH_ENTER, null, NO_VALUES, levels, null, null, 1, null,
        position);
  }

  /**
   * A new {@code depth_leave levels}.
   *
   * @param levels an i64 value: the levels it gives back
   * @return the instruction
   */
  public static Instruction depthLeave(Value levels) {
    return new Instruction(Opcode.DEPTH_LEAVE, null, new Value[] {levels}, 0, null, null, 1, null,
        NO_POSITION);
  }

  /**
   * A new {@code return}.
   *
   * @param value the value returned, or {@code null} for a function without a result
   * @param position its position, or {@link #NO_POSITION}
   * @return the instruction
   */
  public static Instruction ret(Value value, int position) {
    return new Instruction(Opcode.RETURN, null, value == null ? NO_VALUES : new Value[] {value},
        0, null, null, 1, null, position);
  }

  /** A copy for a copied function: values and blocks by id, calls to the copied module's functions. */
  Instruction copy(Value[] values, Block[] blocks, Module module) {
    Object to = target instanceof Function f ? module.functions().get(f.index()) : target;
    Instruction c = copy(result == null ? null : values[result.id()], values, blocks, to);
    c.origin = origin == null ? null : module.functions().get(origin.index());
    return c;
  }

  /**
   * A copy that reads {@code renamed[v.id()]} for each operand and branch argument {@code v} where
   * that is not null, with the same result (which it then defines) and origin: to take this
   * instruction's place in its block ({@link Block#set}).
   *
   * @param renamed indexed by {@link Value#id()}; may be shorter than the function's value count
   * @return the copy
   */
  public Instruction renamed(Value[] renamed) {
    return copy(result, renamed, null, target);
  }

  /** A copy defining {@code newResult} instead ({@link Function#newCopy}). */
  Instruction withResult(Value newResult) {
    return copy(newResult, NO_VALUES, null, target);
  }

  /** A copy with operands renamed as {@link #renamed} does and targets by id in {@code blocks} (null: the same). */
  private Instruction copy(Value newResult, Value[] renamed, Block[] blocks, Object newTarget) {
    Value[] a = args.length == 0 ? NO_VALUES : new Value[args.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = rename(args[i], renamed);
    }
    BlockCall[] t = null;
    if (targets != null) {
      t = new BlockCall[targets.length];
      for (int i = 0; i < t.length; i++) {
        ArrayList<Value> from = targets[i].args;
        ArrayList<Value> callArgs = new ArrayList<>(from.size());
        for (int k = 0; k < from.size(); k++) {
          callArgs.add(rename(from.get(k), renamed));
        }
        Block target = targets[i].target();
        t[i] = new BlockCall(blocks == null ? target : blocks[target.id()], callArgs);
      }
    }
    Instruction c = new Instruction(opcode, newResult, a, immediate, kind, newTarget, scale, t,
        position);
    c.inBounds = inBounds;
    c.invariant = invariant;
    c.line = line;
    c.column = column;
    c.origin = origin;
    return c;
  }

  private static Value rename(Value v, Value[] renamed) {
    return v.id() < renamed.length && renamed[v.id()] != null ? renamed[v.id()] : v;
  }

  /** The instruction in the text form, its values named as they are numbered. */
  @Override
  public String toString() {
    return IrPrinter.instruction(this, IrPrinter.Names.AS_NUMBERED);
  }
}
