package dev.kiln.backend.lower;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Instruction selection: numbers the blocks in the IR's order (the register allocator's),
 * keeps the given layout for emission, folds {@code iconst}s into
 * the operands that x86 can encode as a sign-extended 32-bit immediate (the second operand of
 * arithmetic, shifts, divisions, compares and {@code bounds_check}, and the levels of
 * {@code depth_leave}; a constant that other uses need in a register is still an immediate at
 * those operands), fuses an {@code icmp} or ordered {@code fcmp} whose only use is the
 * condition of the {@code brif} or {@code select} right after it into a compare and conditional
 * jump or move (a {@code band} right before such an {@code icmp eq} or {@code ne} with 0, or
 * before the {@code brif} or {@code select} whose condition it is, into a {@code test}), a
 * {@code load} whose only use is the condition of the {@code brif} right after it into a compare
 * of memory with 0 and a conditional jump, an i64 load used only by such a fused compare into a
 * compare with a memory operand, a small multiple or shift added into one {@code lea}, and an
 * {@code inbounds} byte load, an add to it and the store of the sum back into one add to memory.
 */
public final class Lowering {
  private final List<Block> order;
  private final int size;
  private final int[] positionOf;
  private final int[] uses;
  private final int[] foldableUses;
  /** Uses of each value that take any 64-bit constant ({@link #takesImm64}). */
  private final int[] imm64Uses;
  /** The function being filled in. */
  private final MachineFunction mf;
  private int[] calls = new int[8];
  private int callCount;
  /** The next linear index {@link #read} fills. */
  private int next;
  /** The uses {@link #read} has recorded. */
  private int used;
  /**
   * Room for a block's instructions as {@link #hoistImmediates} reorders them (as many as the
   * largest block has): each new position's old linear index, the old entries of the arrays it
   * permutes, and the operands and uses of the instruction at each new position.
   */
  private final int[] from;
  private final Instruction[] oldCode;
  private final Opcode[] oldOpcodes;
  private final int[] oldResults;
  private final int[] movedOperands;
  private final int[] movedUses;

  // Linear indexes follow the IR's block order, not the layout: a rotated loop laid out body
  // first would otherwise stretch its header's parameters over the body and the back edge's
  // arguments, so that both would be live across the whole loop and could not share a register.
  private Lowering(Function f, List<Block> layout, BitSet loopTops, BitSet unpolled,
      int maxPadding) {
    order = f.blocks();
    positionOf = new int[f.blockCount()];
    int n = 0;
    int largest = 0;
    for (int k = 0; k < order.size(); k++) {
      positionOf[order.get(k).id()] = k;
      n += 1 + order.get(k).instructions().size();
      largest = Math.max(largest, order.get(k).instructions().size());
    }
    size = n;
    uses = new int[f.valueCount()];
    foldableUses = new int[f.valueCount()];
    imm64Uses = new int[f.valueCount()];
    mf = new MachineFunction(f, layout, size, loopTops, unpolled, maxPadding);
    from = new int[largest];
    oldCode = new Instruction[largest];
    oldOpcodes = new Opcode[largest];
    oldResults = new int[largest];
    movedOperands = new int[largest];
    movedUses = new int[largest];
  }

  /** Selects the machine-level form of a verified function, its blocks in the IR's order. */
  public static MachineFunction lower(Function f) {
    return lower(f, f.blocks(), new BitSet(), new BitSet(), 0);
  }

