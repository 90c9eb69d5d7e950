package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Runs unconditionally an arm that would change nothing had it run when its branch's condition is
 * zero: {@code brif c, A, J} where A, entered only from there, jumps to J. Such an arm holds only
 * pure instructions and {@code inbounds} loads and stores (none can trap), and every store writes
 * back what its bytes held before the arm when {@code c} is 0: the value it stores then (found by
 * substituting 0 for {@code c} and folding, {@code a + c * k} being {@code a}) is the value an
 * earlier load of the same address and width in the arm or its branch's block read (or a store
 * there wrote), with no store in between that may alias it. A Brainfuck multiply loop, {@code
 * if (t[p]) { t[p+9] += t[p]; t[p] = 0; }}, so becomes two stores and no branch: the branch
 * depends on the data and is mispredicted often, which costs more than the arm. The edges into J
 * must pass what the arm's passes when {@code c} is 0. The branch's block then jumps to J. Only
 * arms of at most {@link Thresholds#IDLE_ARM_MAX_INSTRUCTIONS}, and not under an {@code icmp}
 * condition, whose edge could be the guard that proves the arm's accesses in bounds.
 */
public final class IdleArms implements Pass {
  @Override
  public String name() {
    return "idle-arms";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.BRIF)) {
      return;
    }
    int[] preds = IncomingEdges.counts(f);
    Definitions defs = new Definitions(f);
    boolean changed = false;
    List<Block> blocks = f.blocks();
    for (int i = blocks.size() - 1; i >= 0; i--) { // inner arms first
      changed |= hoist(f, blocks.get(i), defs, preds);
    }
    if (changed) {
      f.removeUnreachableBlocks();
    }
  }

  /** Hoists the arm of {@code b}'s branch into {@code b} if it is idle when the condition is 0. */
  private static boolean hoist(Function f, Block b, Definitions defs, int[] preds) {
    Instruction br = b.terminator();
    if (br.opcode() != Opcode.BRIF) {
      return false;
    }
    BlockCall yes = br.targets().get(0);
    BlockCall no = br.targets().get(1);
    Block arm = yes.target();
    Value c = br.arg(0);
    Instruction cDef = defs.of(c);
    if (arm == b || preds[arm.id()] != 1 || arm.terminator().opcode() != Opcode.JUMP
        || arm.terminator().targets().get(0).target() != no.target() || no.target() == arm
        || !arm.params().isEmpty()
        || arm.instructions().size() - 1 > Thresholds.IDLE_ARM_MAX_INSTRUCTIONS
        || cDef != null && (cDef.opcode() == Opcode.ICMP || cDef.opcode() == Opcode.FCMP)) {
      return false;
    }
    List<Instruction> insts = arm.instructions().subList(0, arm.instructions().size() - 1);
    Zeroed zeroed = new Zeroed(c, insts);
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      Opcode op = inst.opcode();
      if (op == Opcode.STORE) {
        if (!inst.inBounds() || !idle(inst, insts.subList(0, i), b, zeroed, defs)) {
          return false;
        }
      } else if (op == Opcode.LOAD ? !inst.inBounds() : !Effects.isPure(inst, defs)) {
        return false;
      }
    }
    BlockCall join = arm.terminator().targets().get(0);
    for (int k = 0; k < join.args().size(); k++) {
      if (!zeroed.same(join.args().get(k), no.args().get(k))) {
        return false;
      }
    }
    List<Value> args = new ArrayList<>(join.args());
    for (Instruction inst : insts) {
      b.insertBeforeTerminator(inst);
    }
    for (int k = 0; k < args.size(); k++) {
      // a constant folded from outside the arm: its own iconst here, not a long-lived value
      Value a = args.get(k);
      Long folded = a.definition() != null && a.definition().opcode() != Opcode.ICONST
          && !zeroed.arm.contains(a.definition()) ? Zeroed.constant(a, 2) : null;
      if (folded != null) {
        Instruction k0 = f.newConstant(a.type(), folded);
        b.insertBeforeTerminator(k0);
        args.set(k, k0.result());
      }
    }
    preds[arm.id()]--;
    preds[no.target().id()]--;
    b.set(b.instructions().size() - 1, Instruction.jump(no.target(), args, br.position()));
    return true;
  }

  /**
   * Whether {@code store}, after the arm's instructions {@code before} it, writes back when
   * {@code c} is 0 what its bytes held: the value an earlier access of the same address and width
   * (in the arm, or else in {@code b}, with no store that may alias in between) read or wrote.
   */
  private static boolean idle(Instruction store, List<Instruction> before, Block b,
      Zeroed zeroed, Definitions defs) {
    Value held = held(store, before, before.size(), defs);
    if (held == null) {
      List<Instruction> bInsts = b.instructions();
      held = held(store, bInsts, bInsts.size() - 1, defs);
    }
    return held != null && zeroed.same(store.arg(0), held);
  }

  /**
   * The value the bytes {@code store} writes held after {@code insts[0, end)}: what the last
   * access of exactly that address and width loaded or stored; null if none, or if a store that
   * may alias them or a call comes after it.
   */
  private static Value held(Instruction store, List<Instruction> insts, int end,
      Definitions defs) {
    int width = store.memType().width();
    for (int i = end - 1; i >= 0; i--) {
      Instruction inst = insts.get(i);
      Opcode op = inst.opcode();
      if (op == Opcode.CALL || op == Opcode.CALL_INDIRECT) {
        return null;
      }
      if ((op == Opcode.LOAD || op == Opcode.STORE) && inst.memory() == store.memory()) {
        if (inst.sameAddress(store) && inst.memType().width() == width) {
          return op == Opcode.LOAD ? inst.result() : inst.arg(0);
        }
        if (op == Opcode.STORE && RedundantMemoryAccesses.mayAlias(inst, store, defs)) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * What the arm's values would be if {@code c} were 0: a value defined outside the arm is
   * itself ({@code c} is 0), one defined in it by folding with its operands' (a load reads what
   * it read, the stores before it in the arm being idle).
   */
  private static final class Zeroed {
    private final Value c;
    private final Set<Instruction> arm = Collections.newSetFromMap(new IdentityHashMap<>());

    Zeroed(Value c, List<Instruction> arm) {
      this.c = c;
      this.arm.addAll(arm);
    }

    /**
     * The constant {@code v} is, folding at most {@code depth} levels of operations of constants
     * ({@code mem} narrows a stored 0 as {@code band 0, 255}); null if it is none.
     */
    private static Long constant(Value v, int depth) {
      Instruction d = v.definition();
      if (d == null) {
        return null;
      }
      if (d.opcode() == Opcode.ICONST) {
        return d.immediate();
      }
      if (depth == 0 || d.argCount() == 0 || d.argCount() > 2 || !ConstantEvaluator.folds(d)) {
        return null;
      }
      Long a = constant(d.arg(0), depth - 1);
      Long b = d.argCount() == 2 ? constant(d.arg(1), depth - 1) : Long.valueOf(0);
      return a == null || b == null ? null : ConstantEvaluator.evaluate(d, a, b);
    }

    /** Whether {@code x} and {@code y} would be the same value or constant if {@code c} were 0. */
    boolean same(Value x, Value y) {
      Object zx = of(x);
      Object zy = of(y);
      return zx != null && zx.equals(zy);
    }

    /** {@code v} if {@code c} were 0: a Value, a Long constant, or null if unknown. */
    private Object of(Value v) {
      if (v == c) {
        return 0L;
      }
      Instruction d = v.definition();
      if (d == null) {
        return v;
      }
      if (d.opcode() == Opcode.ICONST) {
        return d.immediate();
      }
      if (!arm.contains(d)) {
        Long k = constant(v, 2);
        return k != null ? k : v;
      }
      if (d.opcode() == Opcode.LOAD) {
        return v;
      }
      if (d.argCount() == 0 || d.argCount() > 2 || !ConstantEvaluator.folds(d)) {
        return null;
      }
      Object a = of(d.arg(0));
      Object b = d.argCount() == 2 ? of(d.arg(1)) : 0L;
      if (a == null || b == null) {
        return null;
      }
      if (a instanceof Long x && b instanceof Long y) {
        return ConstantEvaluator.evaluate(d, x, y);
      }
      boolean zeroA = Long.valueOf(0).equals(a);
      boolean zeroB = d.argCount() == 2 && Long.valueOf(0).equals(b);
      switch (d.opcode()) {
        case IADD, BOR, BXOR -> {
          if (zeroA || zeroB) {
            return zeroA ? b : a;
          }
        }
        case ISUB -> {
          if (zeroB) {
            return a;
          }
        }
        case ISHL, SSHR, USHR -> {
          if (zeroA || zeroB) {
            return zeroA ? 0L : a;
          }
        }
        case IMUL, BAND -> {
          if (zeroA || zeroB) {
            return 0L;
          }
        }
        default -> { }
      }
      return a == d.arg(0) && (d.argCount() == 1 || b == d.arg(1)) ? v : null;
    }
  }
}
