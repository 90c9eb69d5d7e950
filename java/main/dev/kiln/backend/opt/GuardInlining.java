package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Early returns at the call site: a call of a function that starts with a small {@link
 * GuardClause} tests the guard itself and calls only where the callee would not return at once,
 * taking the returned value from its own copy of the exit path otherwise. A recursion spends
 * most of its calls in its base case ({@code fib} half of them), each of which then costs a
 * compare and branch instead of a call, frame and return. The skipped call's depth check stays
 * ({@code depth_enter} of the callee's levels at the call's position, then {@code depth_leave}),
 * so the depth limit traps at the same call; the guard is pure, so testing it first changes
 * nothing else. Calls inside code inlined from another function are left alone (their traps
 * report that function).
 */
public final class GuardInlining implements Pass {
  /** Marks a function without a guard clause in the map (which holds no null). */
  private static final GuardClause NONE = new GuardClause(List.of(), 0, List.of());

  @Override
  public String name() {
    return "guards";
  }

  @Override
  public boolean readsOtherFunctions() {
    return true;
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.CALL)) {
      return;
    }
    Map<Function, GuardClause> guards = new HashMap<>();
    for (Block b : new ArrayList<>(f.blocks())) {
      Block rest = b;
      for (int i = 0; i < rest.instructions().size(); i++) {
        Instruction inst = rest.instructions().get(i);
        if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function g
            && (inst.origin() == null || inst.origin() == f)) {
          GuardClause guard = guards.get(g);
          if (guard == null) { // no computeIfAbsent: its method reference would link cold
            guard = guardOf(g);
            guards.put(g, guard);
          }
          if (guard != NONE) {
            rest = testFirst(f, rest, i, g, guard);
            i = -1; // the instructions after the call now start the new block
          }
        }
      }
    }
  }

  private static GuardClause guardOf(Function g) {
    GuardClause guard = GuardClause.of(g);
    return guard == null ? NONE : guard;
  }

  /**
   * Splits {@code block} at the call at {@code index}: the guard's copy ends the block, its exit
   * path and the call each get a block, and both jump to a new block holding the instructions
   * after the call with the call's result as its parameter.
   *
   * @return the new block
   */
  private static Block testFirst(Function f, Block block, int index, Function g,
      GuardClause guard) {
    Instruction call = block.instructions().get(index);
    Block rest = f.splitAfter(block, index);
    Block early = f.newBlockBefore(rest);
    Block callBlock = f.newBlockBefore(rest);
    block.remove(index);
    Value[] renamed = new Value[g.valueCount()];
    for (int k = 0; k < call.argCount(); k++) {
      renamed[g.entry().params().get(k).id()] = call.arg(k);
    }
    Instruction brif = copy(f, guard.test(), renamed, block);
    BlockCall exit = brif.targets().get(guard.early());
    early.append(Instruction.depthEnter(g.levels(), call.position()));
    Instruction levels = f.newConstant(Type.I64, g.levels());
    early.append(levels);
    bind(exit, renamed);
    Instruction ret = copy(f, guard.exit(), renamed, early);
    early.append(Instruction.depthLeave(levels.result()));
    Instruction called = f.duplicate(call, new Value[f.valueCount()]);
    callBlock.append(called);
    List<Value> fromEarly = List.of();
    List<Value> fromCall = List.of();
    if (call.result() != null) {
      Value joined = rest.addParam(call.result().type());
      fromEarly = List.of(rename(ret.arg(0), renamed));
      fromCall = List.of(called.result());
      Value[] replacement = new Value[f.valueCount()];
      replacement[call.result().id()] = joined;
      f.replaceUses(replacement);
    }
    early.append(Instruction.jump(rest, fromEarly, call.position()));
    callBlock.append(Instruction.jump(rest, fromCall, call.position()));
    Value cond = rename(brif.arg(0), renamed);
    Block yes = guard.early() == 0 ? early : callBlock;
    Block no = guard.early() == 0 ? callBlock : early;
    block.set(block.instructions().size() - 1,
        Instruction.brif(cond, yes, List.of(), no, List.of(), brif.position()));
    return rest;
  }

  /**
   * Copies the pure instructions of {@code path}'s blocks to the end of {@code into} (before its
   * terminator, if it has one), binding each next block's parameters to its jump's arguments.
   *
   * @return the last block's terminator (not copied)
   */
  private static Instruction copy(Function f, List<Block> path, Value[] renamed, Block into) {
    Instruction t = null;
    for (Block b : path) {
      if (t != null) {
        bind(t.targets().get(0), renamed);
      }
      List<Instruction> code = b.instructions();
      for (Instruction inst : code.subList(0, code.size() - 1)) {
        into.insertBeforeTerminator(f.duplicate(inst, renamed));
      }
      t = b.terminator();
    }
    return t;
  }

  /** Renames the target's parameters to the (renamed) arguments the branch passes it. */
  private static void bind(BlockCall target, Value[] renamed) {
    List<Value> params = target.target().params();
    for (int k = 0; k < params.size(); k++) {
      renamed[params.get(k).id()] = rename(target.args().get(k), renamed);
    }
  }

  private static Value rename(Value v, Value[] renamed) {
    return renamed[v.id()] != null ? renamed[v.id()] : v;
  }
}
