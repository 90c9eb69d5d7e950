package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Redundant block parameters: a parameter to which every edge into its block passes one value
 * (or the parameter itself, around a loop) is that value, which then dominates the block; its
 * uses take the value and the parameter and its arguments go. A removed parameter can make
 * another one redundant (a value handed through a chain of blocks or a diamond), so the blocks
 * it was passed to are looked at again (a worklist), until nothing changes; then, in one sweep
 * over all parameters, those the worklist missed (passed a value that was itself replaced after
 * their block was looked at) and the cycles of parameters that hand one value around nested
 * loops ({@link ParameterCycles}), and the worklist again for what those free. A value computed in a loop stays a parameter where it
 * leaves the loop, so that a pass copying the loop (loop-bce's versions) finds every value the
 * loop hands on among the arguments of its exits.
 */
public final class RedundantParameters implements Pass {
  @Override
  public String name() {
    return "params";
  }

  @Override
  public void run(Function f) {
    IncomingEdges incoming = new IncomingEdges(f);
    // the blocks each value is passed to: where removing a parameter may make another redundant
    List<List<Block>> passedTo = new ArrayList<>(f.valueCount());
    for (int i = 0; i < f.valueCount(); i++) {
      passedTo.add(null);
    }
    ArrayDeque<Block> work = new ArrayDeque<>();
    for (Block b : f.blocks()) {
      if (b != f.entry() && !b.params().isEmpty()) {
        work.add(b);
      }
      for (BlockCall call : b.terminator().targets()) {
        for (Value v : call.args()) {
          List<Block> to = passedTo.get(v.id());
          if (to == null) {
            to = new ArrayList<>(1);
            passedTo.set(v.id(), to);
          }
          to.add(call.target());
        }
      }
    }
    if (work.isEmpty()) {
      return;
    }
    LoopExits exits = new LoopExits(f);
    Value[] replacement = new Value[f.valueCount()];
    BitSet dead = new BitSet();
    BitSet queued = new BitSet();
    for (Block b : work) {
      queued.set(b.id());
    }
    while (true) {
      drain(work, queued, incoming, passedTo, replacement, dead, exits);
      List<Value> removed = ParameterCycles.collapse(f, incoming, replacement, dead, exits);
      if (removed.isEmpty()) {
        break;
      }
      for (Value p : removed) {
        requeue(p, passedTo, work, queued);
      }
    }
    if (!dead.isEmpty()) {
      f.replaceUses(replacement);
      f.removeParams(dead);
    }
  }

  /** Removes parameters passed one value until the {@code work} list of blocks is empty. */
  private static void drain(ArrayDeque<Block> work, BitSet queued,
      IncomingEdges incoming, List<List<Block>> passedTo, Value[] replacement,
      BitSet dead, LoopExits exits) {
    while (!work.isEmpty()) {
      Block b = work.poll();
      queued.clear(b.id());
      List<BlockCall> in = incoming.into(b);
      if (in == null) {
        continue;
      }
      for (int k = 0; k < b.params().size(); k++) {
        Value p = b.params().get(k);
        if (dead.get(p.id())) {
          continue;
        }
        Value same = passed(in, k, p, replacement);
        if (same != null && exits.test(p, b, same)) {
          replacement[p.id()] = same;
          dead.set(p.id());
          requeue(p, passedTo, work, queued);
        }
      }
    }
  }

  /** Queues the blocks {@code p} is passed to, whose parameters may now be redundant. */
  private static void requeue(Value p, List<List<Block>> passedTo, ArrayDeque<Block> work,
      BitSet queued) {
    List<Block> to = passedTo.get(p.id());
    if (to == null) {
      return;
    }
    for (Block t : to) {
      if (!queued.get(t.id())) {
        queued.set(t.id());
        work.add(t);
      }
    }
  }

  /**
   * Where a parameter may take a value: not where a value computed in a loop leaves it. Its loop
   * nest is made for the first parameter found passed one value (a function with none needs
   * none), before any edit: the pass edits the function only at its end.
   */
  private static final class LoopExits implements ParameterCycles.Replaceable {
    private final Function f;
    private LoopNest nest;
    private int[] defBlock;

    LoopExits(Function f) {
      this.f = f;
    }

    @Override
    public boolean test(Value param, Block block, Value value) {
      if (nest == null) {
        nest = LoopNest.of(f);
        defBlock = Definitions.blocks(f);
      }
      int loop = nest.innermost(defBlock[value.id()]);
      return loop < 0 || nest.contains(loop, block.id());
    }
  }

  /** The one value other than {@code p} that the edges {@code in} pass to it, or null. */
  private static Value passed(List<BlockCall> in, int k, Value p, Value[] replacement) {
    Value same = null;
    for (BlockCall call : in) {
      Value v = Function.resolve(call.args().get(k), replacement);
      if (v == p) {
        continue;
      }
      if (same != null && same != v) {
        return null;
      }
      same = v;
    }
    return same;
  }
}
