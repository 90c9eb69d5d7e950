package dev.kiln.bytecode;

/**
 * The source positions of a program being built: each distinct (line, column) pair once, at the
 * index it was first seen. The front end asks for a position at nearly every statement and
 * every instruction that can fail, nearly all of them new, while the JVM still interprets it: a
 * table of ints with its own open-addressing index costs there a fraction of a {@code HashMap}
 * with boxed {@code Long} keys, which also rehashes as it grows.
 */
final class PositionTable {
  private final IntList lines = new IntList();
  private final IntList columns = new IntList();
  /** Linear probing; each cell holds an index + 1, 0 where empty; kept at most half full. */
  private int[] cells = new int[1024];

  /** The index of (line, column), appending the pair the first time it is seen. */
  int intern(int line, int column) {
    int mask = cells.length - 1;
    for (int i = hash(line, column) & mask; ; i = (i + 1) & mask) {
      int index = cells[i] - 1;
      if (index < 0) {
        index = lines.size();
        lines.add(line);
        columns.add(column);
        cells[i] = index + 1;
        if (2 * lines.size() > cells.length) {
          grow();
        }
        return index;
      }
      if (lines.get(index) == line && columns.get(index) == column) {
        return index;
      }
    }
  }

  /** Mixes both halves into the low bits the mask keeps (Fibonacci hashing of the line). */
  private static int hash(int line, int column) {
    int h = line * 0x9E3779B9 + column;
    return h ^ (h >>> 16);
  }

  private void grow() {
    cells = new int[2 * cells.length];
    int mask = cells.length - 1;
    for (int index = 0; index < lines.size(); index++) {
      int i = hash(lines.get(index), columns.get(index)) & mask;
      while (cells[i] != 0) {
        i = (i + 1) & mask;
      }
      cells[i] = index + 1;
    }
  }

  int[] lines() {
    return lines.toArray();
  }

  int[] columns() {
    return columns.toArray();
  }
}