  /**
   * Selects the machine-level form of a verified function. The work per block and per linear
   * index is in methods of their own, which HotSpot compiles early in a function of many blocks.
   *
   * @param f the function
   * @param layout every block of {@code f} once, the entry first, in the order of their code
   * @param loopTops the ids of the blocks to align to 16 bytes
   * @param unpolled the ids of the loop headers whose back edges need no poll ({@code
   *     BoundedLoops})
   * @param maxPadding the most bytes of NOPs that may align one of them
   * @return the function after instruction selection
   */
  public static MachineFunction lower(Function f, List<Block> layout, BitSet loopTops,
      BitSet unpolled, int maxPadding) {
    if (layout.size() != f.blocks().size() || layout.get(0) != f.entry()) {
      throw new IllegalArgumentException("a layout of @" + f.name()
          + " must hold each of its blocks once, the entry first");
    }
    Lowering s = new Lowering(f, layout, loopTops, unpolled, maxPadding);
    for (int k = 0; k < s.order.size(); k++) {
      s.read(k);
    }
    for (int v = 0; v < s.uses.length; v++) {
      s.classify(v);
    }
    for (int k = 0; k < s.order.size(); k++) {
      s.hoistImmediates(k);
    }
    for (int j = 0; j < s.size; j++) {
      s.markAdjacent(j);
    }
    for (int j = 0; j < s.size; j++) {
      s.markPlaced(j);
    }
    s.mf.calls = Arrays.copyOf(s.calls, s.callCount);
    return s.mf;
  }

  /** Numbers block {@code k} of the order and its instructions, and counts their uses. */
  private void read(int k) {
    Block b = order.get(k);
    int i = next;
    mf.blockIndex[b.id()] = i;
    mf.slots[k] = i;
    List<Value> params = b.params();
    for (int p = 0; p < params.size(); p++) {
      define(params.get(p));
      mf.definition[params.get(p).id()] = i;
    }
    mf.instructionBlock[i] = k;
    mf.results[i] = -1;
    mf.edgeArgumentStart[i] = used;
    mf.useStart[++i] = used;
    List<Instruction> instructions = b.instructions();
    for (int j = 0; j < instructions.size(); j++) {
      Instruction inst = instructions.get(j);
      Opcode op = inst.opcode();
      Value result = inst.result();
      mf.instructionBlock[i] = k;
      mf.code[i] = inst;
      mf.opcodes[i] = op;
      mf.results[i] = result == null ? -1 : result.id();
      if (result != null) {
        define(result);
      }
      if (op == Opcode.ICONST) {
        mf.iconst[result.id()] = true;
        mf.constants[result.id()] = inst.immediate();
      }
      if (op == Opcode.LOAD || op == Opcode.STORE) {
        mf.memoryAccesses[inst.memory().index()]++;
      }
      for (int a = 0; a < inst.argCount(); a++) {
        int id = use(inst.arg(a));
        if (foldable(inst, a)) {
          foldableUses[id]++;
          if (takesImm64(inst, a)) {
            imm64Uses[id]++;
          }
        }
      }
      mf.edgeArgumentStart[i] = used;
      if (op.isTerminator()) {
        List<BlockCall> targets = inst.targets();
        mf.successors[k] = new int[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
          mf.successors[k][t] = positionOf[targets.get(t).target().id()];
          List<Value> args = targets.get(t).args();
          for (int a = 0; a < args.size(); a++) {
            use(args.get(a));
          }
        }
      }
      mf.useStart[++i] = used;
    }
    next = i;
  }

  private void define(Value v) {
    mf.values[v.id()] = v;
    mf.f64[v.id()] = v.type() == Type.F64;
  }

  /** Counts a use of {@code v} and records it for the linear index being read; its id. */
  private int use(Value v) {
    int id = v.id();
    uses[id]++;
    if (used == mf.usedValues.length) {
      mf.usedValues = Arrays.copyOf(mf.usedValues, 2 * used);
    }
    mf.usedValues[used++] = id;
    return id;
  }

  /** Whether value {@code v} is a 32-bit constant, and whether every use takes it so. */
  private void classify(int v) {
    mf.imm32[v] = mf.iconst[v] && fitsImm32(mf.constants[v]);
    mf.immediate[v] = uses[v] > 0
        && (mf.imm32[v] ? uses[v] == foldableUses[v] : mf.iconst[v] && uses[v] == imm64Uses[v]);
  }

