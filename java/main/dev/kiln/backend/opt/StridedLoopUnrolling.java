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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unrolls a loop of one block (a block branching to itself) whose checked accesses move by a
 * constant stride each iteration: a parameter {@code p} is passed {@code p + s} by the back edge,
 * and the accesses are at {@code p} plus constant offsets (through {@code iadd} chains). The
 * loop's entries go to a guard instead, one unsigned compare that the bytes
 * {@link Thresholds#UNROLLED_ITERATIONS} iterations from {@code p} would touch lie in the memory;
 * if so it runs that many copies of the body, those accesses marked {@code inbounds} (addressed
 * from the guard's {@code p}, which dominates them), each copy's exit edge leaving as the
 * original's (through a block computing the pointers it passes from {@code p}) and its staying
 * edge going to the next copy, the last one's back to the guard with {@code p} stepped. If
 * not, the original block runs once with its checks and branches back to the guard. Every
 * iteration does what it did, so traps stay where they were; the copies run one check and one
 * poll (at the only backward branch) per strip instead of per iteration. Only loops whose values
 * are used outside them as arguments of their own exit edge alone, up to
 * {@link Thresholds#UNROLLED_LOOP_MAX_INSTRUCTIONS}.
 */
public final class StridedLoopUnrolling implements Pass {
  @Override
  public String name() {
    return "unroll";
  }

  /** An access of the loop body on the strided parameter: its index and offset from it. */
  private record Access(int index, long offset) {}

  /** A loop to unroll: the strided parameter, its stride, the accesses and their byte range. */
  private record Plan(Block loop, int param, long stride, Memory memory, List<Access> accesses,
      long lo, long hi) {}

  @Override
  public void run(Function f) {
    List<Block> loops = new ArrayList<>();
    for (Block b : f.blocks()) {
      if (isSelfLoop(b) && b.instructions().size() <= Thresholds.UNROLLED_LOOP_MAX_INSTRUCTIONS) {
        loops.add(b);
      }
    }
    if (loops.isEmpty()) {
      return;
    }
    Definitions defs = new Definitions(f);
    boolean[] escapes = escaping(f);
    List<Block> original = new ArrayList<>(f.blocks());
    Map<Block, Block> guards = new HashMap<>();
    // each loop's new blocks, laid out before it at the end in one sweep
    Map<Block, List<Block>> added = new HashMap<>();
    Value[] renamed = new Value[f.valueCount()]; // shared: a loop's values are used in it only
    for (Block h : loops) {
      Plan plan = plan(h, defs, escapes);
      if (plan != null) {
        List<Block> blocks = new ArrayList<>();
        guards.put(h, unroll(f, plan, defs, renamed, blocks));
        added.put(h, blocks);
      }
    }
    if (guards.isEmpty()) {
      return;
    }
    List<Block> layout = new ArrayList<>(f.blocks().size());
    for (Block b : original) {
      List<Block> before = added.get(b);
      if (before != null) {
        layout.addAll(before);
      }
      layout.add(b);
    }
    f.reorder(layout);
    // the entries of each unrolled loop (also from other loops' copies) go to its guard; its
    // own back edge went already, and its guard's failing edge stays
    for (Block b : f.blocks()) {
      for (BlockCall call : b.terminator().targets()) {
        Block guard = guards.get(call.target());
        if (guard != null && b != guard) {
          b.redirect(call.target(), guard);
        }
      }
    }
  }

  /** Whether {@code b} ends in a {@code brif} to itself one way and to another block the other. */
  private static boolean isSelfLoop(Block b) {
    Instruction t = b.terminator();
    return t.opcode() == Opcode.BRIF
        && (t.targets().get(0).target() == b) != (t.targets().get(1).target() == b);
  }

  /**
   * Which values are used outside the block defining them, other than as arguments of that
   * block's own branch.
   */
  private static boolean[] escaping(Function f) {
    int[] defBlock = Definitions.blocks(f);
    boolean[] escapes = new boolean[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        for (int a = 0; a < inst.argCount(); a++) {
          Value v = inst.arg(a);
          escapes[v.id()] |= defBlock[v.id()] != b.id();
        }
      }
      for (BlockCall call : b.terminator().targets()) {
        for (Value v : call.args()) {
          escapes[v.id()] |= defBlock[v.id()] != b.id();
        }
      }
    }
    return escapes;
  }

  private static Plan plan(Block h, Definitions defs, boolean[] escapes) {
    for (Value p : h.params()) {
      if (escapes[p.id()]) {
        return null;
      }
    }
    for (Instruction inst : h.instructions()) {
      if (inst.result() != null && escapes[inst.result().id()]) {
        return null;
      }
    }
    Instruction t = h.terminator();
    List<Value> back = t.targets().get(t.targets().get(0).target() == h ? 0 : 1).args();
    for (int k = 0; k < back.size(); k++) {
      Value p = h.params().get(k);
      long[] stride = {0};
      if (defs.root(back.get(k), stride) != p) {
        continue;
      }
      Plan plan = accesses(h, k, stride[0], defs);
      if (plan != null) {
        return plan;
      }
    }
    return null;
  }

  /**
   * The plan for parameter {@code k} of {@code h} moving by {@code stride}: its checked accesses
   * on the memory of the first, or null if there are none or the strip's range does not fit.
   */
  private static Plan accesses(Block h, int k, long stride, Definitions defs) {
    Value p = h.params().get(k);
    List<Instruction> insts = h.instructions();
    List<Access> accesses = new ArrayList<>();
    Memory memory = null;
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      if (inst.opcode() != Opcode.LOAD && inst.opcode() != Opcode.STORE || inst.inBounds()
          || inst.address().index() != null
          || memory != null && inst.memory() != memory) {
        continue;
      }
      long[] offset = {inst.address().offset()};
      if (defs.root(inst.address().base(), offset) != p) {
        continue;
      }
      memory = inst.memory();
      accesses.add(new Access(i, offset[0]));
      lo = Math.min(lo, offset[0]);
      hi = Math.max(hi, offset[0] + inst.memType().width());
    }
    if (memory == null) {
      return null;
    }
    long span = (Thresholds.UNROLLED_ITERATIONS - 1) * stride;
    lo += Math.min(0, span);
    hi += Math.max(0, span);
    if (lo != (int) lo || hi != (int) hi || hi - lo > memory.size()) {
      return null;
    }
    return new Plan(h, k, stride, memory, accesses, lo, hi);
  }

  /**
   * Builds the guard and the copies of {@code plan}'s loop (noted in {@code added}); returns the
   * guard. {@code renamed} maps the loop's values to their copies, each set before it is read.
   */
  private static Block unroll(Function f, Plan plan, Definitions defs, Value[] renamed,
      List<Block> added) {
    Block h = plan.loop();
    Instruction t = h.terminator();
    int position = t.position();
    int stay = t.targets().get(0).target() == h ? 0 : 1;
    Block guard = added(f, added);
    List<Value> params = new ArrayList<>();
    for (Value p : h.params()) {
      params.add(guard.addParam(p.type()));
    }
    Value p = params.get(plan.param());
    Value start = offsetFrom(f, guard, p, plan.lo(), position);
    Instruction limit = f.newConstant(Type.I64, plan.memory().size() - (plan.hi() - plan.lo()));
    Instruction test = f.newIntCompare(IntCond.ULE, start, limit.result(), position);
    guard.append(limit);
    guard.append(test);
    guard.append(Instruction.brif(test.result(), added(f, added), List.of(), h, params,
        position));
    Map<Integer, Long> offsets = new HashMap<>();
    for (Access a : plan.accesses()) {
      offsets.put(a.index(), a.offset());
    }
    // the exit's arguments on the strided parameter, by their offset from it (else null)
    BlockCall exit = t.targets().get(1 - stay);
    Long[] exitOffsets = new Long[exit.args().size()];
    boolean strided = false;
    for (int k = 0; k < exitOffsets.length; k++) {
      long[] offset = {0};
      if (defs.root(exit.args().get(k), offset) == h.params().get(plan.param())) {
        exitOffsets[k] = offset[0];
        strided = true;
      }
    }
    List<Value> carried = params;
    Block copy = guard.terminator().targets().get(0).target();
    for (int i = 0; i < Thresholds.UNROLLED_ITERATIONS; i++) {
      boolean last = i + 1 == Thresholds.UNROLLED_ITERATIONS;
      // the pointer the last copy passes back, stepped first: a load right before the branch
      // that tests it is one compare with memory
      Value stepped = last
          ? offsetFrom(f, copy, p, Thresholds.UNROLLED_ITERATIONS * plan.stride(), position) : p;
      for (int k = 0; k < carried.size(); k++) {
        renamed[h.params().get(k).id()] = carried.get(k);
      }
      List<Instruction> insts = h.instructions();
      for (int j = 0; j + 1 < insts.size(); j++) {
        Instruction c = f.duplicate(insts.get(j), renamed);
        Long offset = offsets.get(j);
        if (offset != null) {
          c = f.inBoundsAccess(c, Address.at(p, (int) (offset + i * plan.stride())));
        }
        copy.append(c);
      }
      // an exit computes the pointers it passes from p on its own way out, so that the copies
      // in a row need not step them
      Block leave = exit.target();
      List<Value> out = renamedAll(exit.args(), renamed);
      if (strided) {
        leave = added(f, added);
        for (int k = 0; k < exitOffsets.length; k++) {
          if (exitOffsets[k] != null) {
            out.set(k, offsetFrom(f, leave, p, exitOffsets[k] + i * plan.stride(), position));
          }
        }
        leave.append(Instruction.jump(exit.target(), out, position));
        out = List.of();
      }
      Block next = last ? guard : added(f, added);
      carried = renamedAll(t.targets().get(stay).args(), renamed);
      List<Value> stayArgs = List.of();
      if (last) {
        stayArgs = carried;
        stayArgs.set(plan.param(), stepped);
      }
      Value c = renamedAll(List.of(t.arg(0)), renamed).get(0);
      copy.append(stay == 0 ? Instruction.brif(c, next, stayArgs, leave, out, position)
          : Instruction.brif(c, leave, out, next, stayArgs, position));
      copy = next;
    }
    h.redirect(h, guard);
    return guard;
  }

  /** A new block, noted in {@code added} (in the order they are to be laid out). */
  private static Block added(Function f, List<Block> added) {
    Block b = f.newBlock();
    added.add(b);
    return b;
  }

  /** {@code values} as {@code renamed} renames them, in a list that may be changed. */
  private static List<Value> renamedAll(List<Value> values, Value[] renamed) {
    List<Value> result = new ArrayList<>(values.size());
    for (Value v : values) {
      result.add(v.id() < renamed.length && renamed[v.id()] != null ? renamed[v.id()] : v);
    }
    return result;
  }

  /** {@code p + offset}, computed at the end of {@code b} unless the offset is 0. */
  private static Value offsetFrom(Function f, Block b, Value p, long offset, int position) {
    if (offset == 0) {
      return p;
    }
    Instruction c = f.newConstant(Type.I64, offset);
    Instruction add = f.newArithmetic(Opcode.IADD, position, p, c.result());
    b.append(c);
    b.append(add);
    return add.result();
  }
}
