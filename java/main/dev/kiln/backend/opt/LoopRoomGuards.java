package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.LoopVersions.check;
import static dev.kiln.backend.opt.LoopVersions.constant;
import static dev.kiln.backend.opt.LoopVersions.roomCheck;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.IndexedAccessProof;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Memory checks of an innermost loop's checked indexed accesses out of the loop, by versioning.
 * An access {@code [vB + vI*S + K]} ({@code K >= 0}) after a {@code bounds_check vI, vL} in
 * its block or in a loop block dominating it, {@code vB} and {@code vL} defined outside the
 * loop, stays in its memory once {@code vB <=u Z'} and {@code vL <=u (Z' - vB) >> log2 S}
 * with {@code Z' = size - K - width + S} (docs/ir.md): per base, length and scale, the least Z'
 * of its accesses (the first guard left out where the length is loaded from the base, which
 * bounds it). The loop's one entry edge goes through those guards; if they hold, a copy of
 * the loop runs, the accesses that the IR then proves marked {@code inbounds}
 * ({@link IndexedAccessProof}); if not, the loop as it was. Every check stays where it was, so
 * traps do too. The loop has one exit edge; the values it defines that are used outside it
 * leave through a new block on that edge, as arguments both versions pass. A loop entered from
 * a guard that chooses between it and another loop is a version already and is left, as are
 * loops over {@link Thresholds#VERSIONED_LOOP_MAX_INSTRUCTIONS}.
 */
public final class LoopRoomGuards implements Pass {
  @Override
  public String name() {
    return "loop-room";
  }

  /** The guards that one base, length and scale need: the least Z' of their accesses. */
  private static final class Room {
    private final Memory memory;
    private final Value base;
    private final Value length;
    private final int scale;
    private long limit;
    /** The largest base that the length's load allows, or -1 (docs/ir.md). */
    private final long baseMax;

    Room(Memory memory, Value base, Value length, int scale, long limit, long baseMax) {
      this.memory = memory;
      this.base = base;
      this.length = length;
      this.scale = scale;
      this.limit = limit;
      this.baseMax = baseMax;
    }
  }

  /** A loop to version: its number, header, blocks and the guards its accesses need. */
  private record Plan(int loop, Block header, List<Block> blocks, List<Room> rooms) {}

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.BOUNDS_CHECK)) {
      return; // the accesses it serves follow one
    }
    DominatorTree dom = DominatorTree.of(f);
    LoopNest nest = LoopNest.of(f);
    if (nest.count() == 0) {
      return;
    }
    boolean[] outer = nest.outerLoops();
    boolean[] headers = new boolean[f.blockCount()];
    for (int l = 0; l < nest.count(); l++) {
      headers[nest.header(l).id()] = true;
    }
    int[] defBlock = null;
    Definitions defs = null;
    List<Plan> plans = new ArrayList<>();
    for (int l = 0; l < nest.count(); l++) {
      if (outer[l] || nest.size(l) > Thresholds.VERSIONED_LOOP_MAX_INSTRUCTIONS
          || versioned(nest.header(l), dom, headers)) {
        continue;
      }
      List<Block> blocks = nest.ownBlocksInOrder(l);
      if (!LoopVersions.checksBounds(blocks)) {
        continue; // no access it serves
      }
      if (defBlock == null) {
        defBlock = Definitions.blocks(f);
        defs = new Definitions(f);
      }
      List<Room> rooms = rooms(l, blocks, nest, dom, defBlock, defs);
      if (!rooms.isEmpty()) {
        plans.add(new Plan(l, nest.header(l), blocks, rooms));
      }
    }
    if (plans.isEmpty()) {
      return;
    }
    int[] escapes = LoopVersions.escaping(f, nest, defBlock);
    List<Block> copies = new ArrayList<>();
    Set<Value> guarded = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Plan p : plans) {
      if (version(f, p, nest, escapes, copies)) {
        for (Room r : p.rooms()) {
          guarded.add(r.base);
        }
      }
    }
    if (!guarded.isEmpty()) {
      f.removeUnreachableBlocks(); // each guard's last, empty block
      LoopVersions.markProven(f, copies, guarded);
    }
  }

  /**
   * Whether {@code h}'s loop is entered from a guard choosing between it and another loop
   * ({@code headers}: by block id, whether a loop's header).
   */
  private static boolean versioned(Block h, DominatorTree dom, boolean[] headers) {
    List<Block> preds = dom.predecessors(h);
    for (int k = 0; k < preds.size(); k++) { // no iterator to allocate in C1-compiled code
      Block p = preds.get(k);
      Instruction br = p.terminator();
      if (!dom.dominates(h, p) && br.opcode() == Opcode.BRIF
          && headers[br.targets().get(br.targets().get(0).target() == h ? 1 : 0).target().id()]) {
        return true;
      }
    }
    return false;
  }

  /** The guards that the checked indexed accesses of loop {@code loop} need. */
  private static List<Room> rooms(int loop, List<Block> blocks, LoopNest nest, DominatorTree dom,
      int[] defBlock, Definitions defs) {
    List<Instruction> checks = new ArrayList<>();
    List<Block> checkBlocks = new ArrayList<>();
    List<Integer> checkIndexes = new ArrayList<>();
    for (Block b : blocks) {
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction c = insts.get(i);
        if (c.opcode() == Opcode.BOUNDS_CHECK && !nest.contains(loop, defBlock[c.arg(1).id()])) {
          checks.add(c);
          checkBlocks.add(b);
          checkIndexes.add(i);
        }
      }
    }
    List<Room> rooms = new ArrayList<>();
    for (Block b : blocks) {
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size() && !checks.isEmpty(); i++) {
        Instruction inst = insts.get(i);
        if (inst.opcode() != Opcode.LOAD && inst.opcode() != Opcode.STORE || inst.inBounds()
            || inst.address().index() == null || inst.address().offset() < 0
            || nest.contains(loop, defBlock[inst.address().base().id()])) {
          continue;
        }
        Address ad = inst.address();
        for (int k = 0; k < checks.size(); k++) {
          Block cb = checkBlocks.get(k);
          if (checks.get(k).arg(0) == ad.index() && (cb == b ? checkIndexes.get(k) < i
              : dom.dominates(cb, b))) {
            long limit = inst.memory().size() - ad.offset() - inst.memType().width()
                + ad.scale();
            add(rooms, inst.memory(), ad.base(), checks.get(k).arg(1), ad.scale(), limit,
                defs);
            break;
          }
        }
      }
    }
    List<Room> needed = new ArrayList<>(); // no removeIf: its lambda would link on a cold compile
    for (Room r : rooms) {
      if (r.limit >= 0) {
        needed.add(r);
      }
    }
    return needed;
  }

  /** Adds the need for {@code limit} to the room of its base, length and scale. */
  private static void add(List<Room> rooms, Memory memory, Value base, Value length, int scale,
      long limit, Definitions defs) {
    for (Room r : rooms) {
      if (r.memory == memory && r.base == base && r.length == length && r.scale == scale) {
        r.limit = Math.min(r.limit, limit);
        return;
      }
    }
    // a length loaded from [base + K'] with K' <= 0 bounds the base where the loop runs
    Instruction load = defs.of(length);
    long baseMax = load == null || load.opcode() != Opcode.LOAD || load.address().index() != null
        || load.address().base() != base || load.address().offset() > 0 ? -1
        : load.memory().size() - load.memType().width() - load.address().offset();
    rooms.add(new Room(memory, base, length, scale, limit, baseMax));
  }

  /**
   * Versions the loop of {@code plan} if it has one edge in from outside and one out; the
   * copy's blocks go to {@code copies}.
   */
  private static boolean version(Function f, Plan plan, LoopNest nest, int[] escapes,
      List<Block> copies) {
    Set<Block> loop = Collections.newSetFromMap(new IdentityHashMap<>());
    loop.addAll(plan.blocks());
    Block h = plan.header();
    Block entry = null;
    int entries = 0;
    for (Block b : f.blocks()) {
      // an earlier version's last guard block is empty, unreachable
      Instruction t = b.terminator();
      for (BlockCall call : t == null ? List.<BlockCall>of() : t.targets()) {
        if (call.target() == h && !loop.contains(b)) {
          entries++;
          entry = b;
        }
      }
    }
    Block exitFrom = null;
    Block exitTo = null;
    int exits = 0;
    for (Block b : plan.blocks()) {
      for (BlockCall call : b.terminator().targets()) {
        if (!loop.contains(call.target())) {
          exits++;
          exitFrom = b;
          exitTo = call.target();
        }
      }
    }
    if (entries != 1 || exits != 1) {
      return false;
    }
    int position = h.terminator().position();
    Block guard = f.newBlockBefore(h);
    List<Value> params = new ArrayList<>();
    for (Value p : h.params()) {
      params.add(guard.addParam(p.type()));
    }
    entry.redirect(h, guard);
    Block last = null;
    for (Room r : plan.rooms()) {
      if (r.baseMax < 0 || r.baseMax > r.limit) {
        guard = check(f, guard, IntCond.ULE, r.base, constant(guard, f, r.limit), h, params,
            position);
      }
      last = guard;
      guard = roomCheck(f, guard, r.base, r.limit, r.length, r.scale, h, params, position);
    }
    Value[] renamed = new Value[f.valueCount()];
    List<Block> copied = new ArrayList<>();
    Block copy = LoopVersions.copy(f, plan.blocks(), h, renamed, Set.of(), copied);
    copies.addAll(copied);
    // the last check enters the copy itself; its empty block becomes unreachable
    Instruction br = last.terminator();
    last.set(last.instructions().size() - 1, Instruction.brif(br.arg(0), copy, params, h, params,
        position));
    leaveThrough(f, plan, loop, copied, exitFrom, exitTo, nest, escapes, renamed);
    return true;
  }

  /**
   * Sends the loop's and the copy's exit edges into {@code exitTo} through a new block that
   * also receives the values the loop defines and uses outside it, and has those uses take its
   * parameters: the one exit edge is on every path from a definition to such a use.
   */
  private static void leaveThrough(Function f, Plan plan, Set<Block> loop, List<Block> copied,
      Block exitFrom, Block exitTo, LoopNest nest, int[] escapes, Value[] renamed) {
    List<Value> escaping = new ArrayList<>();
    for (Block b : plan.blocks()) {
      for (Value p : b.params()) {
        if (LoopVersions.escapes(escapes, p, plan.loop(), nest)) {
          escaping.add(p);
        }
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null
            && LoopVersions.escapes(escapes, inst.result(), plan.loop(), nest)) {
          escaping.add(inst.result());
        }
      }
    }
    if (escaping.isEmpty()) {
      return;
    }
    Block out = f.newBlockBefore(exitTo);
    List<Value> passed = new ArrayList<>();
    for (Value p : exitTo.params()) {
      passed.add(out.addParam(p.type()));
    }
    Value[] replacement = new Value[f.valueCount()];
    for (Value v : escaping) {
      replacement[v.id()] = out.addParam(v.type());
    }
    out.append(Instruction.jump(exitTo, passed, exitFrom.terminator().position()));
    Block exitCopy = copied.get(plan.blocks().indexOf(exitFrom));
    for (Block from : List.of(exitFrom, exitCopy)) {
      from.redirect(exitTo, out);
      for (BlockCall call : from.terminator().targets()) {
        if (call.target() == out) {
          for (Value v : escaping) {
            call.addArg(from == exitFrom ? v : renamed[v.id()]);
          }
        }
      }
    }
    Set<Block> inside = Collections.newSetFromMap(new IdentityHashMap<>());
    inside.addAll(loop);
    inside.addAll(copied);
    inside.add(out);
    for (Block b : f.blocks()) {
      if (!inside.contains(b)) {
        f.replaceUses(b, replacement);
      }
    }
  }
}
