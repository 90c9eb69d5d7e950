package dev.kiln.bytecode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a {@link Program}: functions one after another into one code array, with pooled
 * constants, strings and source positions. The front end drives it; it checks operand counts
 * against {@link Op#shape} so a malformed instruction fails at compile time, not at run time.
 */
public final class CodeBuilder {
  private final IntList code = new IntList();
  private final List<FunctionInfo> functions = new ArrayList<>();
  private final List<Long> constantValues = new ArrayList<>();
  private final Map<Long, Integer> constantIndex = new HashMap<>();
  private final List<String> strings = new ArrayList<>();
  private final Map<String, Integer> stringIndex = new HashMap<>();
  private final IntList lines = new IntList();
  private final IntList columns = new IntList();
  private final IntList markPcs = new IntList();
  private final IntList markPositions = new IntList();
  private int functionEntry = -1;

  /** The offset the next instruction will have. */
  public int pc() {
    return code.size();
  }

  /** Emits one instruction; {@code operands} must match {@link Op#shape}, with no {@code t}. */
  public void emit(int op, int... operands) {
    if (operands.length != Op.length(op) - 1 || Op.isBranch(op)) {
      throw new IllegalArgumentException("bad operands for " + Op.name(op));
    }
    code.add(op);
    for (int v : operands) {
      code.add(v);
    }
  }

  /** Emits a branch whose last operand ({@code t}) is {@code target}. */
  public void emitBranch(int op, Label target, int... operands) {
    if (operands.length != Op.length(op) - 2 || !Op.isBranch(op)) {
      throw new IllegalArgumentException("bad operands for " + Op.name(op));
    }
    code.add(op);
    for (int v : operands) {
      code.add(v);
    }
    if (target.target >= 0) {
      code.add(target.target);
    } else {
      target.fixups.add(code.size());
      code.add(-1);
    }
  }

  /** Fixes {@code label} at the current offset and patches the branches already emitted to it. */
  public void bind(Label label) {
    label.target = code.size();
    for (int i = 0; i < label.fixups.size(); i++) {
      code.set(label.fixups.get(i), label.target);
    }
  }

  /** The pool index of a 64-bit constant (an int, or a float's raw bits). */
  public int constant(long value) {
    return intern(constantIndex, value, constantValues);
  }

  /** The pool index of a string literal. */
  public int string(String value) {
    return intern(stringIndex, value, strings);
  }

  /**
   * Adds a 1-based source line and column to the position table and returns its index. Each call
   * adds an entry: the front end asks once per source offset and reuses the index (a lookup of
   * the pair here cost a boxed map entry per position, most of them new, in a cold JVM).
   */
  public int position(int line, int column) {
    lines.add(line);
    columns.add(column);
    return lines.size() - 1;
  }

  /** The index of {@code value} in {@code pool}, appending it the first time it is seen. */
  private static <T> int intern(Map<T, Integer> index, T value, List<T> pool) {
    Integer i = index.get(value);
    if (i == null) {
      i = pool.size();
      index.put(value, i);
      pool.add(value);
    }
    return i;
  }

  /** Records that the code from here on belongs to the construct at {@code position}. */
  public void mark(int position) {
    markPcs.add(code.size());
    markPositions.add(position);
  }

  /**
   * Drops the code (and marks) emitted from {@code pc} on, which must lie in the current function,
   * so the front end can generate it again; labels bound or used there must not be reused.
   */
  public void rewind(int pc) {
    if (functionEntry < 0 || pc < functionEntry || pc > code.size()) {
      throw new IllegalArgumentException("rewind to " + pc + " outside the current function");
    }
    code.truncate(pc);
    int marks = markPcs.size();
    while (marks > 0 && markPcs.get(marks - 1) >= pc) {
      marks--;
    }
    markPcs.truncate(marks);
    markPositions.truncate(marks);
  }

  public void beginFunction() {
    functionEntry = code.size();
  }

  /** Ends the function begun last; its index is the order of {@code endFunction} calls. */
  public void endFunction(String name, int frameSize, List<ValueKind> params, ValueKind result) {
    functions.add(new FunctionInfo(name, functionEntry, code.size(), frameSize, params, result));
  }

  public Program build(int mainIndex) {
    long[] pool = new long[constantValues.size()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = constantValues.get(i);
    }
    return new Program(
        code.toArray(),
        functions,
        mainIndex,
        pool,
        strings,
        lines.toArray(),
        columns.toArray(),
        markPcs.toArray(),
        markPositions.toArray());
  }
}
