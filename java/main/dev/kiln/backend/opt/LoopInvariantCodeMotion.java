package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Loop-invariant code motion. A natural loop is a header with the blocks that reach one of its
 * back edges (an edge to a block that dominates its source) without passing the header; all
 * back edges to one header form one loop. A pure instruction of the loop whose operands are all
 * defined outside it (or by instructions already hoisted) moves to the loop's preheader: the
 * header's only predecessor from outside when that ends in a jump, else a new block the outside
 * edges go through. Instructions that may trap or have side effects never move. Inner loops go
 * first, so an invariant climbs out of a nest one preheader at a time.
 */
public final class LoopInvariantCodeMotion implements Pass {
  @Override
  public String name() {
    return "licm";
  }

  private record Loop(Block header, BitSet body) {}

  @Override
  public void run(Function f) {
    DominatorTree dom = new DominatorTree(f);
    List<Loop> loops = loops(f, dom);
    if (loops.isEmpty()) {
      return;
    }
    loops.sort(Comparator.comparingInt(l -> l.body().cardinality()));
    Definitions defs = new Definitions(f);
    int[] defBlock = new int[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Value p : b.params()) {
        defBlock[p.id()] = b.id();
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null) {
          defBlock[inst.result().id()] = b.id();
        }
      }
    }
    // dominator order, each new preheader placed before its header
    List<Block> order = new ArrayList<>(dom.reversePostorder());
    for (Loop loop : loops) {
      Block preheader = null;
      for (int k = 0; k < order.size(); k++) {
        Block b = order.get(k);
        if (!loop.body().get(b.id())) {
          continue;
        }
        for (int i = 0; i < b.instructions().size(); i++) {
          Instruction inst = b.instructions().get(i);
          if (inst.result() == null || !Effects.isPure(inst, defs)
              || !invariant(inst, loop, defBlock)) {
            continue;
          }
          if (preheader == null) {
            preheader = preheader(f, loop, dom, loops);
            if (!order.contains(preheader)) {
              order.add(order.indexOf(loop.header()), preheader);
              k++;
            }
          }
          b.remove(i--);
          preheader.insertBeforeTerminator(inst);
          defBlock[inst.result().id()] = preheader.id();
        }
      }
    }
  }

  private static boolean invariant(Instruction inst, Loop loop, int[] defBlock) {
    for (Value a : inst.args()) {
      if (loop.body().get(defBlock[a.id()])) {
        return false;
      }
    }
    return true;
  }

  /** The natural loops, one per header, found from the back edges. */
  private static List<Loop> loops(Function f, DominatorTree dom) {
    List<Loop> loops = new ArrayList<>();
    for (Block h : dom.reversePostorder()) {
      List<Block> sources = new ArrayList<>();
      for (Block p : dom.predecessors(h)) {
        if (dom.dominates(h, p)) {
          sources.add(p);
        }
      }
      if (sources.isEmpty()) {
        continue;
      }
      BitSet body = new BitSet(f.blockCount());
      body.set(h.id());
      List<Block> work = new ArrayList<>();
      for (Block s : sources) {
        if (!body.get(s.id())) {
          body.set(s.id());
          work.add(s);
        }
      }
      while (!work.isEmpty()) {
        Block b = work.remove(work.size() - 1);
        for (Block p : dom.predecessors(b)) {
          if (!body.get(p.id())) {
            body.set(p.id());
            work.add(p);
          }
        }
      }
      loops.add(new Loop(h, body));
    }
    return loops;
  }

  /**
   * The block in front of {@code loop}'s header that every entry into the loop passes: its one
   * outside predecessor if that ends in a jump, else a new block (with the header's parameter
   * types, passing them on) that the outside edges are redirected to; a new block joins every
   * enclosing loop.
   */
  private static Block preheader(Function f, Loop loop, DominatorTree dom, List<Loop> loops) {
    Block h = loop.header();
    List<Block> outside = new ArrayList<>();
    for (Block p : dom.predecessors(h)) {
      if (!loop.body().get(p.id())) {
        outside.add(p);
      }
    }
    if (outside.size() == 1 && outside.get(0).terminator().opcode() == Opcode.JUMP) {
      return outside.get(0);
    }
    Block pre = f.newBlockBefore(h);
    List<Value> args = new ArrayList<>();
    for (Value p : h.params()) {
      args.add(pre.addParam(p.type()));
    }
    pre.append(Instruction.jump(h, args, Instruction.NO_POSITION));
    for (Block p : outside) {
      p.redirect(h, pre);
    }
    for (Loop other : loops) {
      if (other != loop && other.body().get(h.id())) {
        other.body().set(pre.id());
      }
    }
    return pre;
  }
}
