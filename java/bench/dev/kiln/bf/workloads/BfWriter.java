package dev.kiln.bf.workloads;

/**
 * The core of a tiny structured macro language that compiles to Brainfuck: cells at fixed tape
 * positions (the writer tracks the pointer, so every construct starts and ends at a known cell),
 * constants, moves, copies, loops and if/else.
 *
 * <p>A testable cell is a slot of three tape cells: the value and two scratch cells that stay
 * zero between constructs, which {@link #ifElse} needs next to the cell it tests so that the
 * test neither copies nor destroys the value.
 */
final class BfWriter {
  /**
   * A cell: the position of its value on the tape; a testable cell has two scratch cells after
   * it, which {@link #ifElse} needs.
   */
  record Cell(int at, boolean testable) {}

  private final StringBuilder code = new StringBuilder();
  private int pointer;
  private int nextFree;

  /** A new cell that {@link #ifElse} may test, zero on a fresh tape. */
  Cell cell() {
    Cell c = new Cell(nextFree, true);
    nextFree += 3;
    return c;
  }

  /** A new cell that {@link #ifElse} may not test (it takes one tape cell), zero on a fresh tape. */
  Cell plainCell() {
    return new Cell(nextFree++, false);
  }

  /** {@code count} new testable cells. */
  Cell[] cells(int count) {
    Cell[] cells = new Cell[count];
    for (int i = 0; i < count; i++) {
      cells[i] = cell();
    }
    return cells;
  }

  /** The number of tape cells used so far. */
  int tapeCells() {
    return nextFree;
  }

  /** The Brainfuck code written so far. */
  String code() {
    return code.toString();
  }

  private void go(int at) {
    char step = at > pointer ? '>' : '<';
    for (int i = Math.abs(at - pointer); i > 0; i--) {
      code.append(step);
    }
    pointer = at;
  }

  /** {@code c += k} (mod 256). */
  void add(Cell c, int k) {
    go(c.at());
    char step = k > 0 ? '+' : '-';
    for (int i = Math.abs(k); i > 0; i--) {
      code.append(step);
    }
  }

  /** {@code c = 0}. */
  void clear(Cell c) {
    go(c.at());
    code.append("[-]");
  }

  /** {@code c = k}. */
  void set(Cell c, int k) {
    clear(c);
    add(c, k);
  }

  /** Adds {@code from} to each of {@code to}; {@code from} ends zero. */
  void move(Cell from, Cell... to) {
    loop(from, () -> {
      add(from, -1);
      for (Cell t : to) {
        add(t, 1);
      }
    });
  }

  /** Adds {@code factor} times {@code from} to {@code to}; {@code from} ends zero. */
  void moveScaled(Cell from, Cell to, int factor) {
    loop(from, () -> {
      add(from, -1);
      add(to, factor);
    });
  }

  /** {@code to = from}, with {@code tmp} (zero) as scratch; {@code from} keeps its value. */
  void copy(Cell from, Cell to, Cell tmp) {
    clear(to);
    move(from, to, tmp);
    move(tmp, from);
  }

  /** {@code while (c != 0) body}: the body may go anywhere, the test is always on {@code c}. */
  void loop(Cell c, Runnable body) {
    go(c.at());
    code.append('[');
    body.run();
    go(c.at());
    code.append(']');
  }

  /**
   * {@code if (c != 0) nonZero else zero}, leaving {@code c} as the branch leaves it. The first
   * scratch cell of {@code c} becomes a one-shot flag: set, the nonzero branch runs inside a loop on
   * {@code c} that clears the flag and ends on it; unset or not, one step right lands on the flag
   * (c was zero) or on the second scratch cell (zero), which decides the other branch and puts
   * both paths on the second scratch cell. Neither branch may touch the scratch cells of {@code c}.
   */
  void ifElse(Cell c, Runnable nonZero, Runnable zero) {
    if (!c.testable()) {
      throw new IllegalArgumentException("ifElse on a cell without scratch cells at " + c.at());
    }
    int at = c.at();
    go(at + 1);
    code.append('+');
    go(at);
    code.append('[');
    nonZero.run();
    go(at + 1);
    code.append("-]");
    pointer = at; // the path where c was zero; the other is one to the right, and so is the next step
    code.append('>');
    pointer = at + 1;
    code.append("[-");
    zero.run();
    go(at + 2);
    code.append(']');
  }

  /** {@code if (flag) body} for a flag that is 0 or 1; the flag ends zero. */
  void ifFlag(Cell flag, Runnable body) {
    loop(flag, () -> {
      add(flag, -1);
      body.run();
    });
  }

  /** {@code c = 1 - c} for a cell that is 0 or 1, with {@code tmp} (zero) as scratch. */
  void not(Cell c, Cell tmp) {
    add(tmp, 1);
    loop(c, () -> {
      add(c, -1);
      add(tmp, -1);
    });
    move(tmp, c);
  }

  /**
   * Appends a nonzero cell to the run of nonzero cells that starts at {@code start}: scans right
   * to the zero after the run ({@code [>]}), sets it to 1 and scans back ({@code [<]}) to the
   * cell before {@code start}, which must be zero and is where the pointer ends.
   */
  void extendRun(Cell start) {
    go(start.at());
    code.append("[>]+[<]");
    pointer = start.at() - 1;
  }

  /**
   * Clears the run of nonzero cells that starts at {@code start}: scans to its last cell
   * ({@code [>]<}) and clears cells back to the cell before {@code start} ({@code [[-]<]}), which
   * must be zero and is where the pointer ends.
   */
  void clearRun(Cell start) {
    go(start.at());
    code.append("[>]<[[-]<]");
    pointer = start.at() - 1;
  }

  /** Writes {@code c}. */
  void print(Cell c) {
    go(c.at());
    code.append('.');
  }

  /** Writes {@code text} (ASCII), building each character in {@code tmp} (zero), which ends zero. */
  void printText(String text, Cell tmp) {
    int value = 0;
    for (char ch : text.toCharArray()) {
      add(tmp, ch - value);
      value = ch;
      print(tmp);
    }
    clear(tmp);
  }

  /** Reads a byte into {@code c} (left as it is at the end of input). */
  void read(Cell c) {
    go(c.at());
    code.append(',');
  }
}
