package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import java.util.ArrayList;
import java.util.List;

/**
 * The edges into each block of a function, as its predecessors' branch targets (whose arguments
 * a pass may read or extend), each with the block it leaves, in the order of the function's
 * blocks. A snapshot: edits to the branches afterwards are not seen.
 */
final class IncomingEdges {
  private final List<List<BlockCall>> calls;
  private final List<List<Block>> sources;

  IncomingEdges(Function f) {
    calls = new ArrayList<>(f.blockCount());
    sources = new ArrayList<>(f.blockCount());
    for (int i = 0; i < f.blockCount(); i++) {
      calls.add(null);
      sources.add(null);
    }
    for (Block b : f.blocks()) {
      for (BlockCall call : b.terminator().targets()) {
        int t = call.target().id();
        if (calls.get(t) == null) {
          calls.set(t, new ArrayList<>(2));
          sources.set(t, new ArrayList<>(2));
        }
        calls.get(t).add(call);
        sources.get(t).add(b);
      }
    }
  }

  /** The number of edges into each block of {@code f}, by block id, for passes that only count. */
  static int[] counts(Function f) {
    int[] counts = new int[f.blockCount()];
    for (Block b : f.blocks()) {
      List<BlockCall> targets = b.terminator().targets();
      for (int k = 0; k < targets.size(); k++) {
        counts[targets.get(k).target().id()]++;
      }
    }
    return counts;
  }

  /** The edges into {@code b}, or null if none. */
  List<BlockCall> into(Block b) {
    return calls.get(b.id());
  }

  /** The block each edge of {@link #into} leaves, in the same order; null if none. */
  List<Block> from(Block b) {
    return sources.get(b.id());
  }
}
