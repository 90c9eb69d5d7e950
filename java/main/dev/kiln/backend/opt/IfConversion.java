package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * If-conversion: a {@code brif} whose two ways meet again at one block right away (a diamond, each
 * way through an arm block; a triangle, one way direct; or both ways direct with different
 * arguments) becomes a {@code jump} to that block, the arms' instructions moved in front of it (in
 * front of the compare computing the condition, which then stays next to the select that
 * instruction selection fuses it with) and each argument that differs between the ways chosen by a
 * {@code select} on the branch's condition (unless one way passes the condition and the other
 * 0). An arm qualifies when the branch is its only predecessor (its parameters are then the
 * values the branch passes, used in their place), ends in a {@code jump} and holds at most {@link
 * Thresholds#IF_CONVERSION_MAX_ARM} pure, cheap instructions: nothing that may trap or has an
 * effect (a load, a store, a call, a check), no division or square root, which cost more than a
 * mispredicted branch. A loop's exit branch never has this shape: both of its ways would have to
 * reach the same block, inside the loop or not. Blocks are visited from the last, so inner
 * diamonds are converted before the ones around them.
 */
public final class IfConversion implements Pass {
  @Override
  public String name() {
    return "ifconv";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.BRIF)) {
      return; // it converts only these
    }
    Definitions defs = new Definitions(f);
    int[] preds = IncomingEdges.counts(f);
    boolean changed = false;
    List<Block> blocks = f.blocks();
    for (int i = blocks.size() - 1; i >= 0; i--) {
      changed |= convert(f, blocks.get(i), defs, preds);
    }
    if (changed) {
      f.removeUnreachableBlocks();
    }
  }

  private static boolean convert(Function f, Block b, Definitions defs, int[] preds) {
    Instruction br = b.terminator();
    if (br.opcode() != Opcode.BRIF) {
      return false;
    }
    BlockCall yes = br.targets().get(0);
    BlockCall no = br.targets().get(1);
    BlockCall yesJoin = isArm(yes, b, defs, preds) ? yes.target().terminator().targets().get(0)
        : yes;
    BlockCall noJoin = isArm(no, b, defs, preds) ? no.target().terminator().targets().get(0) : no;
    Block join = yesJoin.target();
    if (noJoin.target() != join) {
      return false;
    }
    for (BlockCall side : List.of(yes, no)) {
      if (side != (side == yes ? yesJoin : noJoin)) {
        passParams(f, side);
      }
    }
    Value c = br.arg(0);
    int selects = 0;
    for (int k = 0; k < yesJoin.args().size(); k++) {
      if (!alike(yesJoin.args().get(k), noJoin.args().get(k), c, defs)) {
        selects++;
      }
    }
    if (selects > Thresholds.IF_CONVERSION_MAX_SELECTS) {
      return false;
    }
    int at = armsAt(b, c, yes, yesJoin, no, noJoin);
    for (BlockCall side : List.of(yes, no)) {
      if (side != (side == yes ? yesJoin : noJoin)) {
        List<Instruction> arm = side.target().instructions();
        for (Instruction inst : arm.subList(0, arm.size() - 1)) {
          b.insert(at++, inst);
        }
        preds[side.target().id()]--;
      }
    }
    List<Value> args = new ArrayList<>(yesJoin.args().size());
    for (int k = 0; k < yesJoin.args().size(); k++) {
      Value x = yesJoin.args().get(k);
      Value y = noJoin.args().get(k);
      if (alike(x, y, c, defs)) {
        args.add(x);
      } else {
        Instruction select = f.newSelect(c, x, y, br.position());
        b.insertBeforeTerminator(select);
        args.add(select.result());
      }
    }
    // the two edges into the join (from the arms or from b) become b's one jump
    preds[join.id()]--;
    b.set(b.instructions().size() - 1, Instruction.jump(join, args, br.position()));
    return true;
  }

  /**
   * Whether the way taken when {@code c} is not zero passing {@code x} and the other passing
   * {@code y} pass the same value, {@code x}: the same value, or the condition itself on one
   * way and the constant 0 on the other ({@code select c, 0, c} is 0, {@code select c, c, 0} is
   * {@code c}: the no way is taken when {@code c} is 0).
   */
  private static boolean alike(Value x, Value y, Value c, Definitions defs) {
    return x == y || y == c && isZero(x, defs) || x == c && isZero(y, defs);
  }

  private static boolean isZero(Value v, Definitions defs) {
    Long k = defs.constant(v);
    return k != null && k == 0;
  }

  /**
   * Replaces the uses of an arm's parameters in it by the values {@code edge}, its only way in,
   * passes: its instructions can then leave it.
   */
  private static void passParams(Function f, BlockCall edge) {
    List<Value> params = edge.target().params();
    if (params.isEmpty()) {
      return;
    }
    Value[] passed = new Value[f.valueCount()];
    for (int k = 0; k < params.size(); k++) {
      passed[params.get(k).id()] = edge.args().get(k);
    }
    f.replaceUses(edge.target(), passed);
  }

  /**
   * Where in {@code b} the arms' instructions go: before the compare computing the condition
   * {@code c} right before the branch (and before the operation computing its first operand
   * right before that), so that the compare stays next to the select that takes its place, as
   * instruction selection fuses them; after them if an arm uses what they compute.
   */
  private static int armsAt(Block b, Value c, BlockCall yes, BlockCall yesJoin, BlockCall no,
      BlockCall noJoin) {
    List<Instruction> insts = b.instructions();
    int end = insts.size() - 1;
    int at = end;
    if (at > 0 && insts.get(at - 1).result() == c && insts.get(at - 1).opcode() == Opcode.ICMP) {
      at--;
      if (at > 0 && insts.get(at - 1).result() == insts.get(at).arg(0)) {
        at--;
      }
    }
    List<Instruction> tail = insts.subList(at, end);
    for (BlockCall side : List.of(yes, no)) {
      if (side != (side == yes ? yesJoin : noJoin)) {
        for (Instruction inst : side.target().instructions()) {
          for (Instruction t : tail) {
            if (uses(inst, t.result())) {
              return end;
            }
          }
        }
      }
    }
    return at;
  }

  private static boolean uses(Instruction inst, Value v) {
    for (int a = 0; a < inst.argCount(); a++) {
      if (inst.arg(a) == v) {
        return true;
      }
    }
    for (BlockCall edge : inst.targets()) {
      if (edge.args().contains(v)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code edge}'s target is an arm of the branch in {@code from} that may be hoisted. */
  private static boolean isArm(BlockCall edge, Block from, Definitions defs, int[] preds) {
    Block arm = edge.target();
    if (arm == from || preds[arm.id()] != 1 || arm.terminator().opcode() != Opcode.JUMP
        || arm.terminator().targets().get(0).target() == arm
        || arm.instructions().size() - 1 > Thresholds.IF_CONVERSION_MAX_ARM) {
      return false;
    }
    for (Instruction inst : arm.instructions()) {
      if (inst != arm.terminator() && (!Effects.isPure(inst, defs) || isCostly(inst.opcode()))) {
        return false;
      }
    }
    return true;
  }

  /** Pure operations slower than a mispredicted branch. */
  private static boolean isCostly(Opcode op) {
    return switch (op) {
      case SDIV, SREM, UDIV, UREM, FDIV, FSQRT -> true;
      default -> false;
    };
  }
}
