package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Sparse conditional constant propagation over SSA (Wegman and Zadeck): values start unknown,
 * only blocks reached along edges whose branch condition is not a known constant count, and a
 * block parameter is a constant when every argument along a counted edge is that constant. Then
 * results known to be constant become {@code iconst}/{@code fconst}, branches on constants become
 * jumps (the blocks no longer reached are removed), and integer identities ({@code x+0},
 * {@code x*1}, {@code x&-1}, {@code x|0}, {@code x^0}, shifts by a multiple of 64, {@code x/1},
 * {@code select c, x, x}) are replaced by their operand. Float arithmetic is folded only when
 * exact and not NaN; nothing that may trap is removed.
 */
public final class ConstantFolding implements Pass {
  private static final byte UNKNOWN = 0;
  private static final byte CONSTANT = 1;
  private static final byte VARYING = 2;

  @Override
  public String name() {
    return "fold";
  }

  @Override
  public void run(Function f) {
    new Run(f).run();
  }

  private static final class Run {
    private final Function f;
    private final byte[] state;
    private final long[] bits;
    private final BitSet reached;
    private final List<Block> order;
    /** Each block's index in {@link #order}, by block id. */
    private final int[] orderIndex;
    /**
     * The blocks using each value (as an operand or branch argument), by their index in
     * {@link #order}: those of value {@code v} are {@code users[userStart[v]]} up to
     * {@code users[userStart[v + 1] - 1]}, by {@link Value#id()}.
     */
    private final int[] userStart;
    private final int[] users;
    /** The reached blocks to visit again (an input changed), by index in {@link #order}. */
    private final BitSet pending;
    /** The index of the block whose instructions are being evaluated, or -1. */
    private int visiting;

    Run(Function f) {
      this.f = f;
      this.state = new byte[f.valueCount()];
      this.bits = new long[f.valueCount()];
      this.reached = new BitSet(f.blockCount());
      this.order = DominatorTree.of(f).reversePostorder();
      this.orderIndex = new int[f.blockCount()];
      for (int i = 0; i < order.size(); i++) {
        orderIndex[order.get(i).id()] = i;
      }
      this.userStart = new int[f.valueCount() + 1];
      this.users = indexUsers();
      this.pending = new BitSet(order.size());
    }

    /**
     * A worklist over the blocks, lowest reverse-postorder index first, so that a block is first
     * visited after the predecessors that reach it before any back edge does; then only where
     * an input changed, until nothing does.
     */
    void run() {
      for (Value p : f.entry().params()) {
        state[p.id()] = VARYING;
      }
      reached.set(f.entry().id());
      pending.set(0);
      for (int i = pending.nextSetBit(0); i >= 0; i = pending.nextSetBit(0)) {
        pending.clear(i);
        if (reached.get(order.get(i).id())) {
          visiting = i;
          visit(order.get(i));
        }
      }
      rewrite();
    }

    /** Fills {@link #userStart} and returns the users, each block once per value. */
    private int[] indexUsers() {
      int[] last = new int[f.valueCount()];
      int[] next = null;
      int[] filled = null;
      // the first sweep counts each value's users, the second fills them in
      for (int sweep = 0; sweep < 2; sweep++) {
        Arrays.fill(last, -1);
        // indexed loops: an iterator is an allocation in C1-compiled code
        for (int i = 0; i < order.size(); i++) {
          List<Instruction> insts = order.get(i).instructions();
          for (int n = 0; n < insts.size(); n++) {
            Instruction inst = insts.get(n);
            for (int k = 0; k < inst.argCount(); k++) {
              addUser(inst.arg(k), i, last, next, filled);
            }
            List<BlockCall> targets = inst.targets();
            for (int t = 0; t < targets.size(); t++) {
              List<Value> args = targets.get(t).args();
              for (int k = 0; k < args.size(); k++) {
                addUser(args.get(k), i, last, next, filled);
              }
            }
          }
        }
        if (filled == null) {
          for (int v = 0; v < f.valueCount(); v++) {
            userStart[v + 1] += userStart[v];
          }
          next = Arrays.copyOf(userStart, f.valueCount());
          filled = new int[userStart[f.valueCount()]];
        }
      }
      return filled;
    }

