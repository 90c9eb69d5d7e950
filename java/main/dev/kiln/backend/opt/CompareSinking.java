package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.List;
import java.util.function.Predicate;

/**
 * Gives each {@code brif} and {@code select} whose condition is a compare used only as such
 * conditions a copy of that compare right before it, and drops the compare where no condition
 * reads it any more. Instruction selection fuses a compare only with the branch or select right
 * after it (one {@code cmp} and {@code jcc} or {@code cmovcc}); one that value numbering shared
 * between branches, that loop-invariant code motion hoisted or that another instruction follows
 * would otherwise become a 0 or 1 in a register ({@code setcc}, {@code movzx}) that each user tests
 * again. Runs after remat, which places constants right before their first use (between a compare
 * and its branch when the branch passes one), and keeps what remat made: a copy in another block
 * gets its own copies of the constants it compares.
 */
public final class CompareSinking implements Pass {
  @Override
  public String name() {
    return "sink";
  }

  @Override
  public void run(Function f) {
    if (!hasStrayCompare(f)) {
      return;
    }
    int values = f.valueCount();
    int[] uses = new int[values];
    int[] conditionUses = new int[values];
    Block[] defBlock = new Block[values];
    List<Block> blocks = f.blocks();
    for (int k = 0; k < blocks.size(); k++) { // indexed: an iterator is an allocation in C1 code
      countUses(blocks.get(k), uses, conditionUses, defBlock);
    }
    boolean[] sunk = new boolean[values];
    Value[] renamed = new Value[values];
    // the blocks defining a sunk compare: only they may hold one no condition reads any more
    boolean[] defines = new boolean[f.blockCount()];
    for (int k = 0; k < blocks.size(); k++) {
      sink(f, blocks.get(k), uses, conditionUses, defBlock, sunk, renamed, defines);
    }
    Predicate<Instruction> unread = new Unread(sunk, uses);
    for (int k = 0; k < blocks.size(); k++) {
      if (defines[blocks.get(k).id()]) {
        blocks.get(k).removeIf(unread);
      }
    }
  }

  /** Whether a brif or select of {@code f} has a compare for condition that is not right before it. */
  private static boolean hasStrayCompare(Function f) {
    List<Block> blocks = f.blocks();
    for (int k = 0; k < blocks.size(); k++) {
      List<Instruction> insts = blocks.get(k).instructions();
      for (int i = 0; i < insts.size(); i++) {
        if (isStray(insts, i)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether instruction {@code i} is a brif or select whose compare is not right before it. */
  private static boolean isStray(List<Instruction> insts, int i) {
    Instruction user = insts.get(i);
    if (!isConditionUser(user)) {
      return false;
    }
    Instruction cmp = user.arg(0).definition();
    return cmp != null && cmp.isPlainCompare() && (i == 0 || insts.get(i - 1) != cmp);
  }

  /**
   * Gives each user in {@code b} of a compare used only as conditions a copy right before it,
   * marking in {@code defines} the block of each compare it copies.
   */
  private static void sink(Function f, Block b, int[] uses, int[] conditionUses, Block[] defBlock,
      boolean[] sunk, Value[] renamed, boolean[] defines) {
    List<Instruction> insts = b.instructions();
    for (int i = 0; i < insts.size(); i++) {
      if (!isStray(insts, i)) {
        continue;
      }
      Instruction user = insts.get(i);
      Value c = user.arg(0);
      Instruction cmp = c.definition();
      if (uses[c.id()] != conditionUses[c.id()]) {
        continue;
      }
      for (int a = 0; a < cmp.argCount(); a++) {
        Value x = cmp.arg(a);
        if (x.definition() != null && x.definition().opcode() == Opcode.ICONST
            && defBlock[x.id()] != b) {
          Instruction local = f.newConstant(x.type(), x.definition().immediate());
          b.insert(i++, local);
          renamed[x.id()] = local.result();
        }
      }
      Instruction copy = f.newCopy(cmp).renamed(renamed);
      renamed[cmp.arg(0).id()] = renamed[cmp.arg(1).id()] = null;
      renamed[c.id()] = copy.result();
      b.set(i, user.renamed(renamed));
      renamed[c.id()] = null;
      b.insert(i++, copy);
      sunk[c.id()] = true;
      defines[defBlock[c.id()].id()] = true;
      uses[c.id()]--;
      conditionUses[c.id()]--;
    }
  }

  /**
   * Counts the uses of each value in {@code b}, and its uses as the condition of a brif or
   * select; notes {@code b} as the block defining the results of its instructions.
   */
  private static void countUses(Block b, int[] uses, int[] conditionUses, Block[] defBlock) {
    List<Instruction> insts = b.instructions();
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      if (inst.result() != null) {
        defBlock[inst.result().id()] = b;
      }
      for (int a = 0; a < inst.argCount(); a++) {
        uses[inst.arg(a).id()]++;
      }
      if (isConditionUser(inst)) {
        conditionUses[inst.arg(0).id()]++;
      }
      List<BlockCall> targets = inst.targets();
      for (int t = 0; t < targets.size(); t++) {
        List<Value> args = targets.get(t).args();
        for (int a = 0; a < args.size(); a++) {
          uses[args.get(a).id()]++;
        }
      }
    }
  }

  private static boolean isConditionUser(Instruction inst) {
    return inst.opcode() == Opcode.BRIF || inst.opcode() == Opcode.SELECT;
  }

  /**
   * A sunk compare (one of the values before sinking) that nothing reads any more. A class, not a
   * lambda: linking one costs a cold JVM the lambda machinery's start-up.
   */
  private static final class Unread implements Predicate<Instruction> {
    private final boolean[] sunk;
    private final int[] uses;

    Unread(boolean[] sunk, int[] uses) {
      this.sunk = sunk;
      this.uses = uses;
    }

    @Override
    public boolean test(Instruction inst) {
      return inst.result() != null && inst.result().id() < sunk.length
          && sunk[inst.result().id()] && uses[inst.result().id()] == 0;
    }
  }
}