  /**
   * The fusions of the instructions at and right after linear index {@code j}, once the
   * instruction there is known to fuse or not: a compare (or load) with its branch, a
   * {@code band} with the test after it, a {@code depth_enter} with its {@code depth_leave}, a
   * byte's load, add and store.
   */
  private void markAdjacent(int j) {
    Opcode op = mf.opcodes[j];
    // only compares, loads and depth_enters fuse with what follows: the others are not visited
    Instruction cmp = op == Opcode.ICMP || op == Opcode.FCMP || op == Opcode.LOAD
        || op == Opcode.DEPTH_ENTER ? mf.code[j] : null;
    Instruction after = j + 1 < size ? mf.code[j + 1] : null;
    if (cmp != null && after != null && cmp.isPlainCompare()
        && (after.opcode() == Opcode.BRIF || after.opcode() == Opcode.SELECT)
        && after.arg(0) == cmp.result()
        && uses[cmp.result().id()] == 1) {
      mf.fused[j] = true;
    }
    // a brif's condition is zero exactly when the bytes loaded are, however extended
    if (cmp != null && after != null && cmp.opcode() == Opcode.LOAD
        && after.opcode() == Opcode.BRIF && after.arg(0) == cmp.result()
        && uses[cmp.result().id()] == 1) {
      mf.fused[j] = true;
    }
    if (j > 0 && mf.opcodes[j - 1] == Opcode.BAND) {
      Instruction at = mf.code[j];
      mf.testedBand[j - 1] = isOnlyUsedBy(mf.code[j - 1], at, uses)
          && (mf.fused[j] ? at.opcode() == Opcode.ICMP && isZeroTest(at, mf.imm32, mf.constants)
              : isConditionUser(at));
    }
    if (after != null) {
      mf.depthProbe[j] = isDepthProbe(cmp, after, mf.imm32, mf.constants);
    }
    if (j + 2 < size && isByteAdd(cmp, after, mf.code[j + 2], uses)) {
      mf.byteAdd[j] = mf.byteAdd[j + 1] = mf.byteAdd[j + 2] = true;
    }
  }

  /**
   * What depends on where the instruction at linear index {@code j} ended up once the immediates
   * moved and the compares fused: its definition point and whether a register ever holds its
   * result, the calls, a load compared in memory, a product a lea adds, whether it emits code.
   */
  private void markPlaced(int j) {
    Opcode op = mf.opcodes[j];
    if (op == null) {
      return;
    }
    if (op == Opcode.CALL || op == Opcode.CALL_INDIRECT) {
      if (callCount == calls.length) {
        calls = Arrays.copyOf(calls, 2 * callCount);
      }
      calls[callCount++] = j;
    }
    if (op == Opcode.LOAD || op == Opcode.IMUL || op == Opcode.ISHL) {
      Instruction inst = mf.code[j];
      int k = j + 1; // past constants that become immediates and emit nothing
      while (k < size && isHoisted(k)) {
        k++;
      }
      if (k + 1 < size && mf.fused[k] && isLoadCompare(inst, mf.code[k], mf.code[k + 1], uses)) {
        mf.comparingBranch[j] = k + 1;
        mf.comparedLoad[k + 1] = j;
      } else if (j + 1 < size && isCheckedLength(inst, mf.code[j + 1], uses)) {
        mf.comparingBranch[j] = j + 1;
        mf.comparedLoad[j + 1] = j;
      }
      if (k < size && isScaledAdd(inst, mf.code[k], uses, mf.imm32, mf.constants)) {
        mf.scalingAdd[j] = k;
        mf.scaledOperand[k] = j;
      }
    }
    int v = mf.results[j];
    if (v >= 0) {
      mf.definition[v] = j;
      mf.unmaterialized[v] = mf.immediate[v] || mf.fused[j] || mf.testedBand[j]
          || mf.scalingAdd[j] > 0;
    }
    mf.emittedLater[j] = mf.fused[j] || mf.testedBand[j] || mf.comparingBranch[j] > 0
        || mf.scalingAdd[j] > 0 || mf.byteAdd[j] && op != Opcode.STORE;
  }

