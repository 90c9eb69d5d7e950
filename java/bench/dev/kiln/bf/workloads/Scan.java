package dev.kiln.bf.workloads;

import dev.kiln.bf.workloads.BfWriter.Cell;

/**
 * A pointer-scan workload in Brainfuck: in each pass grows a run of nonzero cells to
 * {@code blocks * blockLength} cells, one cell a round, each round scanning from the run's start
 * to its end ({@code [>]}) and back ({@code [<]}); then prints the pass's letter (from A) and
 * clears the run. The work is almost all long scans: length squared cells a pass.
 *
 * @param passes the number of passes (1 to 26)
 * @param blocks the run's length in blocks (1 to 255)
 * @param blockLength cells a block (1 to 255)
 */
record Scan(int passes, int blocks, int blockLength) {
  Scan {
    if (passes < 1 || passes > 26 || blocks < 1 || blocks > 255 || blockLength < 1
        || blockLength > 255) {
      throw new IllegalArgumentException("Scan: passes 1 to 26, blocks and block length 1 to 255");
    }
  }

  /** The Brainfuck program. */
  String program() {
    BfWriter w = new BfWriter();
    Cell letters = w.cell();
    Cell outer = w.cell();
    Cell inner = w.cell();
    Cell mark = w.cell();
    Cell text = w.cell();
    w.plainCell(); // zero: every scan back ends here, right before the run
    Cell run = w.plainCell();
    w.set(mark, 'A');
    w.set(letters, passes);
    w.loop(letters, () -> {
      w.add(letters, -1);
      w.set(outer, blocks);
      w.loop(outer, () -> {
        w.add(outer, -1);
        w.set(inner, blockLength);
        w.loop(inner, () -> {
          w.add(inner, -1);
          w.extendRun(run);
        });
      });
      w.print(mark);
      w.add(mark, 1);
      w.clearRun(run);
    });
    w.clear(mark);
    w.printText("\n", text);
    return w.code();
  }

  /** What the program prints. */
  String expected() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < passes; i++) {
      out.append((char) ('A' + i));
    }
    return out.append('\n').toString();
  }
}
