package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueLists;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Removes the blocks no path reaches, then, by marking from the instructions that must run
 * (side effects, possible traps, terminators), the pure instructions whose results are unused
 * and the block parameters no live instruction reads, with the arguments branches pass to them.
 * A value passed around a loop only to itself is dead.
 */
public final class DeadCodeElimination implements Pass {
  @Override
  public String name() {
    return "dce";
  }

  @Override
  public void run(Function f) {
    f.removeUnreachableBlocks();
    Definitions defs = new Definitions(f);
    ValueLists incoming = new ValueLists(f.valueCount()); // each parameter's arguments
    BitSet live = new BitSet(f.valueCount());
    ArrayList<Value> work = new ArrayList<>();
    // indexed loops: an iterator is an allocation in C1-compiled code
    for (Block b : f.blocks()) {
      List<Instruction> insts = b.instructions();
      for (int n = 0; n < insts.size(); n++) {
        Instruction inst = insts.get(n);
        if (!Effects.isPure(inst, defs)) {
          markArgs(inst, live, work);
        }
        List<BlockCall> targets = inst.targets();
        for (int t = 0; t < targets.size(); t++) {
          BlockCall call = targets.get(t);
          List<Value> params = call.target().params();
          List<Value> args = call.args();
          for (int i = 0; i < args.size(); i++) {
            incoming.add(params.get(i), args.get(i));
          }
        }
      }
    }
    for (Value p : f.entry().params()) {
      mark(p, live, work);
    }
    while (!work.isEmpty()) {
      Value v = work.remove(work.size() - 1);
      Instruction def = defs.of(v);
      if (def != null) {
        markArgs(def, live, work);
      } else {
        for (int k = incoming.first(v.id()); k != 0; k = incoming.next(k)) {
          mark(incoming.value(k), live, work);
        }
      }
    }
    BitSet deadParams = new BitSet(f.valueCount());
    Predicate<Instruction> dead = new Dead(live, defs); // one for all blocks
    for (Block b : f.blocks()) {
      b.removeIf(dead);
      if (b != f.entry()) {
        for (Value p : b.params()) {
          if (!live.get(p.id())) {
            deadParams.set(p.id());
          }
        }
      }
    }
    if (!deadParams.isEmpty()) {
      f.removeParams(deadParams);
    }
  }


  private static void markArgs(Instruction inst, BitSet live, ArrayList<Value> work) {
    for (int k = 0; k < inst.argCount(); k++) {
      mark(inst.arg(k), live, work);
    }
  }

  private static void mark(Value v, BitSet live, ArrayList<Value> work) {
    if (!live.get(v.id())) {
      live.set(v.id());
      work.add(v);
    }
  }

  /**
   * A pure instruction whose result is not live. A class, not a lambda: linking one costs a cold
   * JVM the lambda machinery's start-up.
   */
  private static final class Dead implements Predicate<Instruction> {
    private final BitSet live;
    private final Definitions defs;

    Dead(BitSet live, Definitions defs) {
      this.live = live;
      this.defs = defs;
    }

    @Override
    public boolean test(Instruction inst) {
      return inst.result() != null && !live.get(inst.result().id()) && Effects.isPure(inst, defs);
    }
  }
}