  /**
   * Whether {@code add} is an {@code iadd} that one {@code lea} computes together with
   * {@code scale}, used only by it: {@code x * 3|5|9 + imm} as {@code [x + x*2|4|8 + imm]}, or
   * {@code (x << 1|2|3) + y|imm} as {@code [y + x*2|4|8]} or {@code [x*2|4|8 + imm]}.
   */
  private static boolean isScaledAdd(Instruction scale, Instruction add, int[] uses,
      boolean[] imm32, long[] constants) {
    if (scale == null || add == null || add.opcode() != Opcode.IADD
        || (scale.opcode() != Opcode.IMUL && scale.opcode() != Opcode.ISHL)
        || !imm32[scale.arg(1).id()] || uses[scale.result().id()] != 1) {
      return false;
    }
    long c = constants[scale.arg(1).id()];
    boolean immediateAdd = add.arg(0) == scale.result() && imm32[add.arg(1).id()];
    if (scale.opcode() == Opcode.IMUL) {
      return (c == 3 || c == 5 || c == 9) && immediateAdd;
    }
    return c >= 1 && c <= 3
        && (immediateAdd || add.arg(0) == scale.result() || add.arg(1) == scale.result());
  }

  /**
   * Whether {@code load} is an i64 load used only by {@code cmp} (once, with nothing but
   * immediates between them), which {@code brif} branches on: x86 compares with a memory operand
   * as fast as with a register.
   */
  private static boolean isLoadCompare(Instruction load, Instruction cmp, Instruction brif,
      int[] uses) {
    return load != null && cmp != null && brif != null && load.opcode() == Opcode.LOAD
        && load.memType() == MemType.I64 && uses[load.result().id()] == 1
        && cmp.opcode() == Opcode.ICMP && cmp.arg(0) != cmp.arg(1)
        && (cmp.arg(0) == load.result() || cmp.arg(1) == load.result())
        && brif.opcode() == Opcode.BRIF;
  }

  /**
   * Whether {@code load} is an i64 load used only as the length of the {@code bounds_check} right
   * after it, which then compares its index with the memory operand ({@code cmp i, [m]}).
   */
  private static boolean isCheckedLength(Instruction load, Instruction check, int[] uses) {
    return load != null && check != null && load.opcode() == Opcode.LOAD
        && load.memType() == MemType.I64 && uses[load.result().id()] == 1
        && check.opcode() == Opcode.BOUNDS_CHECK && check.arg(1) == load.result()
        && check.arg(0) != load.result();
  }

  /** Whether {@code band} is a {@code band} whose only use is the first operand of {@code user}. */
  private static boolean isOnlyUsedBy(Instruction band, Instruction user, int[] uses) {
    return band != null && user != null && band.opcode() == Opcode.BAND
        && uses[band.result().id()] == 1 && user.argCount() > 0 && user.arg(0) == band.result();
  }

  /**
   * Whether {@code cmp} is an {@code icmp eq} or {@code ne} with 0: of a {@code band} right
   * before it, used only by it, that is a {@code test} (the same value, so the same zero flag).
   */
  private static boolean isZeroTest(Instruction cmp, boolean[] imm32, long[] constants) {
    return (cmp.intCond() == IntCond.EQ || cmp.intCond() == IntCond.NE)
        && imm32[cmp.arg(1).id()] && constants[cmp.arg(1).id()] == 0;
  }

  /** Whether {@code inst} is a {@code brif} or {@code select}, whose first operand is tested. */
  private static boolean isConditionUser(Instruction inst) {
    return inst.opcode() == Opcode.BRIF || inst.opcode() == Opcode.SELECT;
  }

  /**
   * Moves block {@code k}'s constants that become immediates (they emit nothing and have no
   * register) to its start, so that a pass placing a constant right before its use (remat) does
   * not come between the instructions instruction selection fuses: a compare and its branch, a
   * {@code band} and its test. An {@code iconst} has no operands, so it may move up freely, and
   * the uses of the other instructions keep their order.
   */
  private void hoistImmediates(int k) {
    int first = mf.slots[k] + 1;
    int end = k + 1 < mf.slots.length ? mf.slots[k + 1] : size;
    int n = 0;
    boolean inPlace = true; // the constants that move lead the block already
    for (int i = first; i < end; i++) {
      if (isHoisted(i)) {
        inPlace &= n == i - first;
        from[n++] = i;
      }
    }
    if (inPlace) {
      return;
    }
    for (int i = first; i < end; i++) {
      if (!isHoisted(i)) {
        from[n++] = i;
      }
    }
    System.arraycopy(mf.code, first, oldCode, 0, n);
    System.arraycopy(mf.opcodes, first, oldOpcodes, 0, n);
    System.arraycopy(mf.results, first, oldResults, 0, n);
    int u = mf.useStart[first];
    for (int q = 0; q < n; q++) {
      int i = from[q];
      movedOperands[q] = mf.edgeArgumentStart[i] - mf.useStart[i];
      movedUses[q] = mf.useStart[i + 1] - mf.useStart[i];
    }
    for (int q = 0; q < n; q++) {
      int i = from[q] - first;
      mf.code[first + q] = oldCode[i];
      mf.opcodes[first + q] = oldOpcodes[i];
      mf.results[first + q] = oldResults[i];
      mf.useStart[first + q] = u;
      mf.edgeArgumentStart[first + q] = u + movedOperands[q];
      u += movedUses[q];
    }
  }

