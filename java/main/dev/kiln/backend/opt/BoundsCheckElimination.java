package dev.kiln.backend.opt;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.DominatingChecks;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds-check elimination: marks accesses {@code inbounds} where the IR proves them so (the
 * verifier checks each proof; docs/ir.md). An access at a constant address inside its memory is
 * marked as it is. A block with several checked accesses on one base {@code vB} at constant
 * offsets ({@code [vB + K]}, or {@code [vA + K]} with {@code vA = vB + C}) is versioned: it keeps
 * only a guard, one unsigned compare that the bytes from the smallest to the largest offset lie
 * in the memory, branching to its body with those accesses marked (and addressed from {@code vB}
 * directly, or from a value of the chains defined before the block that is {@code vB} plus the
 * smallest offset, which the guard then compares as it is) or, if the guard fails, to a checked copy of the body. A failed guard means one of
 * those accesses is out of bounds, and a block runs straight through, so the checked copy always
 * traps: it keeps the body only up to its last guarded access and ends in an unreachable
 * {@code trap} (so block layout places it with the cold code). A trap thus stays exactly where it
 * was, with the same effects before it, and the values of the block, defined in the marked body
 * only, may be used anywhere the block dominated. Before the blocks are versioned (after the
 * chains of blocks are, {@link RegionGuards}), an access whose bytes a dominating access at the
 * same address checked already is marked ({@link DominatingChecks}), and needs no guard.
 */
public final class BoundsCheckElimination implements Pass {
  @Override
  public String name() {
    return "bce";
  }

  /** The code of the checked copy's final {@code trap}, which a guarded access always preempts. */
  private static final int UNREACHABLE = 0;

