package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

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
    // for each parameter (by value id), the arguments passed to it
    List<List<Value>> incoming = new ArrayList<>(f.valueCount());
    for (int i = 0; i < f.valueCount(); i++) {
      incoming.add(null);
    }
    BitSet live = new BitSet(f.valueCount());
    List<Value> work = new ArrayList<>();
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (!Effects.isPure(inst, defs)) {
          markArgs(inst, live, work);
        }
        for (BlockCall call : inst.targets()) {
          for (int i = 0; i < call.args().size(); i++) {
            Value p = call.target().params().get(i);
            if (incoming.get(p.id()) == null) {
              incoming.set(p.id(), new ArrayList<>(2));
            }
            incoming.get(p.id()).add(call.args().get(i));
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
      } else if (incoming.get(v.id()) != null) {
        for (Value a : incoming.get(v.id())) {
          mark(a, live, work);
        }
      }
    }
    BitSet deadParams = new BitSet(f.valueCount());
    for (Block b : f.blocks()) {
      b.removeIf(inst -> inst.result() != null && !live.get(inst.result().id())
          && Effects.isPure(inst, defs));
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

  private static void markArgs(Instruction inst, BitSet live, List<Value> work) {
    for (int k = 0; k < inst.argCount(); k++) {
      mark(inst.arg(k), live, work);
    }
  }

  private static void mark(Value v, BitSet live, List<Value> work) {
    if (!live.get(v.id())) {
      live.set(v.id());
      work.add(v);
    }
  }
}
