package dev.kiln.bf;

import dev.kiln.source.Source;

/**
 * The optimised Brainfuck IR: instructions of three ints each ({@code op, a, b}) in one array,
 * plus for each instruction the source offset of the command it stands for (for runtime errors).
 *
 * <table>
 *   <caption>Instructions ({@code p} is the cell pointer, {@code t} the tape)</caption>
 *   <tr><td>{@link #ADD} off, k</td><td>{@code t[p+off] += k} (mod 256)</td></tr>
 *   <tr><td>{@link #SET} off, k</td><td>{@code t[p+off] = k}</td></tr>
 *   <tr><td>{@link #MOVE} d</td><td>{@code p += d}</td></tr>
 *   <tr><td>{@link #OUT} off</td><td>write {@code t[p+off]}</td></tr>
 *   <tr><td>{@link #IN} off</td><td>read a byte into {@code t[p+off]}; unchanged at end of input</td></tr>
 *   <tr><td>{@link #JZ} target</td><td>if {@code t[p] == 0} go to instruction {@code target}</td></tr>
 *   <tr><td>{@link #JNZ} target</td><td>if {@code t[p] != 0} go to instruction {@code target}</td></tr>
 *   <tr><td>{@link #MUL} off, f</td><td>{@code t[p+off] += t[p] * f} (a multiply-move loop)</td></tr>
 *   <tr><td>{@link #SCAN} step</td><td>{@code do p += step; while (t[p] != 0)} (after a {@code JZ})</td></tr>
 * </table>
 *
 * Every cell access is bounds-checked against the tape's size; targets are instruction
 * indexes, so a back end can place a label at each.
 */
public record BfProgram(int[] code, int[] sourceOffsets, Source source) {
  /** The number of cells of the tape unless the user asks for another. */
  public static final int DEFAULT_TAPE_CELLS = 30_000;
  /** The largest tape: 256 Mi cells, one byte each, which the interpreter holds in one array. */
  public static final int MAX_TAPE_CELLS = 1 << 28;

  public static final int ADD = 0;
  public static final int SET = 1;
  public static final int MOVE = 2;
  public static final int OUT = 3;
  public static final int IN = 4;
  public static final int JZ = 5;
  public static final int JNZ = 6;
  public static final int MUL = 7;
  public static final int SCAN = 8;

  private static final String[] NAMES = {"add", "set", "move", "out", "in", "jz", "jnz", "mul", "scan"};
  private static final int[] OPERANDS = {2, 2, 1, 1, 1, 1, 1, 2, 1};

  public int size() {
    return code.length / 3;
  }

  public int op(int index) {
    return code[3 * index];
  }

  public int a(int index) {
    return code[3 * index + 1];
  }

  public int b(int index) {
    return code[3 * index + 2];
  }

  /** A readable listing, one instruction a line, for {@code kiln bf --dump=ir}. */
  public String listing() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < size(); i++) {
      int op = op(i);
      sb.append(String.format("%5d  %-5s", i, NAMES[op]));
      sb.append(' ').append(a(i));
      if (OPERANDS[op] == 2) {
        sb.append(", ").append(b(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
