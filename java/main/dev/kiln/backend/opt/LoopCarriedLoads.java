package dev.kiln.backend.opt;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Memory;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads that read what the loop's previous iteration left there. In an innermost loop whose
 * header has a parameter {@code p} that every back edge passes as {@code p + s} (a constant
 * {@code s}, through {@code iadd} chains; 0 too), a load of {@code [p + k]} (no index) reads,
 * from the second iteration on, the bytes {@code [p + s + k]} of the iteration before: when
 * every way from the header round to each back edge ends by storing one constant there, or by
 * leaving along the false edge of a {@code brif} on a load of those bytes (which then hold
 * zero), and no store that may alias them and no call lies between the header and the load,
 * the load is that constant. The pass peels the loop's first iteration (a copy of its blocks
 * that the entries enter, its back edges going to the original header), so that only the
 * iterations after a first one reach the original blocks, and there replaces the load by the
 * constant narrowed as it extends, an {@code iadd}, {@code bor} or {@code bxor} of it when zero
 * by the other operand. Where a Brainfuck loop walks records of cells, each iteration adding a
 * cell to one the iteration before cleared ({@code [>[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]}), the
 * add becomes a store, with no load that waits for the store just made, as gcc's code does.
 * Only {@code inbounds} loads (as bce leaves a guarded loop's): what proved one proves the
 * accesses it dominates of the same bytes too, so none loses its proof with it. Loops of
 * up to {@link Thresholds#PEELED_LOOP_MAX_INSTRUCTIONS}, whose values are used outside them only
 * as arguments of their exit edges.
 */
public final class LoopCarriedLoads implements Pass {
  @Override
  public String name() {
    return "carry";
  }

  /** A load of the loop to replace, and the constant bits it reads after the first iteration. */
  private record Carried(Block block, Instruction load, long bits) {}

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.STORE)) {
      return;
    }
    LoopNest nest = LoopNest.of(f);
    if (nest.count() == 0) {
      return;
    }
    boolean[] outer = nest.outerLoops();
    Definitions defs = new Definitions(f);
    DominatorTree dom = DominatorTree.of(f);
    // in the loops' order, so that the copies' order and numbers are the same every compile
    Map<Block, List<Carried>> plans = new LinkedHashMap<>();
    Map<Block, List<Block>> loops = new HashMap<>();
    for (int l = 0; l < nest.count(); l++) {
      if (outer[l] || nest.header(l) == f.entry()) {
        continue; // the entry block is entered from outside by no edge to redirect
      }
      List<Block> blocks = nest.ownBlocksInOrder(l); // innermost: all its blocks
      if (!small(blocks)) {
        continue;
      }
      List<Carried> carried = new Search(nest, l, blocks, dom, defs).carried();
      if (carried.isEmpty()) {
        continue;
      }
      if (!escapes(nest.header(l), blocks, dom)) {
        plans.put(nest.header(l), carried);
        loops.put(nest.header(l), blocks);
      }
    }
    if (plans.isEmpty()) {
      return;
    }
    // the entries of each loop to peel: edges from outside it, and later those of the copies
    // that peeling another loop makes
    Map<Block, List<Block>> entries = new HashMap<>();
    for (Block h : plans.keySet()) {
      List<Block> outside = new ArrayList<>();
      for (Block from : dom.predecessors(h)) {
        if (!nest.contains(nest.innermost(h.id()), from.id())) {
          outside.add(from);
        }
      }
      entries.put(h, outside);
    }
    Value[] replacement = new Value[2 * f.valueCount()];
    Map<Block, Block> firsts = new HashMap<>(); // each peeled header's copy
    for (Map.Entry<Block, List<Carried>> e : plans.entrySet()) {
      Block h = e.getKey();
      List<Block> copies = new ArrayList<>();
      firsts.put(h, peel(f, loops.get(h), h, entries.get(h), copies));
      // a copy's exit into another loop to peel enters it through its first iteration too
      for (Block c : copies) {
        for (BlockCall call : c.terminator().targets()) {
          Block t = call.target();
          List<Block> into = entries.get(t);
          if (firsts.containsKey(t) && t != h) {
            c.redirect(t, firsts.get(t));
          } else if (into != null && t != h && !into.contains(c)) {
            into.add(c);
          }
        }
      }
      replace(f, loops.get(h), e.getValue(), replacement);
    }
    // the loops' values are used in them only (their exit edges' arguments included)
    for (List<Block> blocks : loops.values()) {
      for (Block b : blocks) {
        f.replaceUses(b, replacement);
      }
    }
  }

  private static boolean small(List<Block> blocks) {
    int n = 0;
    for (Block b : blocks) {
      n += b.instructions().size();
    }
    return n <= Thresholds.PEELED_LOOP_MAX_INSTRUCTIONS;
  }

  /**
   * Whether a value defined in the loop of header {@code h} is used outside it other than on its
   * exit edges: in a block outside that {@code h} dominates, as only those can use its values.
   */
  private static boolean escapes(Block h, List<Block> blocks, DominatorTree dom) {
    Set<Block> inLoop = new HashSet<>(blocks);
    Set<Value> defined = new HashSet<>();
    for (Block b : blocks) {
      defined.addAll(b.params());
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null) {
          defined.add(inst.result());
        }
      }
    }
    List<Block> work = new ArrayList<>(dom.children(h));
    while (!work.isEmpty()) {
      Block b = work.remove(work.size() - 1);
      work.addAll(dom.children(b));
      if (!inLoop.contains(b) && uses(b, defined)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an instruction of {@code b} or an argument its branches pass is in {@code values}. */
  private static boolean uses(Block b, Set<Value> values) {
    for (Instruction inst : b.instructions()) {
      for (int k = 0; k < inst.argCount(); k++) {
        if (values.contains(inst.arg(k))) {
          return true;
        }
      }
      for (BlockCall call : inst.targets()) {
        for (Value v : call.args()) {
          if (values.contains(v)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Copies the loop's blocks before its header {@code h} as its first iteration: the
   * {@code entries} (blocks outside the loop branching to {@code h}) go to the copy of {@code h},
   * and the copy's back edges to {@code h}. Adds the copies to {@code copies}; returns the copy
   * of {@code h}.
   */
  private static Block peel(Function f, List<Block> blocks, Block h, List<Block> entries,
      List<Block> copies) {
    Block first = LoopVersions.copy(f, blocks, h, new Value[f.valueCount()], Set.of(), copies);
    for (Block c : copies) {
      c.redirect(first, h);
    }
    for (Block from : entries) {
      from.redirect(h, first);
    }
    return first;
  }

  /**
   * Replaces each carried load of the original blocks by its constant, and an {@code iadd},
   * {@code bor} or {@code bxor} of a zero so replaced by its other operand.
   */
  private static void replace(Function f, List<Block> blocks, List<Carried> carried,
      Value[] replacement) {
    for (Carried c : carried) {
      Instruction constant = f.newConstant(c.load().result().type(), c.bits());
      List<Instruction> insts = c.block().instructions();
      c.block().set(insts.indexOf(c.load()), constant);
      replacement[c.load().result().id()] = constant.result();
    }
    for (Block b : blocks) {
      for (Instruction inst : b.instructions()) {
        Value kept = keptOperand(inst, replacement, carried);
        if (kept != null) {
          replacement[inst.result().id()] = kept;
        }
      }
    }
  }

  /** The operand of an {@code iadd}, {@code bor} or {@code bxor} whose other is a zero load. */
  private static Value keptOperand(Instruction inst, Value[] replacement, List<Carried> carried) {
    Opcode op = inst.opcode();
    if (op != Opcode.IADD && op != Opcode.BOR && op != Opcode.BXOR) {
      return null;
    }
    for (int k = 0; k < 2; k++) {
      for (Carried c : carried) {
        if (c.bits() == 0 && inst.arg(k) == c.load().result()) {
          return Function.resolve(inst.arg(1 - k), replacement);
        }
      }
    }
    return null;
  }

  /** The carried loads of one innermost loop. */
  private static final class Search {
    private final LoopNest nest;
    private final int loop;
    private final Block header;
    private final List<Block> blocks;
    private final DominatorTree dom;
    private final Definitions defs;
    /** The loop's blocks that no store or call of the loop lies on the way to from the header. */
    private final Set<Block> quiet = new HashSet<>();

    Search(LoopNest nest, int loop, List<Block> blocks, DominatorTree dom, Definitions defs) {
      this.nest = nest;
      this.loop = loop;
      this.header = nest.header(loop);
      this.blocks = blocks;
      this.dom = dom;
      this.defs = defs;
    }

    List<Carried> carried() {
      List<Carried> found = new ArrayList<>();
      for (Block b : blocks) {
        boolean entered = b == header || enteredQuietly(b);
        for (Instruction inst : b.instructions()) {
          if (!entered) {
            break;
          }
          if (inst.opcode() == Opcode.LOAD && inst.inBounds() && inst.address().index() == null) {
            Long bits = carriedBits(inst);
            if (bits != null) {
              found.add(new Carried(b, inst, bits));
            }
          }
          entered = !Effects.writesMemory(inst);
        }
        if (entered) {
          quiet.add(b);
        }
      }
      return found;
    }

    /** Whether every edge into {@code b} leaves a block that ends with nothing written. */
    private boolean enteredQuietly(Block b) {
      List<Block> from = dom.predecessors(b);
      if (from.isEmpty()) {
        return false;
      }
      for (Block pred : from) {
        if (!quiet.contains(pred)) {
          return false; // not yet seen (a later block) or it writes memory
        }
      }
      return true;
    }

    /** The constant bits {@code load} reads after the first iteration, or null. */
    private Long carriedBits(Instruction load) {
      if (load.memType().type() != Type.I64) {
        return null;
      }
      long[] offset = {load.address().offset()};
      Value p = defs.root(load.address().base(), offset);
      int param = header.params().indexOf(p);
      if (param < 0) {
        return null;
      }
      Long bits = null;
      for (Block latch : dom.predecessors(header)) {
        if (!nest.contains(loop, latch.id())) {
          continue; // an entry
        }
        for (BlockCall call : latch.terminator().targets()) {
          if (call.target() != header) {
            continue;
          }
          long[] step = {0};
          if (defs.root(call.args().get(param), step) != p) {
            return null;
          }
          Long stored = leftAt(latch, latch.instructions().size(), p, step[0] + offset[0],
              load.memType(), load.memory());
          if (stored == null || bits != null && !bits.equals(stored)) {
            return null;
          }
          bits = stored;
        }
      }
      return bits == null ? null : load.memType().extend(bits);
    }

    /**
     * The constant that bytes {@code [p + at]} of {@code memory}, as wide as {@code type}, hold
     * just before instruction {@code end} of {@code b} on every way from the loop's header, or
     * null if unknown.
     */
    private Long leftAt(Block b, int end, Value p, long at, MemType type, Memory memory) {
      List<Instruction> insts = b.instructions();
      for (int i = end - 1; i >= 0; i--) {
        Instruction inst = insts.get(i);
        if (inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT) {
          return null;
        }
        if (inst.opcode() == Opcode.STORE && inst.memory() == memory) {
          int overlap = overlap(inst.address(), inst.memType().width(), p, at, type.width());
          if (overlap == SAME) {
            Long c = defs.constant(inst.arg(0));
            return inst.memType().width() == type.width() ? c : null;
          }
          if (overlap == MAY) {
            return null;
          }
        }
      }
      if (b == header) {
        return null;
      }
      Long known = null;
      for (Block pred : dom.predecessors(b)) {
        Long v = zeroAlongFalseEdge(pred, b, p, at, type, memory)
            ? Long.valueOf(0) : leftAt(pred, pred.instructions().size() - 1, p, at, type, memory);
        if (v == null || known != null && !known.equals(v)) {
          return null;
        }
        known = v;
      }
      return known;
    }

    /**
     * Whether {@code pred} enters {@code b} only along the false edge of a {@code brif} on a load
     * of bytes {@code [p + at]}, after which it writes nothing.
     */
    private boolean zeroAlongFalseEdge(Block pred, Block b, Value p, long at, MemType type,
        Memory memory) {
      Instruction t = pred.terminator();
      if (t.opcode() != Opcode.BRIF || t.targets().get(0).target() == b) {
        return false;
      }
      List<Instruction> insts = pred.instructions();
      for (int i = insts.size() - 2; i >= 0; i--) {
        Instruction inst = insts.get(i);
        if (inst.result() == t.arg(0)) {
          return inst.opcode() == Opcode.LOAD && inst.memory() == memory
              && inst.memType().width() == type.width()
              && overlap(inst.address(), type.width(), p, at, type.width()) == SAME;
        }
        if (Effects.writesMemory(inst)) {
          return false;
        }
      }
      return false;
    }

    private static final int APART = 0;
    private static final int SAME = 1;
    private static final int MAY = 2;

    /** How the bytes {@code width} wide at {@code a} lie against {@code [p + at]}. */
    private int overlap(Address a, int width, Value p, long at, int atWidth) {
      if (a.index() != null) {
        return MAY;
      }
      long[] offset = {a.offset()};
      if (defs.root(a.base(), offset) != p) {
        return MAY;
      }
      if (offset[0] == at && width == atWidth) {
        return SAME;
      }
      return offset[0] + width <= at || at + atWidth <= offset[0] ? APART : MAY;
    }
  }
}
