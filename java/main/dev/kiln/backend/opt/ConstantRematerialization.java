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
 * Gives each block its own copy of every integer constant it uses that another block defines,
 * just before its first use there. Value numbering and loop-invariant code motion leave one
 * {@code iconst} for a whole function; a use that cannot take it as an immediate (a call or
 * branch argument) would then hold it in a register from that definition to the
 * function's last use, where the register allocator spills it and reloads it from the stack. A
 * local copy lives only within its block and costs one {@code mov} of an immediate (no memory,
 * no dependency), and uses that take an immediate fold it as before. Runs after the passes that
 * merge or hoist values.
 */
public final class ConstantRematerialization implements Pass {
  @Override
  public String name() {
    return "remat";
  }

  @Override
  public void run(Function f) {
    int values = f.valueCount();
    Instruction[] constant = new Instruction[values];
    // the block of each constant (only theirs are asked for)
    int[] defBlock = new int[values];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.ICONST) {
          constant[inst.result().id()] = inst;
          defBlock[inst.result().id()] = b.id();
        }
      }
    }
    Value[] local = new Value[values];
    List<Value> copied = new ArrayList<>();
    List<Instruction> copies = new ArrayList<>();
    for (Block b : f.blocks()) {
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        // indexed loops: an iterator is an allocation in C1-compiled code
        for (int k = 0; k < inst.argCount(); k++) {
          copy(f, inst.arg(k), b, constant, defBlock, local, copied, copies);
        }
        if (inst.opcode().isTerminator()) {
          List<BlockCall> targets = inst.targets();
          for (int t = 0; t < targets.size(); t++) {
            List<Value> args = targets.get(t).args();
            for (int k = 0; k < args.size(); k++) {
              copy(f, args.get(k), b, constant, defBlock, local, copied, copies);
            }
          }
        }
        for (int k = 0; k < copies.size(); k++) {
          b.insert(i++, copies.get(k));
        }
        copies.clear();
      }
      if (!copied.isEmpty()) {
        f.replaceUses(b, local);
        for (Value v : copied) {
          local[v.id()] = null;
        }
        copied.clear();
      }
    }
  }

  /**
   * Adds to {@code copies} a local copy in {@code b} of {@code v} if it is a constant of another
   * block not yet copied in {@code b}, recording it in {@code local} and {@code copied}.
   */
  private static void copy(Function f, Value v, Block b, Instruction[] constant, int[] defBlock,
      Value[] local, List<Value> copied, List<Instruction> copies) {
    if (v.id() >= constant.length || constant[v.id()] == null || defBlock[v.id()] == b.id()
        || local[v.id()] != null) {
      return;
    }
    Instruction c = f.newConstant(v.type(), constant[v.id()].immediate());
    local[v.id()] = c.result();
    copied.add(v);
    copies.add(c);
  }
}
