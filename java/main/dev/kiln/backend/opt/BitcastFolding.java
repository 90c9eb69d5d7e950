package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
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
    if (!f.mayContain(Opcode.BITCAST) || !hasBitcast(f)) {
      return; // every pattern goes through one
    }
    foldRoundTrips(f);
    storeOperands(f);
    retypeLoads(f);
  }

  /**
   * Stores the operand of each stored {@code bitcast} and removes the bitcasts left unused; a
   * load stored as it is then keeps its type (stores go first).
   */
  private static void storeOperands(Function f) {
    Definitions defs = new Definitions(f);
    for (Block b : f.blocks()) {
      for (int i = 0; i < b.instructions().size(); i++) {
        Instruction inst = b.instructions().get(i);
        if (inst.opcode() == Opcode.STORE && inst.memType().width() == 8) {
          Instruction cast = defs.of(inst.arg(0));
          if (cast != null && cast.opcode() == Opcode.BITCAST) {
            b.set(i, f.retypedAccess(inst, cast.arg(0)));
          }
        }
      }
    }
    int[] uses = uses(f, false);
    for (Block b : f.blocks()) {
      b.removeIf(new UnusedCast(uses));
    }
  }

  /** Retypes each 8-byte load read only by bitcasts, which its new result replaces. */
  private static void retypeLoads(Function f) {
    int[] uses = uses(f, false);
    int[] bitcastUses = uses(f, true);
    Value[] retyped = new Value[f.valueCount()];
    boolean any = false;
    for (Block b : f.blocks()) {
      for (int i = 0; i < b.instructions().size(); i++) {
        Instruction inst = b.instructions().get(i);
        Value r = inst.result();
        if (inst.opcode() == Opcode.LOAD && inst.memType().width() == 8 && uses[r.id()] > 0
            && uses[r.id()] == bitcastUses[r.id()]) {
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

  private static boolean hasBitcast(Function f) {
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.BITCAST) {
          return true;
        }
      }
    }
    return false;
  }

  /** Replaces each {@code bitcast} of a {@code bitcast} by the inner one's operand. */
  private static void foldRoundTrips(Function f) {
    Definitions defs = new Definitions(f);
    Value[] replacement = new Value[f.valueCount()];
    boolean any = false;
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        Instruction inner = inst.opcode() == Opcode.BITCAST ? defs.of(inst.arg(0)) : null;
        if (inner != null && inner.opcode() == Opcode.BITCAST) {
          replacement[inst.result().id()] = inner.arg(0);
          any = true;
        }
      }
    }
    if (any) {
      f.replaceUses(replacement);
      for (Block b : f.blocks()) {
        b.removeIf(new Replaced(replacement));
      }
    }
  }

  /**
   * How often each value is read, by value id: as an operand or branch argument, or (with
   * {@code bitcastsOnly}) as the operand of a {@code bitcast}.
   */
  private static int[] uses(Function f, boolean bitcastsOnly) {
    int[] uses = new int[f.valueCount()];
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (bitcastsOnly && inst.opcode() != Opcode.BITCAST) {
          continue;
        }
        for (Value a : inst.args()) {
          uses[a.id()]++;
        }
        for (BlockCall edge : inst.targets()) {
          for (Value a : edge.args()) {
            uses[a.id()]++;
          }
        }
      }
    }
    return uses;
  }

  // predicates as classes, not lambdas: a lambda spins a class on a cold JVM's first compile

  /** Bitcasts whose result has no use. */
  private static final class UnusedCast implements Predicate<Instruction> {
    private final int[] uses;

    UnusedCast(int[] uses) {
      this.uses = uses;
    }

    @Override
    public boolean test(Instruction inst) {
      return inst.opcode() == Opcode.BITCAST && uses[inst.result().id()] == 0;
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
