package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loop-invariant code motion. A natural loop is a header with the blocks that reach one of its
 * back edges (an edge to a block that dominates its source) without passing the header; all
 * back edges to one header form one loop. A pure instruction of the loop whose operands are all
 * defined outside it (or by instructions already hoisted) moves to the loop's preheader: the
 * header's only predecessor from outside when that ends in a jump, else a new block the outside
 * edges go through. An invariant that may trap only by its operands (a division, bounds check,
 * {@code trapnz}/{@code trapz}, or a load in a loop that writes no memory) moves too when it is
 * in the header of an innermost loop before any instruction that stays and may trap or has a
 * side effect: every
 * entry into the loop runs it first, so it traps in the preheader exactly when the first
 * iteration would, with the same position and nothing observable done in between. Nothing else
 * that may trap or has side effects moves. Inner loops go first, so an invariant climbs out of a
 * nest one preheader at a time.
 *
 * <p>An instruction left in a loop stays in every enclosing loop (an operand defined in the
 * inner loop is defined in the outer one too), so each loop only scans the blocks whose
 * innermost loop it is; with the nest as per-block loop ids this keeps the pass near-linear in
 * the nesting depth.
 */
public final class LoopInvariantCodeMotion implements Pass {
  @Override
  public String name() {
    return "licm";
  }

  @Override
  public void run(Function f) {
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    if (nest.count() == 0) {
      return;
    }
    Definitions defs = new Definitions(f);
    int[] defBlock = Definitions.blocks(f);
    List<Integer> loops = new ArrayList<>();
    for (int l = 0; l < nest.count(); l++) {
      loops.add(l);
    }
    // a class, not Comparator.comparingInt: that spins a lambda class on a cold JVM's first compile
    loops.sort(new Comparator<Integer>() {
      @Override
      public int compare(Integer a, Integer b) {
        return Integer.compare(nest.size(a), nest.size(b));
      }
    });
    boolean[] writes = writesMemory(f, nest, loops);
    boolean[] outer = nest.outerLoops();
    for (int loop : loops) {
      List<Block> own = nest.ownBlocksInOrder(loop);
      Block preheader = null;
      for (Block b : own) {
        // in the header, until an instruction that stays may trap or has a side effect, a
        // trapping invariant runs on every entry with the same operands before anything
        // observable: hoisted, it traps exactly when and as the first iteration would. Only
        // from innermost loops: out of a loop nest, each hoisted value would stay live across
        // every inner loop (thousands of registers for a deep nest of Brainfuck loops).
        boolean first = b == nest.header(loop) && !outer[loop];
        for (int i = 0; i < b.instructions().size(); i++) {
          Instruction inst = b.instructions().get(i);
          boolean pure = inst.result() != null && Effects.isPure(inst, defs);
          boolean hoist = (pure || first && Effects.trapsOnlyByOperands(inst)
              && (inst.opcode() != Opcode.LOAD || !writes[loop]))
              && invariant(inst, loop, nest, defBlock);
          if (!hoist) {
            first &= pure;
            continue;
          }
          if (preheader == null) {
            preheader = preheader(f, loop, dom, nest);
          }
          b.remove(i--);
          preheader.insertBeforeTerminator(inst);
          if (inst.result() != null) {
            defBlock[inst.result().id()] = preheader.id();
          }
        }
      }
    }
  }

  /**
   * Whether each loop, nested loops included, has an instruction that may write memory;
   * {@code loops} lists inner loops before the loops around them.
   */
  private static boolean[] writesMemory(Function f, LoopNest nest, List<Integer> loops) {
    boolean[] writes = new boolean[nest.count()];
    for (Block b : f.blocks()) {
      int l = nest.innermost(b.id());
      if (l >= 0 && !writes[l]) {
        for (Instruction inst : b.instructions()) {
          writes[l] |= Effects.writesMemory(inst);
        }
      }
    }
    for (int l : loops) {
      if (writes[l] && nest.parent(l) >= 0) {
        writes[nest.parent(l)] = true;
      }
    }
    return writes;
  }

  private static boolean invariant(Instruction inst, int loop, LoopNest nest, int[] defBlock) {
    for (int k = 0; k < inst.argCount(); k++) {
      if (nest.contains(loop, defBlock[inst.arg(k).id()])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The block in front of {@code loop}'s header that every entry into the loop passes: its one
   * outside predecessor if that ends in a jump, else a new block (with the header's parameter
   * types, passing them on) that the outside edges are redirected to; a new block joins every
   * enclosing loop.
   */
  static Block preheader(Function f, int loop, DominatorTree dom, LoopNest nest) {
    Block h = nest.header(loop);
    List<Block> outside = new ArrayList<>();
    for (Block p : dom.predecessors(h)) {
      if (!nest.contains(loop, p.id())) {
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
    nest.addPreheader(loop, pre);
    return pre;
  }
}
