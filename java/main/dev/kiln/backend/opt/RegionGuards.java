package dev.kiln.backend.opt;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bounds-check elimination over a chain of blocks: a head H, then if-then triangles (a block
 * whose {@code brif} goes to a block T entered only from it, T jumping on to the other target E,
 * which only the two enter) and straight jumps to blocks entered only from the chain, every edge
 * forward in the IR's order, ending at the block X that the last of them branches to. When the
 * chain's checked accesses without an index, on one root defined before it, lie in more than one
 * of its blocks, the chain is versioned as a whole: H keeps its parameters and a guard that the
 * bytes from the smallest to the largest offset lie in the memory, branching to the chain with
 * those accesses marked (addressed from the root, which the guard bounds), or else to a checked
 * copy of it. A chain has branches, so the checked copy need not trap (the access out of bounds
 * may be on a path not taken), and both versions flow on into X. When X has a checked access too
 * (a Brainfuck loop's test of the cell it moved to, before its back edge), X is versioned with the
 * chain instead, each version ending with X's branch: the guard then covers every access of
 * the loop's iteration, not all but the last. The values that code after the versioned blocks
 * uses (not through their edges' arguments) are computed once, before the guard, so both
 * versions share them: the chain is versioned only if they are pure (a Brainfuck pointer's moves
 * are). One guard then does the work of a check or guard per block, as in the long runs of
 * conditional cell updates that Brainfuck programs are made of.
 */
final class RegionGuards {
  private final Function f;
  private final Definitions defs;
  private final int[] defBlock;
  /** By value id: its root and offset within the chain of the {@link #attempt} that found them. */
  private final Value[] roots;
  private final long[] offsets;
  private final int[] foundIn;
  private int attempt;
  /** By block id (of the blocks before the pass): incoming edges, and whether it is in a chain. */
  private final int[] predecessors;
  private final boolean[] chained;
  /** By block id: its index in the IR's order before the pass. */
  private final int[] position;
  /** By block id: the {@link #attempt} whose chain holds it. */
  private final int[] chainOf;
  /**
   * By value id: its uses (operands and branch arguments) in the function, kept up to date as
   * chains are versioned, and those in the chain of the attempt {@link #countedIn} holds.
   */
  private final int[] uses;
  private final int[] usesInChain;
  private final int[] countedIn;
  /** By value id: the {@link #attempt} that moves its definition before the guard. */
  private final int[] hoistIn;
  /** By value id: its copy in the checked version being made; reset after each. */
  private Value[] renamed;

  private RegionGuards(Function f, List<Block> original, int[] defBlock) {
    this.f = f;
    this.defs = new Definitions(f);
    this.defBlock = defBlock;
    roots = new Value[f.valueCount()];
    offsets = new long[f.valueCount()];
    foundIn = new int[f.valueCount()];
    predecessors = IncomingEdges.counts(f);
    chained = new boolean[f.blockCount()];
    position = new int[f.blockCount()];
    for (int k = 0; k < original.size(); k++) {
      position[original.get(k).id()] = k;
    }
    chainOf = new int[f.blockCount()];
    uses = new int[f.valueCount()];
    usesInChain = new int[f.valueCount()];
    countedIn = new int[f.valueCount()];
    hoistIn = new int[f.valueCount()];
    renamed = new Value[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        count(inst, 1);
      }
    }
  }

  /** An access of the chain: its block, index and offset from its root. */
  private record Access(Block block, int index, Value root, long offset) {}

  /**
   * Versions the chains of {@code original} (the function's blocks before the pass, in the
   * IR's order, in which every edge of a chain goes forward).
   *
   * @return by block, the new blocks to place right after it in the IR's order: after a head, the
   *     block holding its instructions; after a chain's last block, the checked copy, so that
   *     every new edge goes forward too (polls stay on the edges that go back)
   */
  static Map<Block, List<Block>> version(Function f, List<Block> original, int[] defBlock) {
    Map<Block, List<Block>> follow = new HashMap<>();
    RegionGuards r = null; // made at the first head: most functions have none
    for (Block h : original) {
      if (r != null && r.chained[h.id()] || !hasCandidate(h)) {
        continue;
      }
      if (r == null) {
        r = new RegionGuards(f, original, defBlock);
      }
      List<Block> chain = r.chain(h);
      if (chain.size() > 1) {
        boolean withExit = false;
        if (candidatesAfterHead(chain)) {
          withExit = r.guard(chain, follow);
        }
        // versioned or not, its blocks head no chain of their own: a chain from one of them
        // would see most of the same accesses again, and the walk would grow quadratic
        for (int k = 0; k < chain.size() - (withExit ? 0 : 1); k++) {
          r.chained[chain.get(k).id()] = true;
        }
      }
    }
    return follow;
  }

  /** Whether a block of {@code chain} after its head (its exit included) has a candidate. */
  private static boolean candidatesAfterHead(List<Block> chain) {
    for (int k = 1; k < chain.size(); k++) {
      if (hasCandidate(chain.get(k))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code b} has a checked load or store without an index: a chain starts at such a
   * block (one starting earlier would have been found from there).
   */
  private static boolean hasCandidate(Block b) {
    List<Instruction> insts = b.instructions();
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      // without an index, a load's only operand is its base, a store's its value and base
      if (!inst.inBounds() && (inst.opcode() == Opcode.LOAD && inst.argCount() == 1
          || inst.opcode() == Opcode.STORE && inst.argCount() == 2)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The longest chain from {@code h} with a single block after it (the last element of the
   * list), within {@link Thresholds#REGION_GUARD_MAX_INSTRUCTIONS}; just {@code h} if none.
   */
  private List<Block> chain(Block h) {
    List<Block> chain = new ArrayList<>();
    chain.add(h);
    int exits = 1; // how many of the list's leading blocks form a chain whose single exit follows
    int size = h.instructions().size();
    Block cur = h;
    while (size <= Thresholds.REGION_GUARD_MAX_INSTRUCTIONS) {
      Instruction t = cur.terminator();
      List<BlockCall> targets = t.targets();
      Block next;
      if (t.opcode() == Opcode.JUMP) {
        next = targets.get(0).target();
        if (!joins(next, 1) || !forward(cur, next)) {
          break;
        }
      } else if (t.opcode() == Opcode.BRIF) {
        Block a = targets.get(0).target();
        Block b = targets.get(1).target();
        Block then = thenOf(a, b);
        if (then == null) {
          then = thenOf(b, a);
          next = a;
        } else {
          next = b;
        }
        if (then == null || !forward(cur, then) || !forward(then, next)) {
          break;
        }
        chain.add(then);
        size += then.instructions().size();
      } else {
        break;
      }
      if (chain.contains(next)) {
        break;
      }
      exits = chain.size();
      chain.add(next);
      cur = next;
      size += next.instructions().size();
    }
    return new ArrayList<>(chain.subList(0, Math.min(exits + 1, chain.size())));
  }

  private boolean forward(Block from, Block to) {
    return position[to.id()] > position[from.id()];
  }

  /** Whether block {@code b} may join the chain, entered by {@code edges} edges from it. */
  private boolean joins(Block b, int edges) {
    return b.id() < chained.length && !chained[b.id()] && predecessors[b.id()] == edges
        && b != f.entry();
  }

  /** {@code then} if it is a triangle's middle block leading to {@code join}, else null. */
  private Block thenOf(Block then, Block join) {
    if (then == join || !joins(then, 1) || !joins(join, 2)) {
      return null;
    }
    Instruction t = then.terminator();
    return t.opcode() == Opcode.JUMP && t.targets().get(0).target() == join ? then : null;
  }

  /**
   * Versions {@code chain} (its blocks, then the block after it, its exit) if its accesses are
   * worth it, the exit with them if it has a candidate and that can be done, noting in {@code
   * follow} where its new blocks go. (Each loop of the pass is a method of its own: HotSpot
   * compiles a running loop with its whole method, once for each loop it enters.)
   *
   * @return whether the exit was versioned with the chain
   */
  private boolean guard(List<Block> chain, Map<Block, List<Block>> follow) {
    Block exit = chain.get(chain.size() - 1);
    if (hasCandidate(exit) && guard(chain, targets(exit), follow)) {
      return true;
    }
    guard(chain.subList(0, chain.size() - 1), List.of(exit), follow);
    return false;
  }

  private static List<Block> targets(Block b) {
    List<BlockCall> calls = b.terminator().targets();
    List<Block> targets = new ArrayList<>(calls.size());
    for (int k = 0; k < calls.size(); k++) {
      targets.add(calls.get(k).target());
    }
    return targets;
  }

  /**
   * Versions {@code blocks} if their accesses are worth it and the values used after them can
   * move before the guard; {@code exits} are the blocks their edges leave to, which gain edges
   * from the checked copy.
   *
   * @return whether they were versioned
   */
  private boolean guard(List<Block> blocks, List<Block> exits, Map<Block, List<Block>> follow) {
    attempt++;
    for (Block b : blocks) {
      chainOf[b.id()] = attempt;
    }
    List<Access> best = best(blocks, blocks.get(0));
    if (best == null) {
      return false;
    }
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Access a : best) {
      lo = Math.min(lo, a.offset());
      hi = Math.max(hi, a.offset() + accessAt(a).memType().width());
    }
    if (lo != (int) lo || hi != (int) hi || hi - lo > accessAt(best.get(0)).memory().size()) {
      return false;
    }
    List<Instruction> hoisted = hoisted(blocks);
    if (hoisted == null) {
      return false;
    }
    for (Block exit : exits) {
      predecessors[exit.id()] = -1; // it has more edges now: it may head a chain but join none
    }
    version(blocks, best, lo, hi, hoisted, follow);
    return true;
  }

  /**
   * Versions the chain's {@code blocks} on a guard that the {@code best} accesses' bytes, from
   * {@code lo} to {@code hi} past their root, lie in the memory, moving the {@code hoisted}
   * instructions before it.
   */
  private void version(List<Block> blocks, List<Access> best, long lo, long hi,
      List<Instruction> hoisted, Map<Block, List<Block>> follow) {
    Block h = blocks.get(0);
    Memory memory = accessAt(best.get(0)).memory();
    int at = accessAt(best.get(0)).position();
    List<Instruction> marked = new ArrayList<>(best.size());
    for (Access a : best) {
      marked.add(accessAt(a));
    }
    // the values used after the chain move before the guard; the head's other instructions
    // move to a block of their own, and the head keeps its parameters
    Set<Instruction> moving = new HashSet<>(hoisted);
    Block fast = moveBody(h, moving);
    removeMoving(blocks, moving);
    for (Instruction inst : hoisted) {
      h.insertBeforeTerminator(inst);
    }
    List<Block> fastBlocks = new ArrayList<>(blocks);
    fastBlocks.set(0, fast);
    Map<Block, Block> copies = copy(fastBlocks);
    countCopies(copies);
    follow.put(h, List.of(fast));
    Block last = blocks.get(0);
    for (Block b : blocks) {
      last = position[b.id()] > position[last.id()] ? b : last;
    }
    List<Block> slow = new ArrayList<>();
    for (Block b : fastBlocks) {
      slow.add(copies.get(b)); // in the chain's order, which is the IR's
    }
    follow.put(last, slow);
    mark(best, marked, h, fast);
    stepFromRoots(h, hoisted);
    for (Block b : fastBlocks) {
      stepFromRoots(b, new ArrayList<>(b.instructions()));
    }
    Value start = best.get(0).root();
    if (lo != 0) {
      Instruction offset = f.newConstant(Type.I64, lo);
      Instruction add = f.newArithmetic(Opcode.IADD, at, start, offset.result());
      h.insertBeforeTerminator(offset);
      h.insertBeforeTerminator(add);
      count(add, 1);
      start = add.result();
    }
    Instruction bound = f.newConstant(Type.I64, memory.size() - (hi - lo));
    Instruction cmp = f.newIntCompare(IntCond.ULE, start, bound.result(), at);
    h.insertBeforeTerminator(bound);
    h.insertBeforeTerminator(cmp);
    count(cmp, 1);
    h.set(h.instructions().size() - 1, Instruction.brif(cmp.result(), fast, List.of(),
        copies.get(fast), List.of(), at));
  }

  /**
   * Moves the instructions of head {@code h} but the {@code moving} ones and its terminator (which
   * the guard's branch replaces) to a new block, which it returns.
   */
  private Block moveBody(Block h, Set<Instruction> moving) {
    Block fast = f.newBlock();
    for (Instruction inst : h.instructions()) {
      if (!moving.contains(inst)) {
        fast.append(inst);
      }
    }
    BoundsCheckElimination.removeAllButTerminator(h);
    return fast;
  }

  /** Removes the {@code moving} instructions from {@code blocks}. */
  private static void removeMoving(List<Block> blocks, Set<Instruction> moving) {
    for (Block b : blocks) {
      List<Instruction> insts = b.instructions();
      for (int i = insts.size() - 2; i >= 0; i--) {
        if (moving.contains(insts.get(i))) {
          b.remove(i);
        }
      }
    }
  }

  /** Counts the uses that the copies of the chain's blocks add. */
  private void countCopies(Map<Block, Block> copies) {
    for (Block c : copies.values()) {
      for (Instruction inst : c.instructions()) {
        count(inst, 1);
      }
    }
  }

  /**
   * Marks the {@code best} accesses (the {@code marked} instructions, those of head {@code h} now
   * in {@code fast}), addressed from their root.
   */
  private void mark(List<Access> best, List<Instruction> marked, Block h, Block fast) {
    for (int k = 0; k < best.size(); k++) {
      Access a = best.get(k);
      Block b = a.block() == h ? fast : a.block();
      int i = b.instructions().indexOf(marked.get(k));
      Instruction inst = f.inBoundsAccess(marked.get(k), Address.at(a.root(), (int) a.offset()));
      count(marked.get(k), -1);
      count(inst, 1);
      b.set(i, inst);
    }
  }

  /**
   * Rewrites each step {@code vX = iadd vY, c} among {@code insts} (of block {@code b}) that is
   * not its {@link #root}'s first as {@code vX = iadd root, offset}, the same value (the root
   * dominates it, down its chain of steps): the pointer's moves through the chain then each read
   * the root, as the marked accesses do, so that the root and the last move stay live and not
   * every move between them.
   */
  private void stepFromRoots(Block b, List<Instruction> insts) {
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      if (inst.opcode() != Opcode.IADD || inst.result().id() >= roots.length) {
        continue;
      }
      Value root = root(inst.result());
      long offset = offset(inst.result());
      if (root == inst.arg(0) || offset == 0 || offset != (int) offset) {
        continue; // reads the root already, or is no step
      }
      Instruction c = f.newConstant(Type.I64, offset);
      renamed[inst.arg(0).id()] = root;
      renamed[inst.arg(1).id()] = c.result();
      Instruction step = inst.renamed(renamed);
      renamed[inst.arg(0).id()] = null;
      renamed[inst.arg(1).id()] = null;
      int at = b.instructions().indexOf(inst);
      count(inst, -1);
      count(step, 1);
      b.set(at, step);
      b.insert(at, c);
    }
  }

  /** Adds {@code delta} to the use count of each operand and branch argument of {@code inst}. */
  private void count(Instruction inst, int delta) {
    count(inst, delta, false);
  }

  /**
   * Adds {@code delta} to the count of each operand and branch argument of {@code inst}: its
   * uses in the function, or ({@code inChain}) in the current attempt's chain.
   */
  private void count(Instruction inst, int delta, boolean inChain) {
    for (int k = 0; k < inst.argCount(); k++) {
      count(inst.arg(k), delta, inChain);
    }
    List<BlockCall> targets = inst.targets();
    for (int t = 0; t < targets.size(); t++) {
      List<Value> args = targets.get(t).args();
      for (int k = 0; k < args.size(); k++) {
        count(args.get(k), delta, inChain);
      }
    }
  }

  private void count(Value value, int delta, boolean inChain) {
    int v = value.id();
    if (v >= uses.length) {
      return; // added by the pass: never a value of a chain still to come
    }
    if (!inChain) {
      uses[v] += delta;
      return;
    }
    if (countedIn[v] != attempt) {
      countedIn[v] = attempt;
      usesInChain[v] = 0;
    }
    usesInChain[v] += delta;
  }

  private boolean inChain(int block) {
    return block < chainOf.length && chainOf[block] == attempt;
  }

  /** The instruction of an access, found where it was before the head's moved. */
  private static Instruction accessAt(Access a) {
    return a.block().instructions().get(a.index());
  }

  /**
   * The checked accesses without an index on the root (defined before the chain, no constant)
   * with the most of them, if they lie in two blocks or more; else null.
   */
  private List<Access> best(List<Block> blocks, Block h) {
    Map<Memory, Map<Value, List<Access>>> groups = new LinkedHashMap<>();
    for (Block b : blocks) {
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        if (inst.opcode() != Opcode.LOAD && inst.opcode() != Opcode.STORE || inst.inBounds()) {
          continue;
        }
        if (inst.addressIndex() != null) {
          continue;
        }
        Value base = inst.addressBase();
        Value root = root(base);
        Instruction rootDef = root.definition();
        if (rootDef != null && rootDef.opcode() == Opcode.ICONST
            || definedIn(root) && !h.params().contains(root)) {
          continue;
        }
        BoundsCheckElimination.group(groups, inst.memory(), root,
            new Access(b, i, root, (int) inst.immediate() + offset(base)));
      }
    }
    List<Access> best = null;
    for (Map<Value, List<Access>> byRoot : groups.values()) {
      for (List<Access> accesses : byRoot.values()) {
        if (spansBlocks(accesses) && (best == null || accesses.size() > best.size())) {
          best = accesses;
        }
      }
    }
    return best;
  }

  /** Whether {@code v} is defined in the chain (a value the pass added is not). */
  private boolean definedIn(Value v) {
    return v.id() < defBlock.length && inChain(defBlock[v.id()]);
  }

  /**
   * The first value on {@code v}'s chain of {@code iadd vP, c} steps (c an {@code iconst} that
   * fits an int) defined in the chain's blocks that is no such step or is defined before them;
   * its offset from it goes to {@link #offsets}. Found once per value and attempt: the steps of
   * straight-line code are as long as it is.
   */
  private Value root(Value v) {
    if (v.id() >= roots.length) {
      return v; // added by the pass: no step
    }
    if (foundIn[v.id()] == attempt) {
      return roots[v.id()];
    }
    Instruction d = v.definition();
    Value root = v;
    long offset = 0;
    if (d != null && d.opcode() == Opcode.IADD && definedIn(v)) {
      Instruction c = d.arg(1).definition();
      if (c != null && c.opcode() == Opcode.ICONST && c.immediate() == (int) c.immediate()) {
        root = root(d.arg(0));
        offset = offset(d.arg(0)) + c.immediate();
      }
    }
    foundIn[v.id()] = attempt;
    roots[v.id()] = root;
    offsets[v.id()] = offset;
    return root;
  }

  /** {@return {@code v} minus its {@link #root} (found already)} */
  private long offset(Value v) {
    return v.id() < offsets.length ? offsets[v.id()] : 0;
  }

  private static boolean spansBlocks(List<Access> accesses) {
    for (Access a : accesses) {
      if (a.block() != accesses.get(0).block()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Copies {@code blocks} (the first without parameters), their values renamed to their copies
   * and their edges among them redirected to the copies; returns the copy of each block.
   */
  private Map<Block, Block> copy(List<Block> blocks) {
    if (renamed.length < f.valueCount()) {
      renamed = new Value[2 * f.valueCount()];
    }
    Map<Block, Block> copies = new HashMap<>();
    for (Block b : blocks) {
      Block c = f.newBlock();
      copies.put(b, c);
      for (Value p : b.params()) {
        renamed[p.id()] = c.addParam(p.type());
      }
    }
    for (Block b : blocks) {
      Block c = copies.get(b);
      for (Instruction inst : b.instructions()) {
        c.append(f.duplicate(inst, renamed));
      }
    }
    LoopVersions.redirectAmongCopies(copies);
    for (Block b : blocks) {
      for (Value p : b.params()) {
        renamed[p.id()] = null;
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null) {
          renamed[inst.result().id()] = null;
        }
      }
    }
    return copies;
  }

  /**
   * The instructions of the chain defining the values that code after it uses, with those they
   * read of the chain, in the chain's order: to move before the guard, so that both versions
   * share them and the code after the chain reads them as before. Null if one of them is not
   * pure (or reads a parameter of a block of the chain other than the head): the chain then
   * stays as it is.
   */
  private List<Instruction> hoisted(List<Block> blocks) {
    for (Block b : blocks) {
      for (Instruction inst : b.instructions()) {
        count(inst, 1, true);
      }
    }
    int limit = defBlock.length;
    boolean any = false;
    Block h = blocks.get(0);
    for (Block b : blocks) {
      for (Value p : b.params()) {
        if (b != h && escapes(p)) {
          return null; // each version would define it: code after the chain could not read it
        }
      }
      for (Instruction inst : b.instructions()) {
        Value r = inst.result();
        if (r != null && escapes(r)) {
          hoistIn[r.id()] = attempt;
          any = true;
        }
      }
    }
    if (!any) {
      return List.of();
    }
    // a chain's block comes after the blocks it reads from, so one backward sweep finds the
    // operands of every value that moves
    List<Instruction> moving = new ArrayList<>();
    for (int n = blocks.size() - 1; n >= 0; n--) {
      List<Instruction> insts = blocks.get(n).instructions();
      for (int i = insts.size() - 1; i >= 0; i--) {
        Instruction inst = insts.get(i);
        Value r = inst.result();
        if (r == null || r.id() >= limit || hoistIn[r.id()] != attempt) {
          continue;
        }
        if (!Effects.isPure(inst, defs)) {
          return null;
        }
        moving.add(inst);
        for (int k = 0; k < inst.argCount(); k++) {
          Value v = inst.arg(k);
          if (v.id() < limit && inChain(defBlock[v.id()])) {
            if (v.definition() == null && !h.params().contains(v)) {
              return null; // a parameter of a later block of the chain
            }
            if (v.definition() != null) {
              hoistIn[v.id()] = attempt;
            }
          }
        }
      }
    }
    Collections.reverse(moving);
    return moving;
  }

  /** Whether value {@code v} of the chain is used outside it. */
  private boolean escapes(Value v) {
    int id = v.id();
    return id < uses.length && uses[id] > (countedIn[id] == attempt ? usesInChain[id] : 0);
  }
}
