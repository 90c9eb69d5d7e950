package dev.kiln.bytecode;

import java.util.Arrays;
import java.util.List;

/**
 * A compiled Kiln program: one code array holding every function, the functions, the constant
 * pools and the position tables. Immutable; shared by the interpreter, the JIT and the listing.
 */
public final class Program {
  private final int[] code;
  private final List<FunctionInfo> functions;
  private final int mainIndex;
  private final long[] constants;
  private final List<String> strings;
  private final int[] lines;
  private final int[] columns;
  private final int[] markPcs;
  private final int[] markPositions;

  Program(
      int[] code,
      List<FunctionInfo> functions,
      int mainIndex,
      long[] constants,
      List<String> strings,
      int[] lines,
      int[] columns,
      int[] markPcs,
      int[] markPositions) {
    this.code = code;
    this.functions = List.copyOf(functions);
    this.mainIndex = mainIndex;
    this.constants = constants;
    this.strings = List.copyOf(strings);
    this.lines = lines;
    this.columns = columns;
    this.markPcs = markPcs;
    this.markPositions = markPositions;
  }

  /** The code of all functions; callers must not modify it. */
  public int[] code() {
    return code;
  }

  public List<FunctionInfo> functions() {
    return functions;
  }

  public FunctionInfo function(int index) {
    return functions.get(index);
  }

  /** The index of {@code fn main()}, where execution starts. */
  public int mainIndex() {
    return mainIndex;
  }

  /** The 64-bit constant pool ({@code k} operands): ints, and floats as raw bits. */
  public long constant(int k) {
    return constants[k];
  }

  /** The string pool ({@code c} operands): the literals of {@code print}, escapes processed. */
  public List<String> strings() {
    return strings;
  }

  /** The 1-based source line of position-table entry {@code p} (a {@code p} operand). */
  public int line(int p) {
    return lines[p];
  }

  /** The 1-based source column (in characters) of position-table entry {@code p}. */
  public int column(int p) {
    return columns[p];
  }

  /**
   * The position of the source construct whose code contains {@code pc}: the nearest statement,
   * loop condition or call compiled at or before it. Used for errors raised by instructions that
   * carry no {@code p} operand, such as {@code time limit exceeded} at a backward branch.
   */
  public int positionAt(int pc) {
    int i = indexOfMarkAtOrBefore(pc);
    return i < 0 ? -1 : markPositions[i];
  }

  /** The index of the last mark at or before {@code pc}, or -1 if there is none. */
  private int indexOfMarkAtOrBefore(int pc) {
    int i = Arrays.binarySearch(markPcs, pc);
    if (i < 0) {
      return -i - 2;
    }
    // Several marks may share a pc; the last one is the innermost construct.
    while (i + 1 < markPcs.length && markPcs[i + 1] == pc) {
      i++;
    }
    return i;
  }

  /**
   * {@link #positionAt} of every pc from {@code from} up to (not including) {@code to}, in one
   * pass over the marks instead of a search per pc.
   *
   * @return the positions, element {@code pc - from} for {@code pc}
   */
  public int[] positionsAt(int from, int to) {
    int[] positions = new int[to - from];
    int i = from < to ? indexOfMarkAtOrBefore(from) : -1;
    for (int pc = from; pc < to; pc++) {
      while (i + 1 < markPcs.length && markPcs[i + 1] <= pc) {
        i++;
      }
      positions[pc - from] = i < 0 ? -1 : markPositions[i];
    }
    return positions;
  }
}