  /** Whether linear index {@code i} holds a constant that becomes an immediate. */
  private boolean isHoisted(int i) {
    return mf.opcodes[i] == Opcode.ICONST && mf.immediate[mf.results[i]];
  }

  /**
   * Whether {@code enter} is a {@code depth_enter} that the {@code depth_leave} right after it
   * undoes (a constant of the same levels): together a test that that many levels are left.
   */
  private static boolean isDepthProbe(Instruction enter, Instruction leave, boolean[] imm32,
      long[] constants) {
    return enter != null && leave != null && enter.opcode() == Opcode.DEPTH_ENTER
        && leave.opcode() == Opcode.DEPTH_LEAVE && imm32[leave.arg(0).id()]
        && constants[leave.arg(0).id()] == enter.immediate();
  }

  /**
   * Whether {@code load, add, store} add a constant or another value to one byte at one proven
   * address.
   */
  private static boolean isByteAdd(Instruction load, Instruction add, Instruction store,
      int[] uses) {
    return load != null && add != null && store != null && load.opcode() == Opcode.LOAD
        && load.inBounds() && load.memType().width() == 1 && uses[load.result().id()] == 1
        && add.opcode() == Opcode.IADD && add.arg(0) != add.arg(1)
        && (add.arg(0) == load.result() || add.arg(1) == load.result())
        && uses[add.result().id()] == 1
        && store.opcode() == Opcode.STORE && store.inBounds() && store.memType().width() == 1
        && store.arg(0) == add.result() && store.memory() == load.memory()
        && store.sameAddress(load);
  }

  /**
   * Whether x86 can take operand {@code a} of {@code inst} as an immediate: also the value of a
   * store ({@code mov [m], imm}, of the bytes it stores), and the base of an {@code inbounds}
   * access without an index (a displacement from the memory's base: proven inside the memory,
   * base plus offset fits it).
   */
  static boolean foldable(Instruction inst, int a) {
    Opcode op = inst.opcode();
    if (op == Opcode.DEPTH_LEAVE || a == 0 && op == Opcode.STORE) {
      return true;
    }
    if (op == Opcode.LOAD || op == Opcode.STORE) {
      int base = op == Opcode.STORE ? 1 : 0;
      return a == base && inst.inBounds() && inst.argCount() == base + 1;
    }
    if (a != 1) {
      return false;
    }
    return switch (op) {
      case IADD, ISUB, IMUL, BAND, BOR, BXOR, ISHL, SSHR, USHR, SDIV, SREM, UDIV, UREM, ICMP,
          BOUNDS_CHECK, SMULHI, UMULHI -> true;
      default -> false;
    };
  }

  /**
   * Whether operand {@code a} of {@code inst} takes a constant of any width: the multiplier of
   * {@code smulhi}/{@code umulhi}, which goes to rax ({@code mov rax, imm64}) while the other
   * operand is the one-operand multiply's register or memory operand.
   */
  static boolean takesImm64(Instruction inst, int a) {
    return a == 1 && (inst.opcode() == Opcode.SMULHI || inst.opcode() == Opcode.UMULHI);
  }

  /** Whether {@code v} survives a round trip through a sign-extended 32-bit immediate. */
  public static boolean fitsImm32(long v) {
    return v == (int) v;
  }
}
