package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.List;

/**
 * Sends an edge into a <em>forwarding</em> block (no parameters, nothing but {@code jump
 * T(args)}) straight to {@code T(args)}, following chains of them, so that the way through
 * costs no jump of its own (a guard's early path that only passes its value on, a join of
 * inlined code). The arguments are defined in blocks that dominate the forwarding block and so
 * the edge's source too. Only edges that go forwards in the IR's block order all the way are
 * threaded: none of them polls, and neither does the threaded one. The forwarding blocks no
 * longer reached are removed.
 */
public final class JumpThreading implements Pass {
  @Override
  public String name() {
    return "thread";
  }

  @Override
  public void run(Function f) {
    List<Block> blocks = f.blocks();
    boolean threadedAny = false;
    int[] order = new int[f.blockCount()];
    for (int k = 0; k < blocks.size(); k++) {
      order[blocks.get(k).id()] = k;
    }
    for (Block b : blocks) {
      Instruction t = b.terminator();
      if (t.opcode() != Opcode.JUMP && t.opcode() != Opcode.BRIF) {
        continue;
      }
      List<BlockCall> edges = t.targets();
      BlockCall[] threaded = new BlockCall[edges.size()];
      boolean changed = false;
      for (int e = 0; e < edges.size(); e++) {
        threaded[e] = destination(edges.get(e), order[b.id()], order);
        changed |= threaded[e] != edges.get(e);
      }
      if (changed) {
        threadedAny = true;
        b.set(b.instructions().size() - 1, t.opcode() == Opcode.JUMP
            ? Instruction.jump(threaded[0].target(), threaded[0].args(), t.position())
            : Instruction.brif(t.arg(0), threaded[0].target(), threaded[0].args(),
                threaded[1].target(), threaded[1].args(), t.position()));
      }
    }
    if (threadedAny) {
      f.removeUnreachableBlocks();
    }
  }

  /**
   * Where {@code edge}, from the block at {@code from} in the IR's order, ends up: past every
   * forwarding block whose own jump goes forwards, or {@code edge} itself.
   */
  private static BlockCall destination(BlockCall edge, int from, int[] order) {
    BlockCall at = edge;
    int position = from;
    while (order[at.target().id()] > position && isForwarding(at.target())) {
      BlockCall next = at.target().terminator().targets().get(0);
      if (order[next.target().id()] <= order[at.target().id()]) {
        break;
      }
      position = order[at.target().id()];
      at = next;
    }
    return at;
  }

  private static boolean isForwarding(Block b) {
    return b.params().isEmpty() && b.instructions().size() == 1
        && b.terminator().opcode() == Opcode.JUMP;
  }
}
