package dev.kiln.backend.lower;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.List;

/**
 * The first step of instruction selection: which of several equal values an address reads. In a
 * block that moves a pointer, {@code vW = iadd vP, C}, an access after it at {@code [vP + K]}
 * addresses {@code [vW + K - C]} instead (the same bytes; likewise an index, scaled) when
 * {@code vW} lives on past the access anyway. {@code vP} then dies at the move, so the register
 * allocator can give {@code vW} its register: a loop that bumps a pointer and tests the cell at
 * the new position updates it in place instead of copying it on the back edge.
 *
 * <p>It runs after the last pass and the last check of {@code inbounds} marks: a moved access
 * keeps its mark, which the IR proved at the old address, and the verifier's rules may not
 * prove it at the new one. An access the compiled code checks moves only if that keeps its
 * offset 0 or was not 0 already, so the check needs no {@code lea} it did not need before.
 */
public final class AddressRebasing {
  /** By value id: the block (its id + 1) in which the value's root and delta below are known. */
  private final int[] knownIn;
  /** By value id: the value it was moved from by constants within its block, and how far. */
  private final Value[] root;
  private final long[] delta;
  /** By value id of a root: the last value derived from it in the block (or null). */
  private final Value[] latest;
  /** By value id: uses in the whole function. */
  private final int[] uses;
  /**
   * By value id: uses in the block whose id + 1 is {@link #usedIn} (none in any other block), and
   * the index there of the last.
   */
  private final int[] usesInBlock;
  private final int[] usedIn;
  private final int[] lastUse;

  private AddressRebasing(int values) {
    knownIn = new int[values];
    root = new Value[values];
    delta = new long[values];
    latest = new Value[values];
    uses = new int[values];
    usesInBlock = new int[values];
    usedIn = new int[values];
    lastUse = new int[values];
  }

  /** Moves the accesses of {@code f} onto the newest values of their bases and indexes. */
  public static void run(Function f) {
    if (!f.mayContain(Opcode.LOAD) && !f.mayContain(Opcode.STORE)) {
      return;
    }
    AddressRebasing r = new AddressRebasing(f.valueCount());
    for (Block b : f.blocks()) {
      r.countUses(b.instructions(), b.id() + 1);
    }
    for (Block b : f.blocks()) {
      r.rebase(f, b);
    }
  }

  /** Counts each operand and branch argument of block {@code stamp - 1}'s {@code insts}. */
  private void countUses(List<Instruction> insts, int stamp) {
    for (int j = 0; j < insts.size(); j++) {
      Instruction inst = insts.get(j);
      for (int a = 0; a < inst.argCount(); a++) {
        use(inst.arg(a).id(), j, stamp);
      }
      List<BlockCall> targets = inst.targets();
      for (int t = 0; t < targets.size(); t++) {
        List<Value> args = targets.get(t).args();
        for (int a = 0; a < args.size(); a++) {
          use(args.get(a).id(), j, stamp);
        }
      }
    }
  }

  private void use(int v, int j, int stamp) {
    uses[v]++;
    if (usedIn[v] != stamp) {
      usedIn[v] = stamp;
      usesInBlock[v] = 0;
    }
    usesInBlock[v]++;
    lastUse[v] = j;
  }

  private void rebase(Function f, Block b) {
    List<Instruction> insts = b.instructions();
    int stamp = b.id() + 1;
    for (int j = 0; j < insts.size(); j++) {
      Instruction inst = insts.get(j);
      Opcode op = inst.opcode();
      if (op == Opcode.LOAD || op == Opcode.STORE) {
        Instruction moved = moved(f, inst, j, stamp);
        if (moved != null) {
          b.set(j, moved);
        }
      } else if (op == Opcode.IADD || op == Opcode.ISUB) {
        derive(inst, stamp);
      }
    }
  }

  /** Records {@code vW = vP + C} (or {@code - C}, or {@code C + vP}) as a move of vP's root. */
  private void derive(Instruction inst, int stamp) {
    long c;
    Value from;
    if (isConstant(inst.arg(1))) {
      c = inst.arg(1).definition().immediate();
      from = inst.arg(0);
      if (inst.opcode() == Opcode.ISUB) {
        c = -c;
      }
    } else if (inst.opcode() == Opcode.IADD && isConstant(inst.arg(0))) {
      c = inst.arg(0).definition().immediate();
      from = inst.arg(1);
    } else {
      return;
    }
    int w = inst.result().id();
    knownIn[w] = stamp;
    root[w] = rootOf(from, stamp);
    delta[w] = deltaOf(from, stamp) + c;
    latest[root[w].id()] = inst.result();
  }

  private static boolean isConstant(Value v) {
    Instruction d = v.definition();
    return d != null && d.opcode() == Opcode.ICONST;
  }

  private Value rootOf(Value v, int stamp) {
    return knownIn[v.id()] == stamp ? root[v.id()] : v;
  }

  private long deltaOf(Value v, int stamp) {
    return knownIn[v.id()] == stamp ? delta[v.id()] : 0;
  }

  /**
   * The newest value moved from {@code v}'s root in this block before index {@code j}, if it is
   * not {@code v} and lives on after {@code j} (counting the uses before any access moved).
   */
  private Value newest(Value v, int j, int stamp) {
    Value r = rootOf(v, stamp);
    Value w = latest[r.id()];
    if (w == null || w == v || knownIn[w.id()] != stamp || rootOf(w, stamp) != r) {
      return null;
    }
    int inBlock = usedIn[w.id()] == stamp ? usesInBlock[w.id()] : 0;
    boolean livesOn = inBlock > 0 && lastUse[w.id()] > j || uses[w.id()] > inBlock;
    return livesOn ? w : null;
  }

  /** {@code access} at index {@code j} moved onto newer values, or null if none is better. */
  private Instruction moved(Function f, Instruction access, int j, int stamp) {
    Value base = access.addressBase();
    Value index = access.addressIndex();
    int scale = access.scale();
    int from = (int) access.immediate();
    long offset = from;
    Value newBase = newest(base, j, stamp);
    if (newBase != null) {
      offset += deltaOf(base, stamp) - deltaOf(newBase, stamp);
      base = newBase;
    }
    Value newIndex = index == null ? null : newest(index, j, stamp);
    if (newIndex != null) {
      offset += (deltaOf(index, stamp) - deltaOf(newIndex, stamp)) * scale;
      index = newIndex;
    }
    if (newBase == null && newIndex == null || offset != (int) offset
        || !access.inBounds() && offset != 0 && from == 0) {
      return null;
    }
    return f.movedAccess(access, new Address(base, index, scale, (int) offset));
  }
}
