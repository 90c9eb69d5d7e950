package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Redundant block parameters: a parameter to which every edge into its block passes one value
 * (or the parameter itself, around a loop) is that value, which then dominates the block; its
 * uses take the value and the parameter and its arguments go. A removed parameter can make
 * another one redundant (a value handed through a chain of blocks or a diamond), so the blocks
 * are swept until nothing changes. A block reached by one edge keeps no parameter.
 */
public final class RedundantParameters implements Pass {
  @Override
  public String name() {
    return "params";
  }

  @Override
  public void run(Function f) {
    List<List<BlockCall>> incoming = new ArrayList<>(f.blockCount());
    for (int i = 0; i < f.blockCount(); i++) {
      incoming.add(null);
    }
    boolean anyParams = false;
    for (Block b : f.blocks()) {
      anyParams |= b != f.entry() && !b.params().isEmpty();
      for (BlockCall call : b.terminator().targets()) {
        List<BlockCall> in = incoming.get(call.target().id());
        if (in == null) {
          in = new ArrayList<>(2);
          incoming.set(call.target().id(), in);
        }
        in.add(call);
      }
    }
    if (!anyParams) {
      return;
    }
    Value[] replacement = new Value[f.valueCount()];
    BitSet dead = new BitSet();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Block b : f.blocks()) {
        List<BlockCall> in = incoming.get(b.id());
        if (b == f.entry() || in == null) {
          continue;
        }
        for (int k = 0; k < b.params().size(); k++) {
          Value p = b.params().get(k);
          if (dead.get(p.id())) {
            continue;
          }
          Value same = passed(in, k, p, replacement);
          if (same != null) {
            replacement[p.id()] = same;
            dead.set(p.id());
            changed = true;
          }
        }
      }
    }
    if (!dead.isEmpty()) {
      f.replaceUses(replacement);
      f.removeParams(dead);
    }
  }

  /** The one value other than {@code p} that the edges {@code in} pass to it, or null. */
  private static Value passed(List<BlockCall> in, int k, Value p, Value[] replacement) {
    Value same = null;
    for (BlockCall call : in) {
      Value v = resolve(call.args().get(k), replacement);
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

  private static Value resolve(Value v, Value[] replacement) {
    while (v.id() < replacement.length && replacement[v.id()] != null) {
      v = replacement[v.id()];
    }
    return v;
  }
}
