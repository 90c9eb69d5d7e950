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
 * Moves bits in the type they are used as: a {@code bitcast} of a {@code bitcast} is the
 * original value, an 8-byte load whose every use is a {@code bitcast} to the other type loads
 * that type, and an 8-byte store of a {@code bitcast} stores its operand. A front end that moves
 * floats through i64 memory (array elements whose kind it does not know) then loads and stores
 * them in float registers instead of through general ones. A load or store moves the same eight
 * bytes whatever its type and a bitcast changes no bit, so every pattern (NaN payloads, -0.0)
 * survives; bitcasts left unused are removed.
 */
public final class BitcastFolding implements Pass {
  @Override
  public String name() {
    return "bitcast";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.BITCAST) || !foldRoundTrips(f)) {
      return; // every pattern goes through a bitcast
    }
    int[] uses = new int[f.valueCount()];
    int[] castUses = new int[f.valueCount()];
    countUses(f, uses, castUses);
    storeOperands(f, uses, castUses);
    retypeLoads(f, uses, castUses);
  }

  /**
   * Replaces each {@code bitcast} of a {@code bitcast} by the inner one's operand.
   *
   * @return whether {@code f} has a bitcast left
   */
  private static boolean foldRoundTrips(Function f) {
    Value[] replacement = new Value[f.valueCount()];
    boolean any = false;
    boolean folded = false;
    int limit = f.valueCount();
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() != Opcode.BITCAST) {
          continue;
        }
        any = true;
        Instruction inner = inst.arg(0).id() < limit ? inst.arg(0).definition() : null;
        if (inner != null && inner.opcode() == Opcode.BITCAST) {
          replacement[inst.result().id()] = inner.arg(0);
          folded = true;
        }
      }
    }
    if (folded) {
      f.replaceUses(replacement);
      for (Block b : f.blocks()) {
        b.removeIf(new Replaced(replacement));
      }
    }
    return any;
  }

  /**
   * Counts how often each value is read (as an operand or branch argument) into {@code uses},
   * and how often as the operand of a {@code bitcast} into {@code castUses}, by value id.
   */
  private static void countUses(Function f, int[] uses, int[] castUses) {
    // indexed loops: an iterator is an allocation in C1-compiled code
    for (Block b : f.blocks()) {
      List<Instruction> insts = b.instructions();
      for (int n = 0; n < insts.size(); n++) {
        Instruction inst = insts.get(n);
        boolean cast = inst.opcode() == Opcode.BITCAST;
        for (int k = 0; k < inst.argCount(); k++) {
          uses[inst.arg(k).id()]++;
          if (cast) {
            castUses[inst.arg(k).id()]++;
          }
        }
        List<BlockCall> targets = inst.targets();
        for (int t = 0; t < targets.size(); t++) {
          List<Value> args = targets.get(t).args();
          for (int k = 0; k < args.size(); k++) {
            uses[args.get(k).id()]++;
          }
        }
      }
    }
  }

  /**
   * Stores the operand of each stored {@code bitcast} and removes the bitcasts left unused; a
   * load stored as it is then keeps its type (stores go first). Keeps the counts up to date.
   */
  private static void storeOperands(Function f, int[] uses, int[] castUses) {
    for (Block b : f.blocks()) {
      for (int i = 0; i < b.instructions().size(); i++) {
        Instruction inst = b.instructions().get(i);
        if (inst.opcode() == Opcode.STORE && inst.memType().width() == 8) {
          Instruction cast = inst.arg(0).definition();
          if (cast != null && cast.opcode() == Opcode.BITCAST) {
            b.set(i, f.retypedAccess(inst, cast.arg(0)));
            uses[inst.arg(0).id()]--;
            uses[cast.arg(0).id()]++;
          }
        }
      }
    }
    for (Block b : f.blocks()) {
      b.removeIf(new UnusedCast(uses, castUses));
    }
  }

  /** Retypes each 8-byte load read only by bitcasts, which its new result replaces. */
  private static void retypeLoads(Function f, int[] uses, int[] castUses) {
    Value[] retyped = new Value[f.valueCount()];
    boolean any = false;
    for (Block b : f.blocks()) {
      for (int i = 0; i < b.instructions().size(); i++) {
        Instruction inst = b.instructions().get(i);
        Value r = inst.result();
        if (inst.opcode() == Opcode.LOAD && inst.memType().width() == 8 && uses[r.id()] > 0
            && uses[r.id()] == castUses[r.id()]) {
          Instruction load = f.retypedAccess(inst, null);
          b.set(i, load);
          retyped[r.id()] = load.result();
          any = true;
        }
      }
    }
    if (!any) {
      return;
    }
    Value[] replacement = new Value[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.BITCAST && retyped[inst.arg(0).id()] != null) {
          replacement[inst.result().id()] = retyped[inst.arg(0).id()];
        }
      }
    }
    f.replaceUses(replacement);
    for (Block b : f.blocks()) {
      b.removeIf(new Replaced(replacement));
    }
  }

  // predicates as classes, not lambdas: a lambda spins a class on a cold JVM's first compile

  /** Bitcasts whose result has no use; removing one uncounts its operand's use. */
  private static final class UnusedCast implements Predicate<Instruction> {
    private final int[] uses;
    private final int[] castUses;

    UnusedCast(int[] uses, int[] castUses) {
      this.uses = uses;
      this.castUses = castUses;
    }

    @Override
    public boolean test(Instruction inst) {
      if (inst.opcode() != Opcode.BITCAST || uses[inst.result().id()] != 0) {
        return false;
      }
      uses[inst.arg(0).id()]--;
      castUses[inst.arg(0).id()]--;
      return true;
    }
  }

  /** Instructions whose result has a replacement. */
  private static final class Replaced implements Predicate<Instruction> {
    private final Value[] replacement;

    Replaced(Value[] replacement) {
      this.replacement = replacement;
    }

    @Override
    public boolean test(Instruction inst) {
      return inst.result() != null && replacement[inst.result().id()] != null;
    }
  }
}