    /** Counts block {@code i} as a user of {@code v} (or fills it in), once in a row. */
    private void addUser(Value v, int i, int[] last, int[] next, int[] filled) {
      int id = v.id();
      if (last[id] != i) {
        last[id] = i;
        if (filled == null) {
          userStart[id + 1]++;
        } else {
          filled[next[id]++] = i;
        }
      }
    }

    private void visit(Block b) {
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        if (inst.result() != null) {
          evaluate(inst);
        }
      }
      // a parameter changed along an edge may be used by this block too (along a back edge)
      visiting = -1;
      Instruction t = b.terminator();
      if (t.opcode() == Opcode.JUMP) {
        follow(t.targets().get(0));
      } else if (t.opcode() == Opcode.BRIF) {
        Value c = t.arg(0);
        if (state[c.id()] == VARYING || state[c.id()] == CONSTANT && bits[c.id()] != 0) {
          follow(t.targets().get(0));
        }
        if (state[c.id()] == VARYING || state[c.id()] == CONSTANT && bits[c.id()] == 0) {
          follow(t.targets().get(1));
        }
      }
    }

    private void follow(BlockCall call) {
      Block target = call.target();
      boolean changed = !reached.get(target.id());
      reached.set(target.id());
      for (int i = 0; i < call.args().size(); i++) {
        Value a = call.args().get(i);
        changed |= lower(target.params().get(i), state[a.id()], bits[a.id()]);
      }
      if (changed) {
        pending.set(orderIndex[target.id()]);
      }
    }

    /**
     * Moves {@code v} down the lattice to the meet of its state and ({@code s}, {@code b}); if it
     * moves, the blocks using it are visited again (but for the one whose instructions are being
     * evaluated: its later instructions and its terminator see the change in this visit).
     *
     * @return whether it moved
     */
    private boolean lower(Value v, byte s, long b) {
      int id = v.id();
      if (s == UNKNOWN || state[id] == VARYING) {
        return false;
      }
      if (state[id] == UNKNOWN) {
        state[id] = s;
        bits[id] = b;
      } else if (s == VARYING || bits[id] != b) {
        state[id] = VARYING;
      } else {
        return false;
      }
      for (int k = userStart[id]; k < userStart[id + 1]; k++) {
        if (users[k] != visiting) {
          pending.set(users[k]);
        }
      }
      return true;
    }

    private void evaluate(Instruction inst) {
      Value r = inst.result();
      if (ConstantEvaluator.isConstant(inst)) {
        lower(r, CONSTANT, inst.immediate());
      } else if (inst.opcode() == Opcode.SELECT) {
        Value c = inst.arg(0);
        if (state[c.id()] == CONSTANT) {
          Value chosen = inst.arg(bits[c.id()] != 0 ? 1 : 2);
          lower(r, state[chosen.id()], bits[chosen.id()]);
        } else if (state[c.id()] == VARYING) {
          lower(r, state[inst.arg(1).id()], bits[inst.arg(1).id()]);
          lower(r, state[inst.arg(2).id()], bits[inst.arg(2).id()]);
        }
      } else if (!ConstantEvaluator.folds(inst)) {
        lower(r, VARYING, 0);
      } else if (absorbs(inst)) {
        lower(r, CONSTANT, 0);
      } else {
        byte s = UNKNOWN;
        for (int k = 0; k < inst.argCount(); k++) {
          s = (byte) Math.max(s, state[inst.arg(k).id()]);
        }
        if (s == CONSTANT) {
          Long value = ConstantEvaluator.evaluate(inst, bits[inst.arg(0).id()],
              inst.argCount() > 1 ? bits[inst.arg(1).id()] : 0);
          lower(r, value == null ? VARYING : CONSTANT, value == null ? 0 : value);
        } else {
          lower(r, s, 0);
        }
      }
    }

