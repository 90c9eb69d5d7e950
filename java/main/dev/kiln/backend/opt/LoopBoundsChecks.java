package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.LoopVersions.check;
import static dev.kiln.backend.opt.LoopVersions.constant;
import static dev.kiln.backend.opt.LoopVersions.roomCheck;

import dev.kiln.ir.Block;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.IndexedAccessProof;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Bounds checks of a counted loop's induction variable out of the loop, by versioning. In an
 * innermost loop with an {@link InductionVariable} {@code i}, or then a loop around others (its
 * nested loops versioned first, and copied with it as they are), a {@code bounds_check x, len} in
 * its own blocks goes where {@code x} is {@code i} with
 * its range known, or {@code x} is defined outside the loop, and {@code len} is invariant or an
 * {@code i64} load of an invariant address that nothing in the loop may write (no call; each
 * store to that memory at the same base, either at constant offsets beside the word or indexed
 * by {@code i} at least eight bytes past it) or that the load, marked {@code invariant}, promises
 * unchanged (docs/ir.md: a broken promise gives a stale length, which the guard still fits in the
 * memory). The loop's entry edge then goes through a guard: per loaded length, an unsigned
 * compare that its word lies in the memory, then the length loaded ({@code inbounds}) once; then
 * a compare and branch each for a step from 1 to 2^31, per length {@code len <=u
 * Memory.MAX_SIZE}, that it fits after the base of its word where loop accesses on that base can
 * use it ({@code len <=u (limit - base) >> log2 S}, the base guarded first if the guard does not
 * load the word), each invariant index {@code x <u len}, the bound at most {@code len}
 * ({@code last < len}) and {@code start < len} if the test is on the stepped value, and last
 * {@code start >= 0} (so the induction variable never wraps). If all hold, a copy of the loop
 * (nested loops included) without those checks runs, its length loads replaced by the guard's
 * and the indexed accesses that the IR then proves in bounds marked {@code inbounds}
 * ({@link IndexedAccessProof}); if not, the loop as it was. So an out-of-bounds index traps
 * exactly where, and after the same effects, as before. A loop is copied only if no value it
 * defines is used outside it except as an argument of its exit edges, and only up to
 * {@link Thresholds#VERSIONED_LOOP_MAX_INSTRUCTIONS} (an innermost loop) or
 * {@link Thresholds#VERSIONED_NEST_MAX_INSTRUCTIONS} (a nest).
 */
public final class LoopBoundsChecks implements Pass {
  /** The largest step that cannot make an index below {@link Memory#MAX_SIZE} wrap. */
  private static final long MAX_STEP = 1L << 31;

  @Override
  public String name() {
    return "loop-bce";
  }

  /**
   * Where a checked length comes from: a value defined outside the loop, or a load's word. A plain
   * class, not a record: as a hash key a record's equals and hashCode bootstrap method handles on
   * a cold JVM's first compile.
   */
  private static final class Source {
    private final Value invariant;
    private final Memory memory;
    private final Value base;
    private final int offset;
    /**
     * Whether every dropped check's load of the word is marked {@code invariant}: the promise
     * that its bytes do not change in the function, so stores and calls in the loop leave them.
     */
    private boolean promised = true;

    Source(Value invariant, Memory memory, Value base, int offset) {
      this.invariant = invariant;
      this.memory = memory;
      this.base = base;
      this.offset = offset;
    }

    Value invariant() {
      return invariant;
    }

    Memory memory() {
      return memory;
    }

    Value base() {
      return base;
    }

    int offset() {
      return offset;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Source s && Objects.equals(invariant, s.invariant)
          && Objects.equals(memory, s.memory) && Objects.equals(base, s.base)
          && offset == s.offset;
    }

    @Override
    public int hashCode() {
      return Objects.hash(invariant, memory, base, offset);
    }
  }

  /**
   * A loop to version: the checks that go and, by source, the loads that the guard's replace
   * and the load of each length's word (a loaded length's first load in the loop, or the load
   * defining an invariant length; null if none).
   */
  private record Plan(InductionVariable iv, boolean constantStep, List<Block> blocks,
      Map<Instruction, Boolean> dropped, Map<Instruction, Integer> loadOf, List<Source> sources,
      List<Instruction> words, List<List<Value>> indexes) {}

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.BOUNDS_CHECK)) {
      return; // a versioned loop drops one
    }
    List<Block> copies = new ArrayList<>();
    Set<Value> guarded = Collections.newSetFromMap(new IdentityHashMap<>());
    // innermost loops first; then, on the loop nest they leave, the loops around them, whose
    // copies hold the inner loops as versioned already
    boolean nests = versionLoops(f, false, copies, guarded);
    if (nests) {
      versionLoops(f, true, copies, guarded);
    }
    if (!copies.isEmpty()) {
      LoopVersions.markProven(f, copies, guarded);
    }
  }

  /**
   * Versions the innermost loops of {@code f} (or, if {@code outer}, the loops around others)
   * that have a plan, adding the blocks of their copies to {@code copies}.
   *
   * @return whether {@code f} has a loop around others with a check in its own blocks
   */
  private static boolean versionLoops(Function f, boolean outer, List<Block> copies,
      Set<Value> guarded) {
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    if (nest.count() == 0) {
      return false;
    }
    Definitions defs = new Definitions(f);
    boolean[] around = nest.outerLoops();
    // what a plan needs of the whole function, found once a loop has a check to drop
    int[] defBlock = null;
    int[] escapes = null;
    boolean nests = false;
    List<Plan> plans = new ArrayList<>();
    List<Integer> planned = new ArrayList<>();
    for (int l = 0; l < nest.count(); l++) {
      if (around[l] != outer) {
        nests |= around[l] && LoopVersions.checksBounds(nest.ownBlocksInOrder(l));
        continue;
      }
      List<Block> blocks = candidate(l, nest, outer);
      if (blocks == null) {
        continue; // no plan drops a check
      }
      if (escapes == null) {
        defBlock = Definitions.blocks(f);
        escapes = LoopVersions.escaping(f, nest, defBlock);
      }
      if (overlaps(l, planned, nest)) {
        continue; // one copy of a nest at a time: a copy holds the loops inside as they were
      }
      Plan p = plan(l, blocks, outer ? Thresholds.VERSIONED_NEST_MAX_INSTRUCTIONS
          : Thresholds.VERSIONED_LOOP_MAX_INSTRUCTIONS, nest, dom, defs, defBlock, escapes);
      if (p != null) {
        plans.add(p);
        planned.add(l);
      }
    }
    for (Plan p : plans) {
      version(f, p, copies, guarded);
    }
    if (!plans.isEmpty()) {
      f.removeUnreachableBlocks(); // each guard's last, empty block
    }
    return nests;
  }

  /** Whether {@code loop} lies in one of the {@code planned} loops or holds one. */
  private static boolean overlaps(int loop, List<Integer> planned, LoopNest nest) {
    for (int m : planned) {
      if (nest.contains(loop, nest.header(m).id()) || nest.contains(m, nest.header(loop).id())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The blocks of {@code loop} in reverse postorder if it is one to version: an innermost loop
   * with a {@code bounds_check}, or a loop around others ({@code outer}) up to
   * {@link Thresholds#VERSIONED_NEST_MAX_INSTRUCTIONS} with one in its own blocks (a nested
   * loop's checks are that loop's to drop, versioned already); else null.
   */
  private static List<Block> candidate(int loop, LoopNest nest, boolean outer) {
    List<Block> own = nest.ownBlocksInOrder(loop);
    if (!LoopVersions.checksBounds(own)) {
      return null;
    }
    if (!outer) {
      return own;
    }
    // a block holds an instruction at least, so the count of blocks bounds the size cheaply
    if (nest.size(loop) > Thresholds.VERSIONED_NEST_MAX_INSTRUCTIONS) {
      return null;
    }
    return nest.blocksInOrder(loop);
  }

  /**
   * The plan for {@code loop}, whose blocks are {@code blocks}, nested loops included, if it has
   * at most {@code maxSize} instructions; or null.
   */
  private static Plan plan(int loop, List<Block> blocks, int maxSize, LoopNest nest,
      DominatorTree dom, Definitions defs, int[] defBlock, int[] escapes) {
    int size = 0;
    boolean calls = false;
    for (Block b : blocks) {
      size += b.instructions().size();
      for (Value p : b.params()) {
        if (LoopVersions.escapes(escapes, p, loop, nest)) {
          return null;
        }
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null && LoopVersions.escapes(escapes, inst.result(), loop, nest)) {
          return null;
        }
        calls |= inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT;
      }
    }
    if (size > maxSize) {
      return null;
    }
    InductionVariable iv = InductionVariable.find(loop, nest, dom, defs, defBlock);
    if (iv == null) {
      return null;
    }
    Instruction step = defs.of(iv.step());
    boolean constantStep = step != null && step.opcode() == Opcode.ICONST;
    if (constantStep && (step.immediate() < 1 || step.immediate() > MAX_STEP)) {
      return null;
    }
    Map<Instruction, Boolean> dropped = new IdentityHashMap<>();
    Map<Instruction, Integer> loadOf = new IdentityHashMap<>();
    List<Source> sources = new ArrayList<>();
    List<Instruction> words = new ArrayList<>();
    List<List<Value>> indexes = new ArrayList<>();
    Map<Source, Integer> known = new HashMap<>();
    for (Block b : blocks) {
      boolean bounded = iv.bounded(b, dom);
      for (Instruction inst : b.instructions()) {
        Value index = inst.opcode() == Opcode.BOUNDS_CHECK ? inst.arg(0) : null;
        // an index defined outside the loop is the same in every iteration: the guard checks it
        boolean invariant = index != null && !nest.contains(loop, defBlock[index.id()]);
        if (index == null || !invariant && (index != iv.param() || !bounded)) {
          continue;
        }
        Value len = inst.arg(1);
        Instruction load = defs.of(len);
        Source source;
        if (!nest.contains(loop, defBlock[len.id()])) {
          source = new Source(len, null, null, 0);
          load = wordLoad(load) ? load : null;
        } else {
          if (!wordLoad(load) || calls && !load.invariant()
              || nest.contains(loop, defBlock[load.address().base().id()])) {
            continue;
          }
          source = new Source(null, load.memory(), load.address().base(),
              load.address().offset());
        }
        Integer seen = known.get(source);
        int k;
        if (seen != null) {
          k = seen;
        } else {
          k = sources.size();
          known.put(source, k);
          sources.add(source);
          words.add(null);
          indexes.add(new ArrayList<>());
        }
        if (invariant && !indexes.get(k).contains(index)) {
          indexes.get(k).add(index);
        }
        sources.get(k).promised &= load != null && load.invariant();
        if (load != null && words.get(k) == null) {
          words.set(k, load);
        }
        dropped.put(inst, true);
      }
    }
    if (dropped.isEmpty()) {
      return null;
    }
    // every load of a guarded word in the loop reads the guard's value (of a promised word, every
    // invariant load); a store that may write a word not promised keeps the loop as it is
    for (Block b : blocks) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() != Opcode.LOAD && inst.opcode() != Opcode.STORE) {
          continue;
        }
        for (int k = 0; k < sources.size(); k++) {
          Source s = sources.get(k);
          if (s.invariant() != null || inst.memory() != s.memory()) {
            continue;
          }
          if (inst.opcode() == Opcode.STORE && !s.promised && !besideWord(inst, s, iv, b, dom)) {
            return null;
          }
          if (inst.opcode() == Opcode.LOAD && inst.memType() == MemType.I64
              && inst.address().index() == null && inst.address().base() == s.base()
              && inst.address().offset() == s.offset() && (inst.invariant() || !s.promised)) {
            loadOf.put(inst, k);
          }
        }
      }
    }
    return new Plan(iv, constantStep, blocks, dropped, loadOf, sources, words, indexes);
  }

  /** Whether {@code load} reads an i64 without an index at a constant offset in its memory. */
  private static boolean wordLoad(Instruction load) {
    if (load == null || load.opcode() != Opcode.LOAD || load.memType() != MemType.I64
        || load.address().index() != null) {
      return false;
    }
    long offset = load.address().offset();
    return offset >= 0 && offset + 8 <= load.memory().size();
  }

  /**
   * Whether {@code store} (in block {@code b}, same memory as {@code s}) cannot write the word
   * of {@code s}: on the same base, at constant bytes beside it, or indexed by the induction
   * variable where its range is known (non-negative, below {@link Memory#MAX_SIZE}, so the index
   * times its scale does not wrap) at least eight bytes past it.
   */
  private static boolean besideWord(Instruction store, Source s, InductionVariable iv, Block b,
      DominatorTree dom) {
    if (store.address().base() != s.base()) {
      return false;
    }
    long offset = store.address().offset();
    if (store.address().index() == null) {
      return offset + store.memType().width() <= s.offset() || offset >= s.offset() + 8L;
    }
    return store.address().index() == iv.param() && iv.bounded(b, dom)
        && offset >= s.offset() + 8L;
  }

  private static void version(Function f, Plan plan, List<Block> copies, Set<Value> guarded) {
    InductionVariable iv = plan.iv();
    Block h = iv.header();
    int position = h.terminator().position();
    Block guard = f.newBlockBefore(h);
    List<Value> params = new ArrayList<>();
    for (Value p : h.params()) {
      params.add(guard.addParam(p.type()));
    }
    iv.entry().redirect(h, guard);
    Value[] lengths = new Value[plan.sources().size()];
    for (int k = 0; k < lengths.length; k++) {
      Source s = plan.sources().get(k);
      if (s.invariant() != null) {
        lengths[k] = s.invariant();
        continue;
      }
      // the word in the memory (base <=u size - offset - 8), so the guard's load cannot trap
      guard = check(f, guard, IntCond.ULE, s.base(),
          constant(guard, f, s.memory().size() - s.offset() - 8), h, params, position);
      Instruction load = plan.words().get(k);
      Instruction copy = f.duplicate(load, new Value[f.valueCount()]);
      guard.append(f.inBoundsAccess(copy, copy.address()));
      lengths[k] = copy.result();
    }
    Value start = params.get(iv.index());
    Block last;
    if (!plan.constantStep()) {
      Instruction less = f.newArithmetic(Opcode.IADD, position, iv.step(),
          constant(guard, f, -1));
      guard.append(less);
      guard = check(f, guard, IntCond.ULE, less.result(), constant(guard, f, MAX_STEP - 1), h,
          params, position);
    }
    for (int k = 0; k < lengths.length; k++) {
      Value len = lengths[k];
      last = guard;
      guard = check(f, guard, IntCond.ULE, len, constant(guard, f, Memory.MAX_SIZE), h, params,
          position);
      Instruction word = plan.words().get(k);
      List<Integer> scales = word == null ? List.of() : scales(plan, word);
      // an invariant length's word at the base itself bounds the base already (docs/ir.md)
      if (plan.sources().get(k).invariant() != null && !scales.isEmpty()
          && word.address().offset() > 0) {
        last = guard;
        guard = check(f, guard, IntCond.ULE, word.address().base(),
            constant(guard, f, baseLimit(word)), h, params, position);
      }
      for (int scale : scales) {
        guarded.add(word.address().base());
        last = guard;
        guard = roomCheck(f, guard, word.address().base(), baseLimit(word), len, scale, h,
            params, position);
      }
      for (Value index : plan.indexes().get(k)) {
        last = guard;
        guard = check(f, guard, IntCond.ULT, index, len, h, params, position);
      }
      last = guard;
      guard = check(f, guard, iv.inclusive() ? IntCond.SLT : IntCond.SLE, iv.bound(), len, h,
          params, position);
      if (iv.testsNext()) {
        last = guard;
        guard = check(f, guard, IntCond.SLT, start, len, h, params, position);
      }
    }
    // start >= 0 last: the one fact that the copy needs on its entry edge only
    last = guard;
    guard = check(f, guard, IntCond.SGE, start, constant(guard, f, 0), h, params, position);
    // the last check enters the copy itself; its empty block becomes unreachable
    Instruction br = last.terminator();
    last.set(last.instructions().size() - 1, Instruction.brif(br.arg(0),
        copyLoop(f, plan, lengths, copies), params, h, params, position));
  }

  /**
   * The largest base that puts the length's {@code word} in its memory ({@code base <=u size -
   * offset - 8}); an indexed access {@code [base + x*S + K]} of width W needs it to be at most
   * {@code size - K - W + S} to be proven by a guard {@code len <=u (that - base) >> log2 S}.
   */
  private static long baseLimit(Instruction word) {
    return word.memory().size() - word.address().offset() - 8;
  }

  /** The scales of the loop's indexed accesses on the base of {@code word} that it serves. */
  private static List<Integer> scales(Plan plan, Instruction word) {
    Memory memory = word.memory();
    List<Integer> scales = new ArrayList<>();
    for (Block b : plan.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() != Opcode.LOAD && inst.opcode() != Opcode.STORE
            || inst.memory() != memory || inst.address().index() == null
            || inst.address().base() != word.address().base() || inst.address().offset() < 0) {
          continue;
        }
        int scale = inst.address().scale();
        long most = memory.size() - inst.address().offset() - inst.memType().width() + scale;
        if (baseLimit(word) <= most && !scales.contains(scale)) {
          scales.add(scale);
        }
      }
    }
    return scales;
  }

  /**
   * Copies the loop's blocks without the dropped checks, the loads of guarded words replaced by
   * {@code lengths}, adding them to {@code copied}; returns the copy of the header.
   */
  private static Block copyLoop(Function f, Plan plan, Value[] lengths, List<Block> copied) {
    Value[] renamed = new Value[f.valueCount()];
    Set<Instruction> skipped = Collections.newSetFromMap(new IdentityHashMap<>());
    skipped.addAll(plan.dropped().keySet());
    for (Map.Entry<Instruction, Integer> e : plan.loadOf().entrySet()) {
      renamed[e.getKey().result().id()] = lengths[e.getValue()];
      skipped.add(e.getKey());
    }
    return LoopVersions.copy(f, plan.blocks(), plan.iv().header(), renamed, skipped, copied);
  }
}
