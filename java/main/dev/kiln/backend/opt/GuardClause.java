package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A function's guard clause: from its entry, through plain jumps, pure instructions up to a
 * {@code brif} one of whose targets leads, through pure instructions and plain jumps again, to a
 * {@code return} ({@code if n < 2 { return n; }}). Nothing on either path can trap or be seen, so
 * a caller may test it itself and skip the call where the function would return at once.
 *
 * @param test the blocks from the entry to the one ending in the {@code brif}
 * @param early which target of the {@code brif} (0 or 1) returns at once
 * @param exit the blocks from that target to the one ending in the {@code return}
 */
record GuardClause(List<Block> test, int early, List<Block> exit) {
  /**
   * The guard clause {@code g} starts with, if its paths have at most {@link
   * Thresholds#GUARD_CLAUSE_BUDGET} instructions besides jumps, else null.
   */
  static GuardClause of(Function g) {
    Definitions defs = new Definitions(g);
    Set<Block> seen = new HashSet<>();
    List<Block> test = path(g.entry(), Opcode.BRIF, defs, seen);
    if (test == null) {
      return null;
    }
    Instruction brif = test.get(test.size() - 1).terminator();
    for (int side = 0; side < 2; side++) {
      List<Block> exit = path(brif.targets().get(side).target(), Opcode.RETURN, defs,
          new HashSet<>(seen));
      if (exit != null && size(test) + size(exit) <= Thresholds.GUARD_CLAUSE_BUDGET) {
        return new GuardClause(test, side, exit);
      }
    }
    return null;
  }

  /**
   * The blocks from {@code from} through plain jumps to one ending in {@code end}, all of pure
   * instructions and none in {@code seen} (a loop), or null.
   */
  private static List<Block> path(Block from, Opcode end, Definitions defs, Set<Block> seen) {
    List<Block> blocks = new ArrayList<>();
    for (Block b = from; seen.add(b); ) {
      blocks.add(b);
      List<Instruction> code = b.instructions();
      for (Instruction inst : code.subList(0, code.size() - 1)) {
        if (!Effects.isPure(inst, defs)) {
          return null;
        }
      }
      Instruction t = b.terminator();
      if (t.opcode() == end) {
        return blocks;
      }
      if (t.opcode() != Opcode.JUMP) {
        return null;
      }
      b = t.targets().get(0).target();
    }
    return null;
  }

  /** Instructions of {@code blocks} besides their jumps. */
  private static int size(List<Block> blocks) {
    int n = 0;
    for (Block b : blocks) {
      n += b.instructions().size() - (b.terminator().opcode() == Opcode.JUMP ? 1 : 0);
    }
    return n;
  }
}