  /**
   * An access of a block, as an offset from the value its address chain starts at; {@code base}
   * is its address's base, where the chain begins.
   */
  private record Access(int index, Value base, Value root, long offset) {}

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.LOAD) && !f.mayContain(Opcode.STORE)) {
      return; // it marks loads and stores only
    }
    Definitions defs = new Definitions(f);
    int[] defBlock = Definitions.blocks(f);
    // the copies of a versioned block follow it; laid out once at the end, since placing each
    // on its own would search and shift the layout every time
    List<Block> original = new ArrayList<>(f.blocks());
    Map<Block, List<Block>> follow = RegionGuards.version(f, original, defBlock);
    // before the blocks' guards, which then leave out what a dominating access checked: a
    // block's marked body dominates all that its trapping copy's block did
    markDominatedChecks(f);
    // found after the chains' versions, whose values later code now reads through parameters
    AddressChains chains = new AddressChains(defs, f.valueCount());
    List<Block> layout = new ArrayList<>(original.size());
    Value[] renamed = new Value[f.valueCount()];
    for (Block x : original) {
      markConstantAddresses(f, x, defs);
      layout.add(x);
      List<Block> after = follow.get(x);
      if (after != null) {
        for (Block b : after) {
          markConstantAddresses(f, b, defs);
          layout.add(b);
        }
      }
      version(f, x, defs, chains, defBlock, renamed, layout);
    }
    if (layout.size() != original.size()) {
      f.reorder(layout);
    }
  }

  /** Marks accesses whose bytes a dominating access checked already: {@link DominatingChecks}. */
  private static void markDominatedChecks(Function f) {
    DominatingChecks checks = DominatingChecks.of(f, DominatorTree.of(f));
    for (Block b : f.blocks()) {
      for (int i = checks.nextCovered(b, 0); i >= 0; i = checks.nextCovered(b, i + 1)) {
        Instruction inst = b.instructions().get(i);
        if (!inst.inBounds()) {
          b.set(i, f.inBoundsAccess(inst));
        }
      }
    }
  }

  /** Marks the accesses of {@code x} at constant addresses inside their memory. */
  private static void markConstantAddresses(Function f, Block x, Definitions defs) {
    List<Instruction> insts = x.instructions();
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      if (!isCandidate(inst)) {
        continue;
      }
      Instruction base = defs.of(inst.addressBase());
      long size = inst.memory().size();
      if (base != null && base.opcode() == Opcode.ICONST && base.immediate() >= -size
          && base.immediate() <= size) {
        long at = base.immediate() + (int) inst.immediate();
        if (at >= 0 && at + inst.memType().width() <= size) {
          x.set(i, f.inBoundsAccess(inst));
        }
      }
    }
  }

  /** Whether {@code inst} is a load or store still checked, without an index. */
  private static boolean isCandidate(Instruction inst) {
    return (inst.opcode() == Opcode.LOAD || inst.opcode() == Opcode.STORE) && !inst.inBounds()
        && inst.addressIndex() == null;
  }

  private static void version(Function f, Block x, Definitions defs, AddressChains chains,
      int[] defBlock, Value[] renamed, List<Block> layout) {
    List<Instruction> insts = x.instructions();
    Map<Memory, Map<Value, List<Access>>> groups = null; // until the block has a candidate
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      if (!isCandidate(inst)) {
        continue;
      }
      Value base = inst.addressBase();
      Value root = chains.root(base);
      long offset = (int) inst.immediate() + chains.offset(base);
      // the guard runs before the body, so the root must be defined before it; a constant
      // root is in bounds (marked already) or not, needing no guard
      Instruction rootDef = defs.of(root);
      if ((rootDef == null || defBlock[root.id()] != x.id())
          && (rootDef == null || rootDef.opcode() != Opcode.ICONST)) {
        if (groups == null) {
          groups = new LinkedHashMap<>();
        }
        group(groups, inst.memory(), root, new Access(i, base, root, offset));
      }
    }
    if (groups == null) {
      return;
    }
    List<Access> best = List.of();
    Memory memory = null;
    for (Map.Entry<Memory, Map<Value, List<Access>>> g : groups.entrySet()) {
      for (List<Access> accesses : g.getValue().values()) {
        if (accesses.size() > best.size()) {
          best = accesses;
          memory = g.getKey();
        }
      }
    }
    if (best.size() < Thresholds.GUARDED_ACCESSES) {
      return;
    }
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Access a : best) {
      lo = Math.min(lo, a.offset());
      hi = Math.max(hi, a.offset() + insts.get(a.index()).memType().width());
    }
    if (lo != (int) lo || hi != (int) hi || hi - lo > memory.size()) {
      return;
    }
    split(f, x, best, lo, memory.size() - (hi - lo), chains, defBlock, renamed, layout);
  }

  /**
   * Adds {@code access} to the list of its memory and root in {@code groups}, which keeps them in
   * the order first met. (No lambdas: each would be linked, or even spun, on a cold compile.)
   */
  static <A> void group(Map<Memory, Map<Value, List<A>>> groups, Memory memory, Value root,
      A access) {
    Map<Value, List<A>> byRoot = groups.get(memory);
    if (byRoot == null) {
      byRoot = new LinkedHashMap<>();
      groups.put(memory, byRoot);
    }
    List<A> accesses = byRoot.get(root);
    if (accesses == null) {
      accesses = new ArrayList<>();
      byRoot.put(root, accesses);
    }
    accesses.add(access);
  }

  /** Empties {@code b} but for its terminator, from the end (each removal shifts only that). */
  static void removeAllButTerminator(Block b) {
    for (int i = b.instructions().size() - 2; i >= 0; i--) {
      b.remove(i);
    }
  }

  /**
   * Splits {@code x} into the guard {@code root + lo <=u limit}, its body with the {@code guarded}
   * accesses marked (taken if the guard holds) and a checked copy of the body up to the last of
   * them, ending in a {@code trap} that one of them preempts; the two are added to
   * {@code layout}. {@code renamed} has a slot for each value of {@code x}, all null and left so.
   */
  private static void split(Function f, Block x, List<Access> guarded, long lo, long limit,
      AddressChains chains, int[] defBlock, Value[] renamed, List<Block> layout) {
    List<Instruction> body = new ArrayList<>(x.instructions());
    Instruction terminator = body.remove(body.size() - 1);
    Block fast = f.newBlock();
    Block slow = f.newBlock();
    layout.add(fast);
    layout.add(slow);
    int last = guarded.get(guarded.size() - 1).index();
    for (Instruction inst : body.subList(0, last + 1)) {
      slow.append(f.duplicate(inst, renamed));
    }
    slow.append(f.newTrap(UNREACHABLE, body.get(last).position()));
    for (Instruction inst : body.subList(0, last + 1)) {
      if (inst.result() != null) {
        renamed[inst.result().id()] = null;
      }
    }
    // the guard tests root + lo: a value of the chains defined before x is that sum, if one is
    // (the first found, walking the accesses' chains in order from their bases), and the
    // accesses are then addressed from it (no add for the guard)
    Value root = guarded.get(0).root();
    long from = 0;
    List<Value> bases = new ArrayList<>(guarded.size());
    for (Access a : guarded) {
      bases.add(a.base());
    }
    Value before = chains.definedOutside(bases, lo, defBlock, x.id());
    if (before != null) {
      root = before;
      from = lo;
    }
    for (Access a : guarded) {
      Instruction inst = body.get(a.index());
      body.set(a.index(), f.inBoundsAccess(inst, Address.at(root, (int) (a.offset() - from))));
    }
    for (Instruction inst : body) {
      fast.append(inst);
    }
    fast.append(terminator);
    removeAllButTerminator(x);
    int position = body.get(guarded.get(0).index()).position();
    Value start = root;
    if (lo != from) {
      Instruction offset = f.newConstant(Type.I64, lo);
      Instruction add = f.newArithmetic(Opcode.IADD, position, root, offset.result());
      x.insertBeforeTerminator(offset);
      x.insertBeforeTerminator(add);
      start = add.result();
    }
    Instruction bound = f.newConstant(Type.I64, limit);
    Instruction guard = f.newIntCompare(IntCond.ULE, start, bound.result(), position);
    x.insertBeforeTerminator(bound);
    x.insertBeforeTerminator(guard);
    x.set(x.instructions().size() - 1,
        Instruction.brif(guard.result(), fast, List.of(), slow, List.of(), position));
  }
}
