package dev.kiln.backend.opt;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Redundant load elimination, store-to-load forwarding and dead store elimination within each
 * extended block (a block reached by one edge starts with what its predecessor knew, and so does
 * the header of a loop that neither stores nor calls, from its one entry). A load of the same
 * memory, address (same base, index and scale values, same offset; a constant base without an
 * index counts as its value added to the offset) and width as an earlier load or store, with no
 * store that may alias and no call in between, takes the known value: a load's result of the
 * same type, or the stored value narrowed as the load extends it ({@code store.i8 v} then
 * {@code load.u8} gives {@code band v, 255}). A store of the value the memory already holds is
 * removed. A store overwritten by a later one to the same address and width is removed only if
 * nothing in between may read that memory, call out or trap: after a trap the memory stays
 * observable. Accesses whose addresses may overlap are those of one memory unless both have the
 * same base, index and scale (or both a constant base and no index) and disjoint offset ranges.
 * A {@code bounds_check} of the same index and length as an earlier one cannot fail and goes
 * (two length loads that became one make the checks of {@code a[i] = a[i] + x} equal).
 * What an {@code invariant} load read survives stores and calls, but only a later invariant load
 * takes it then: the front end promised those bytes to invariant loads only, and only within the
 * innermost loop where it was clobbered. Dropping the later load's check is sound whatever the
 * value, since the earlier load checked the same bytes. A block entered only along the false
 * edge of a {@code brif v} knows that memory holding {@code v} holds zero; joins ({@link
 * #joins}) may make a branch's value zero too, and the branch then folds, after which a second
 * sweep forwards along the straightened path.
 */
public final class RedundantMemoryAccesses implements Pass {
  private static final Pass PARAMS = new RedundantParameters();

  @Override
  public String name() {
    return "mem";
  }

  /**
   * A load or store with its address, taken apart once: the scans below compare each access
   * with up to {@link Thresholds#MEMORY_FACTS} others.
   */
  private static class Spot {
    final Instruction access;
    final Address address;
    /**
     * Whether the base is a constant and there is no index: the access is at {@link #offset}
     * from the memory's start, whatever value holds that constant.
     */
    final boolean absolute;
    /** The offset from the base, or from the memory's start if {@link #absolute}. */
    final long offset;

    Spot(Instruction access, Address address, Definitions defs) {
      this.access = access;
      this.address = address;
      Long base = address.index() == null ? defs.constant(address.base()) : null;
      this.absolute = base != null;
      this.offset = address.offset() + (base == null ? 0 : base);
    }

    Spot(Spot spot) {
      this.access = spot.access;
      this.address = spot.address;
      this.absolute = spot.absolute;
      this.offset = spot.offset;
    }
  }

  /** A value known to be in memory: what a load read or a store wrote at an address. */
  private static final class Fact extends Spot {
    final Value value;
    /** For a store, the number of the last barrier before it, and whether it was read since. */
    final int barrier;
    boolean read;
    /**
     * Whether a store that may alias it or a call came since: then it is an invariant load's
     * value, which only an invariant load may take.
     */
    final boolean clobbered;

    Fact(Spot spot, Value value, int barrier) {
      this(spot, value, barrier, false);
    }

    private Fact(Spot spot, Value value, int barrier, boolean clobbered) {
      super(spot);
      this.value = value;
      this.barrier = barrier;
      this.clobbered = clobbered;
    }

    /** This fact after a store that may alias it or a call: null unless an invariant load's. */
    Fact clobbered() {
      if (isStore() || !access.invariant()) {
        return null;
      }
      return clobbered ? this : new Fact(this, value, barrier, true);
    }

    boolean isStore() {
      return access.opcode() == Opcode.STORE;
    }
  }

  /**
   * What is known at a point of a block: facts, checked accesses, the {@code bounds_check}s
   * passed, the barrier count.
   */
  private static final class State {
    private final List<Fact> facts;
    private final List<Spot> checked;
    private final List<Instruction> passed;
    int barrier;

    State(List<Fact> facts, List<Spot> checked, List<Instruction> passed, int barrier) {
      this.facts = facts;
      this.checked = checked;
      this.passed = passed;
      this.barrier = barrier;
    }

    List<Instruction> passed() {
      return passed;
    }

    List<Fact> facts() {
      return facts;
    }

    List<Spot> checked() {
      return checked;
    }

    int barrier() {
      return barrier;
    }
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.LOAD) && !f.mayContain(Opcode.STORE)
        && !f.mayContain(Opcode.BOUNDS_CHECK)) {
      return; // every change it makes is to a load, a store or a bounds_check
    }
    for (int round = 1; round <= Thresholds.MEMORY_ROUNDS; round++) {
      BitSet zeros = new BitSet();
      sweep(f, zeros);
      if (!foldBranches(f, zeros)) {
        return;
      }
    }
  }

  /**
   * One sweep over the function: the forward scan of each block, then the joins; the constant
   * zeros that joins made are added to {@code zeros}.
   */
  private static void sweep(Function f, BitSet zeros) {
    Value[] replacement = new Value[f.valueCount()];
    Set<Instruction> dead = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean changed = false;
    Definitions defs = new Definitions(f);
    Block[] onlyPredecessor = onlyPredecessors(f);
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    Block[] quietEntry = quietLoopEntries(f, dom, nest);
    State[] ends = new State[f.blockCount()]; // by block id, what it knows at its end
    List<Instruction> made = new ArrayList<>(); // zero constants of false edges
    for (Block b : f.blocks()) {
      Block pred = onlyPredecessor[b.id()] != null ? onlyPredecessor[b.id()]
          : quietEntry[b.id()];
      State in = pred == null ? null : ends[pred.id()];
      State state = in == null
          ? new State(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 0)
          : new State(new ArrayList<>(in.facts()), new ArrayList<>(in.checked()),
              new ArrayList<>(in.passed()),
              in.barrier() + 1); // a store before the edge is observable along the other one
      if (pred != null && nest.innermost(pred.id()) != nest.innermost(b.id())) {
        dropClobbered(state.facts());
      }
      if (pred != null && pred == onlyPredecessor[b.id()]) {
        zeroAlongFalseEdge(f, pred, b, state.facts(), replacement, zeros, made);
      }
      changed |= block(f, b, state, defs, replacement, dead, zeros);
      ends[b.id()] = state;
    }
    changed |= joins(f, ends, onlyPredecessor, quietEntry, defs, replacement, dead, zeros);
    if (!made.isEmpty()) {
      dropUnused(f, made, replacement, dead);
      changed = true;
    }
    if (changed) {
      for (Block b : f.blocks()) {
        b.removeIf(Removal.in(dead));
      }
      f.replaceUses(replacement);
    }
  }

  /**
   * If {@code b} is entered only along the false edge of its predecessor's {@code brif}, the
   * facts whose value is the branch's makes that memory hold zero: they take a zero constant at
   * the start of {@code b} (added to {@code zeros} and {@code made}), which any narrowing leaves
   * zero.
   */
  private static void zeroAlongFalseEdge(Function f, Block pred, Block b, List<Fact> facts,
      Value[] replacement, BitSet zeros, List<Instruction> made) {
    Instruction t = pred.terminator();
    if (t.opcode() != Opcode.BRIF || t.targets().get(0).target() == b) {
      return;
    }
    Value tested = Function.resolve(t.arg(0), replacement);
    Value zero = null;
    for (int k = 0; k < facts.size(); k++) {
      Fact fact = facts.get(k);
      if (!fact.clobbered && Function.resolve(fact.value, replacement) == tested) {
        if (zero == null) {
          Instruction c = f.newConstant(tested.type(), 0);
          b.insert(0, c);
          zeros.set(c.result().id());
          made.add(c);
          zero = c.result();
        }
        Fact known = new Fact(fact, zero, fact.barrier);
        known.read = fact.read;
        facts.set(k, known);
      }
    }
  }

  /** Drops the constants {@code made} that no load was replaced by. */
  private static void dropUnused(Function f, List<Instruction> made, Value[] replacement,
      Set<Instruction> dead) {
    BitSet used = new BitSet();
    for (Value v : replacement) {
      if (v != null) {
        used.set(Function.resolve(v, replacement).id());
      }
    }
    for (Instruction c : made) {
      if (!used.get(c.result().id())) {
        dead.add(c);
      }
    }
  }

  /**
   * Turns each {@code brif} on one of the {@code zeros} into a jump along its false edge and
   * removes the blocks no longer reached.
   *
   * @return whether a branch was folded: then blocks may have fewer predecessors, and another
   *     sweep may know more
   */
  private static boolean foldBranches(Function f, BitSet zeros) {
    if (zeros.isEmpty()) {
      return false;
    }
    boolean folded = false;
    for (Block b : f.blocks()) {
      Instruction t = b.terminator();
      if (t.opcode() == Opcode.BRIF && zeros.get(t.arg(0).id())) {
        BlockCall taken = t.targets().get(1);
        b.set(b.instructions().size() - 1,
            Instruction.jump(taken.target(), taken.args(), t.position()));
        folded = true;
      }
    }
    if (folded) {
      f.removeUnreachableBlocks();
      PARAMS.run(f); // a block left with one edge needs no parameters
    }
    return folded;
  }

  /**
   * Loads in a block entered by several edges (before any call in it, and after no store in it
   * that may alias them) whose value every predecessor knows at its end, from a load or store at
   * the same address and width. Along the false edge of a {@code brif} on that very value, it is
   * zero. A load whose value is the same along every edge (a value or zero; an edge that passes
   * back what the load itself read counts as any) takes it; any other becomes a new parameter of
   * the block, to which every edge passes what its predecessor knew (narrowed as the load
   * extends it; a zero known only from the branch would cost a constant on the edge). A loop
   * header so takes the cell its entry stored and its latch tested: nested loops that keep a
   * pointer still (Brainfuck's {@code -[->+<-[...]]}) read the cell from memory at no level, and
   * the loops a Brainfuck loop's exit falls through (each testing the cell the inner one left
   * zero) fold away. Every path into the block accessed those bytes, so
   * the load could not trap either.
   */
  private static boolean joins(Function f, State[] ends, Block[] onlyPredecessor,
      Block[] quietEntry, Definitions defs, Value[] replacement, Set<Instruction> dead,
      BitSet zeros) {
    IncomingEdges incoming = new IncomingEdges(f);
    boolean changed = false;
    List<Spot> stores = new ArrayList<>();
    for (Block b : f.blocks()) {
      List<BlockCall> in = incoming.into(b);
      if (b == f.entry() || in == null || onlyPredecessor[b.id()] != null
          || quietEntry[b.id()] != null) {
        continue;
      }
      stores.clear();
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        Opcode op = inst.opcode();
        if (op == Opcode.CALL || op == Opcode.CALL_INDIRECT) {
          break;
        }
        if (op == Opcode.STORE && !dead.contains(inst)) {
          stores.add(new Spot(inst, inst.address(), defs));
        } else if (op == Opcode.LOAD && !dead.contains(inst)
            && !aliasesAny(stores, new Spot(inst, inst.address(), defs), replacement)
            && join(f, b, inst, in, incoming.from(b), ends, defs, replacement, zeros)) {
          dead.add(inst);
          changed = true;
        }
      }
    }
    return changed;
  }

  private static boolean aliasesAny(List<Spot> stores, Spot load, Value[] replacement) {
    for (int k = 0; k < stores.size(); k++) {
      if (mayAlias(stores.get(k), load, replacement)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces {@code load}, in block {@code b} entered by the edges {@code in} from the blocks
   * {@code from}, if every one of them knows its value at its end: by that value if it is the
   * same along every edge, else by a new parameter of {@code b}.
   */
  private static boolean join(Function f, Block b, Instruction load, List<BlockCall> in,
      List<Block> from, State[] ends, Definitions defs, Value[] replacement,
      BitSet zeroConstants) {
    Spot spot = new Spot(load, load.address(), defs);
    Fact[] known = new Fact[in.size()];
    Value same = null; // the one value along every edge so far, unless differ
    boolean differ = false;
    boolean zeros = true; // whether the value is zero along every edge so far
    for (int k = 0; k < in.size(); k++) {
      State end = ends[from.get(k).id()];
      known[k] = end == null ? null : find(end.facts(), spot, replacement);
      if (known[k] == null || !forwards(known[k], load)) {
        return false;
      }
      Value v = narrows(known[k], load) ? null : Function.resolve(known[k].value, replacement);
      boolean zero = v != null && testsZero(from.get(k).terminator(), in.get(k), v, replacement);
      if (v == load.result() && !zero) {
        continue; // the load's own value passed back: whatever the others agree on
      }
      zeros &= zero;
      differ |= v == null || same != null && same != v;
      same = v;
    }
    if (!differ || zeros) {
      Value v = same;
      if (zeros) { // a constant, which folds the branches on it
        Instruction c = f.newConstant(load.result().type(), 0);
        b.insert(0, c);
        zeroConstants.set(c.result().id());
        v = c.result();
      }
      replacement[load.result().id()] = v;
      return true;
    }
    Value param = b.addParam(load.result().type());
    for (int k = 0; k < in.size(); k++) {
      Block pred = from.get(k);
      List<Instruction> narrowing = forward(f, known[k], load);
      for (Instruction n : narrowing) {
        pred.insertBeforeTerminator(n);
      }
      in.get(k).addArg(narrowing.isEmpty() ? known[k].value
          : narrowing.get(narrowing.size() - 1).result());
    }
    replacement[load.result().id()] = param;
    return true;
  }

  /** Whether {@code edge} is the false edge of {@code t}, a {@code brif} on {@code v}. */
  private static boolean testsZero(Instruction t, BlockCall edge, Value v, Value[] replacement) {
    return t.opcode() == Opcode.BRIF && t.targets().get(1) == edge
        && Function.resolve(t.arg(0), replacement) == v;
  }

  /**
   * Each block's only predecessor, by block id, or null. A method of its own, like each loop
   * over the whole function here, so that HotSpot compiles the walk's method, not all of run,
   * for each loop that runs long.
   */
  private static Block[] onlyPredecessors(Function f) {
    int[] edges = new int[f.blockCount()];
    Block[] onlyPredecessor = new Block[f.blockCount()];
    for (Block b : f.blocks()) {
      for (BlockCall call : b.terminator().targets()) {
        int t = call.target().id();
        onlyPredecessor[t] = edges[t]++ == 0 ? b : null;
      }
    }
    return onlyPredecessor;
  }

  /**
   * For each header of a loop that neither stores nor calls (nested loops included) and is
   * entered from one block outside it, that block: every iteration finds memory as that block
   * left it, so the header starts from what it knew. Null for every other block.
   */
  private static Block[] quietLoopEntries(Function f, DominatorTree dom, LoopNest nest) {
    Block[] entry = new Block[f.blockCount()];
    boolean[] writes = new boolean[nest.count()];
    for (Block b : f.blocks()) {
      int l = nest.innermost(b.id());
      if (l >= 0 && !writes[l] && writesOrCalls(b)) {
        writes[l] = true;
      }
    }
    for (int l = nest.count() - 1; l >= 0; l--) { // an inner loop's number is its parent's or more
      if (writes[l] && nest.parent(l) >= 0) {
        writes[nest.parent(l)] = true;
      }
    }
    for (int l = 0; l < nest.count(); l++) {
      Block header = nest.header(l);
      Block outside = null;
      int outsideCount = 0;
      for (Block p : dom.predecessors(header)) {
        if (!nest.contains(l, p.id())) {
          outside = p;
          outsideCount++;
        }
      }
      if (!writes[l] && outsideCount == 1) {
        entry[header.id()] = outside;
      }
    }
    return entry;
  }

  /**
   * Drops the facts that were clobbered, in place and keeping the others' order, which keeps
   * each in its innermost loop: a length from outside a loop makes the loop's checks invariant,
   * so licm, loop-bce and loop-room move them and version the loop, for which the inbounds proofs
   * after the versions are not yet robust. (A loop, not removeIf with a method reference, which
   * would link on a cold compile.)
   */
  private static void dropClobbered(List<Fact> facts) {
    int kept = 0;
    for (int i = 0; i < facts.size(); i++) {
      if (!facts.get(i).clobbered) {
        facts.set(kept++, facts.get(i));
      }
    }
    facts.subList(kept, facts.size()).clear();
  }

  private static boolean writesOrCalls(Block b) {
    for (Instruction inst : b.instructions()) {
      Opcode op = inst.opcode();
      if (op == Opcode.STORE || op == Opcode.CALL || op == Opcode.CALL_INDIRECT) {
        return true;
      }
    }
    return false;
  }

  /**
   * Rewrites one block. {@code barrier} counts the instructions so far that may trap or call
   * out; {@code checked} holds the accesses done so far whose check covers a later access.
   */
  private static boolean block(Function f, Block b, State state, Definitions defs,
      Value[] replacement, Set<Instruction> dead, BitSet zeros) {
    List<Fact> facts = state.facts();
    List<Spot> checked = state.checked();
    int barrier = state.barrier();
    boolean changed = false;
    List<Instruction> insts = b.instructions();
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      switch (inst.opcode()) {
        case LOAD -> {
          Spot spot = new Spot(inst, inst.address(), defs);
          boolean safe = covered(checked, spot, replacement);
          Fact same = null;
          List<Instruction> narrowing = null;
          for (int k = facts.size() - 1; k >= 0 && narrowing == null; k--) {
            same = facts.get(k);
            narrowing = !exact(same, spot, replacement) || same.clobbered && !inst.invariant()
                ? null : zeros.get(same.value.id()) ? List.of() : forward(f, same, inst);
          }
          if (narrowing != null) {
            Value v = narrowing.isEmpty() ? same.value
                : narrowing.get(narrowing.size() - 1).result();
            replacement[inst.result().id()] = v;
            dead.add(inst);
            for (Instruction n : narrowing) {
              b.insert(i++, n);
            }
            if (!narrowing.isEmpty()) {
              remember(facts, new Fact(spot, v, barrier));
            }
            changed = true;
            continue;
          }
          markRead(facts, spot, replacement);
          if (!safe) {
            barrier++;
            remember(checked, spot);
          }
          remember(facts, new Fact(spot, inst.result(), barrier));
        }
        case STORE -> {
          Spot spot = new Spot(inst, inst.address(), defs);
          boolean safe = covered(checked, spot, replacement);
          Value v = Function.resolve(inst.arg(0), replacement);
          Fact same = find(facts, spot, replacement);
          if (same != null && Function.resolve(same.value, replacement) == v
              && same.access.memType().width() == inst.memType().width()) {
            dead.add(inst);
            changed = true;
            continue;
          }
          if (same != null && same.isStore() && same.barrier == barrier && !same.read) {
            dead.add(same.access);
            changed = true;
          }
          if (!safe) {
            barrier++;
            remember(checked, spot);
          }
          clobber(facts, spot, replacement);
          remember(facts, new Fact(spot, v, barrier));
        }
        case CALL, CALL_INDIRECT -> {
          clobber(facts, null, replacement);
          barrier++;
        }
        case BOUNDS_CHECK -> {
          if (passed(state.passed(), inst, replacement)) {
            dead.add(inst);
            changed = true;
            continue;
          }
          remember(state.passed(), inst);
          barrier++;
        }
        default -> {
          if (!Effects.isPure(inst, defs)) {
            barrier++;
          }
        }
      }
    }
    state.barrier = barrier;
    return changed;
  }

  /** Whether two accesses use the same memory and the same base, index and scale. */
  private static boolean sameSpot(Spot a, Spot b, Value[] replacement) {
    if (a.access.memory() != b.access.memory()) {
      return false;
    }
    if (a.absolute || b.absolute) {
      return a.absolute && b.absolute;
    }
    Address x = a.address;
    Address y = b.address;
    return Function.resolve(x.base(), replacement) == Function.resolve(y.base(), replacement)
        && (x.index() == null ? y.index() == null : y.index() != null
            && Function.resolve(x.index(), replacement) == Function.resolve(y.index(), replacement))
        && x.scale() == y.scale();
  }

  /**
   * Whether two loads or stores may touch a common byte, as this pass decides it for the
   * accesses it compares (for passes that move accesses past others).
   */
  static boolean mayAlias(Instruction a, Instruction b, Definitions defs) {
    return mayAlias(new Spot(a, a.address(), defs), new Spot(b, b.address(), defs), new Value[0]);
  }

  /** Whether two accesses may touch a common byte. */
  private static boolean mayAlias(Spot a, Spot b, Value[] replacement) {
    if (a.access.memory() != b.access.memory()) {
      return false;
    }
    if (!sameSpot(a, b, replacement)) {
      return true;
    }
    long x = a.offset;
    long y = b.offset;
    return x < y + b.access.memType().width() && y < x + a.access.memType().width();
  }

  /** Whether two accesses have the same memory, address and width. */
  private static boolean exact(Spot a, Spot b, Value[] replacement) {
    return a.access.memType().width() == b.access.memType().width()
        && a.offset == b.offset && sameSpot(a, b, replacement);
  }

  /** The latest fact not clobbered at exactly {@code access}'s address and width, or null. */
  private static Fact find(List<Fact> facts, Spot access, Value[] replacement) {
    for (int i = facts.size() - 1; i >= 0; i--) {
      if (!facts.get(i).clobbered && exact(facts.get(i), access, replacement)) {
        return facts.get(i);
      }
    }
    return null;
  }

  /**
   * The instructions that turn {@code fact}'s value into what {@code load} reads (empty if it is
   * that value already), or null if the types differ.
   */
  private static List<Instruction> forward(Function f, Fact fact, Instruction load) {
    if (!forwards(fact, load)) {
      return null;
    }
    if (!narrows(fact, load)) {
      return List.of();
    }
    MemType wants = load.memType();
    int pos = load.position();
    boolean zeroExtends = wants == MemType.U8 || wants == MemType.U16 || wants == MemType.U32;
    if (zeroExtends) {
      Instruction mask = f.newConstant(Type.I64, (1L << (8 * wants.width())) - 1);
      return List.of(mask, f.newArithmetic(Opcode.BAND, pos, fact.value, mask.result()));
    }
    Instruction bits = f.newConstant(Type.I64, 64 - 8 * wants.width());
    Instruction up = f.newArithmetic(Opcode.ISHL, pos, fact.value, bits.result());
    return List.of(bits, up, f.newArithmetic(Opcode.SSHR, pos, up.result(), bits.result()));
  }

  /** Whether {@code fact}'s value stands for what {@code load} reads only once narrowed. */
  private static boolean narrows(Fact fact, Instruction load) {
    return fact.isStore() && load.memType().width() < 8;
  }

  /**
   * Whether {@code fact}'s value can stand for what {@code load} reads: a load's of the same
   * type and width, or a store's of the same type (narrowed as the load extends it).
   */
  private static boolean forwards(Fact fact, Instruction load) {
    MemType had = fact.access.memType();
    MemType wants = load.memType();
    return fact.isStore() ? had.type() == wants.type() : had == wants;
  }

  /** Marks the stores {@code load} may read from as read. */
  private static void markRead(List<Fact> facts, Spot load, Value[] replacement) {
    for (Fact fact : facts) {
      if (fact.isStore() && mayAlias(fact, load, replacement)) {
        fact.read = true;
      }
    }
  }

  /**
   * Drops the facts {@code store} may overwrite (every fact if it is null: a call), keeping
   * invariant loads' as {@link Fact#clobbered}.
   */
  private static void clobber(List<Fact> facts, Spot store, Value[] replacement) {
    int kept = 0;
    for (int k = 0; k < facts.size(); k++) {
      Fact fact = facts.get(k);
      Fact after = store == null || mayAlias(fact, store, replacement) ? fact.clobbered() : fact;
      if (after != null) {
        facts.set(kept++, after);
      }
    }
    facts.subList(kept, facts.size()).clear();
  }

  /** Adds {@code item} to a list of at most {@link Thresholds#MEMORY_FACTS}, dropping the oldest. */
  private static <T> void remember(List<T> list, T item) {
    if (list.size() == Thresholds.MEMORY_FACTS) {
      list.remove(0);
    }
    list.add(item);
  }

  /**
   * Whether a {@code bounds_check} of the same index and length passed earlier: then {@code check}
   * cannot fail (its operands are the same SSA values, whatever ran in between).
   */
  private static boolean passed(List<Instruction> passed, Instruction check,
      Value[] replacement) {
    Value index = Function.resolve(check.arg(0), replacement);
    Value length = Function.resolve(check.arg(1), replacement);
    for (Instruction p : passed) {
      if (Function.resolve(p.arg(0), replacement) == index
          && Function.resolve(p.arg(1), replacement) == length) {
        return true;
      }
    }
    return false;
  }

  /** Whether an access done earlier in the block checked every byte {@code access} touches. */
  private static boolean covered(List<Spot> checked, Spot access, Value[] replacement) {
    long from = access.offset;
    long to = from + access.access.memType().width();
    for (int k = 0; k < checked.size(); k++) { // no iterator to allocate in C1-compiled code
      Spot c = checked.get(k);
      long at = c.offset;
      if (at <= from && to <= at + c.access.memType().width()
          && sameSpot(c, access, replacement)) {
        return true;
      }
    }
    return false;
  }
}