    /** Whether {@code inst} is 0 whatever its other operand: {@code x*0}, {@code x&0}, {@code x-x}, {@code x^x}. */
    private boolean absorbs(Instruction inst) {
      return switch (inst.opcode()) {
        case IMUL, BAND -> isConstant(inst.arg(0), 0) || isConstant(inst.arg(1), 0);
        case ISUB, BXOR -> inst.arg(0) == inst.arg(1);
        default -> false;
      };
    }

    private boolean isConstant(Value v, long b) {
      return state[v.id()] == CONSTANT && bits[v.id()] == b;
    }

    private void rewrite() {
      Value[] replacement = new Value[f.valueCount()];
      BitSet replaced = new BitSet();
      Predicate<Instruction> isReplaced = Removal.resultIn(replaced); // one for all blocks
      List<Instruction> constants = new ArrayList<>();
      for (Block b : f.blocks()) {
        if (!reached.get(b.id())) {
          continue;
        }
        if (b != f.entry()) {
          for (Value p : b.params()) {
            if (state[p.id()] == CONSTANT) {
              Instruction c = f.newConstant(p.type(), bits[p.id()]);
              constants.add(c);
              replacement[p.id()] = c.result();
            }
          }
        }
        for (int i = 0; i < b.instructions().size(); i++) {
          Instruction inst = b.instructions().get(i);
          Value r = inst.result();
          if (r != null && state[r.id()] == CONSTANT && !ConstantEvaluator.isConstant(inst)
              && (ConstantEvaluator.folds(inst) || inst.opcode() == Opcode.SELECT)) {
            b.set(i, Instruction.constant(r, bits[r.id()]));
          } else if (r != null && (replacement[r.id()] = identity(inst)) != null) {
            replaced.set(r.id());
          } else if (inst.opcode() == Opcode.BRIF && state[inst.arg(0).id()] == CONSTANT) {
            BlockCall taken = inst.targets().get(bits[inst.arg(0).id()] != 0 ? 0 : 1);
            b.set(i, Instruction.jump(taken.target(), taken.args(), inst.position()));
          }
        }
        for (int i = constants.size() - 1; i >= 0; i--) {
          b.insert(0, constants.get(i));
        }
        constants.clear();
        b.removeIf(isReplaced);
      }
      f.replaceUses(replacement);
      f.removeUnreachableBlocks();
    }

    /** The operand {@code inst} equals whatever the other is, or null. */
    private Value identity(Instruction inst) {
      return switch (inst.opcode()) {
        case IADD, BOR, BXOR -> isConstant(inst.arg(1), 0) ? inst.arg(0)
            : isConstant(inst.arg(0), 0) ? inst.arg(1) : null;
        case IMUL -> isConstant(inst.arg(1), 1) ? inst.arg(0)
            : isConstant(inst.arg(0), 1) ? inst.arg(1) : null;
        case BAND -> isConstant(inst.arg(1), -1) ? inst.arg(0)
            : isConstant(inst.arg(0), -1) ? inst.arg(1) : null;
        case ISUB -> isConstant(inst.arg(1), 0) ? inst.arg(0) : null;
        case ISHL, SSHR, USHR -> state[inst.arg(1).id()] == CONSTANT
            && (bits[inst.arg(1).id()] & 63) == 0 ? inst.arg(0) : null;
        case SDIV, UDIV -> isConstant(inst.arg(1), 1) ? inst.arg(0) : null;
        case SELECT -> inst.arg(1) == inst.arg(2) ? inst.arg(1)
            : state[inst.arg(0).id()] == CONSTANT
                ? inst.arg(bits[inst.arg(0).id()] != 0 ? 1 : 2) : null;
        default -> null;
      };
    }
  }
}
