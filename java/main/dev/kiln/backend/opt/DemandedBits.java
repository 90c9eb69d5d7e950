package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;

/**
 * Demanded bits: which bits of each value some use can observe, found backwards from the uses to a
 * fixed point (block parameters pass their demand to the arguments of every edge). A one-byte
 * store observes 8 bits of its value, an add, subtract or multiply only the bits of its operands
 * up to its result's highest demanded bit, a {@code band} with a constant only the bits the
 * constant keeps; anything else every bit. A use of {@code v = band x, C} that observes no bit
 * outside {@code C} then takes {@code x} itself, so that a mask kept for a branch on the full
 * value is not also recomputed for the stores and adds of the same cell (Brainfuck's
 * {@code band v, 255} on every reloaded cell); a mask no use needs is left to dce.
 */
public final class DemandedBits implements Pass {
  private static final long ALL = -1L;

  @Override
  public String name() {
    return "bits";
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.BAND)) {
      return; // it replaces only the uses of masks
    }
    Definitions defs = new Definitions(f);
    long[] demanded = new long[f.valueCount()];
    ArrayDeque<Value> grown = new ArrayDeque<>();
    sweep(f, defs, demanded, grown);
    if (!grown.isEmpty()) {
      drain(f, defs, demanded, grown);
    }
    // indexed loops, and a use's demand asked only of masks: most operands are none
    List<Block> blocks = f.blocks();
    for (int n = 0; n < blocks.size(); n++) {
      List<Instruction> insts = blocks.get(n).instructions();
      for (int k = 0; k < insts.size(); k++) {
        Instruction inst = insts.get(k);
        long r = inst.result() == null ? ALL : demanded[inst.result().id()];
        for (int i = 0; i < inst.argCount(); i++) {
          if (isMask(inst.arg(i), defs)) {
            Value x = unmasked(inst.arg(i), demand(inst, i, r, defs), defs);
            if (x != inst.arg(i)) {
              inst.replaceArg(i, x);
            }
          }
        }
        if (inst.opcode().isTerminator()) {
          List<BlockCall> targets = inst.targets();
          for (int t = 0; t < targets.size(); t++) {
            BlockCall call = targets.get(t);
            List<Value> params = call.target().params();
            for (int i = 0; i < params.size(); i++) {
              if (isMask(call.args().get(i), defs)) {
                Value x = unmasked(call.args().get(i), demanded[params.get(i).id()], defs);
                if (x != call.args().get(i)) {
                  call.replaceArg(i, x);
                }
              }
            }
          }
        }
      }
    }
  }

  /** Whether a {@code band} defines {@code v}. */
  private static boolean isMask(Value v, Definitions defs) {
    Instruction d = defs.of(v);
    return d != null && d.opcode() == Opcode.BAND;
  }

  /**
   * Adds to {@code demanded} what each use demands, last block and instruction first, so that
   * within a block every use comes before its definition; a value whose demand grows after its
   * definition or parameter was passed (around a loop) goes on {@code grown}.
   */
  private static void sweep(Function f, Definitions defs, long[] demanded,
      ArrayDeque<Value> grown) {
    BitSet visited = new BitSet(f.valueCount()); // values whose demand was passed on
    List<Block> blocks = f.blocks();
    for (int n = blocks.size() - 1; n >= 0; n--) {
      Block b = blocks.get(n);
      List<Instruction> insts = b.instructions();
      for (int k = insts.size() - 1; k >= 0; k--) {
        Instruction inst = insts.get(k);
        if (inst.opcode().isTerminator()) {
          List<BlockCall> targets = inst.targets();
          for (int t = 0; t < targets.size(); t++) {
            List<Value> params = targets.get(t).target().params();
            List<Value> args = targets.get(t).args();
            for (int i = 0; i < params.size(); i++) {
              add(demanded, args.get(i), demanded[params.get(i).id()], visited, grown);
              visited.set(params.get(i).id()); // passed on: more demand must be passed again
            }
          }
        }
        Value result = inst.result();
        long r = result == null ? ALL : demanded[result.id()];
        for (int i = 0; i < inst.argCount(); i++) {
          add(demanded, inst.arg(i), demand(inst, i, r, defs), visited, grown);
        }
        if (result != null) {
          visited.set(result.id());
        }
      }
    }
  }

  /**
   * Passes on the demand of each value on {@code grown}, to the operands of its definition or to
   * what every edge passes its parameter, until none grows.
   */
  private static void drain(Function f, Definitions defs, long[] demanded,
      ArrayDeque<Value> grown) {
    IncomingEdges incoming = new IncomingEdges(f);
    Block[] paramBlock = new Block[f.valueCount()];
    int[] paramIndex = new int[f.valueCount()];
    for (Block b : f.blocks()) {
      for (int k = 0; k < b.params().size(); k++) {
        paramBlock[b.params().get(k).id()] = b;
        paramIndex[b.params().get(k).id()] = k;
      }
    }
    while (!grown.isEmpty()) {
      Value v = grown.poll();
      long r = demanded[v.id()];
      Instruction d = defs.of(v);
      if (d != null) {
        for (int i = 0; i < d.argCount(); i++) {
          add(demanded, d.arg(i), demand(d, i, r, defs), null, grown);
        }
      } else if (paramBlock[v.id()] != null && incoming.into(paramBlock[v.id()]) != null) {
        for (BlockCall call : incoming.into(paramBlock[v.id()])) {
          add(demanded, call.args().get(paramIndex[v.id()]), r, null, grown);
        }
      }
    }
  }

  /**
   * Adds {@code bits} to {@code v}'s demand; if it grows after {@code v}'s uses were passed on
   * ({@code visited} null: always), {@code v} goes on {@code grown}.
   */
  private static void add(long[] demanded, Value v, long bits, BitSet visited,
      ArrayDeque<Value> grown) {
    long before = demanded[v.id()];
    if ((before | bits) != before) {
      demanded[v.id()] = before | bits;
      if (visited == null || visited.get(v.id())) {
        grown.add(v);
      }
    }
  }

  /**
   * {@code v}, or the value a chain of {@code band}s with constants masks if a use observing
   * only {@code bits} cannot tell them apart.
   */
  private static Value unmasked(Value v, long bits, Definitions defs) {
    while (true) {
      Instruction d = defs.of(v);
      if (d == null || d.opcode() != Opcode.BAND) {
        return v;
      }
      Long c = defs.constant(d.arg(1));
      int masked = 0;
      if (c == null) {
        c = defs.constant(d.arg(0));
        masked = 1;
      }
      if (c == null || (bits & ~c) != 0) {
        return v;
      }
      v = d.arg(masked);
    }
  }

  /** The bits of operand {@code i} that {@code inst} observes when {@code r} of its result are. */
  private static long demand(Instruction inst, int i, long r, Definitions defs) {
    return switch (inst.opcode()) {
      case STORE -> i == 0 ? stored(inst.memType()) : ALL;
      case IADD, ISUB, IMUL, INEG -> upTo(r);
      case BAND -> {
        Long c = defs.constant(inst.arg(1 - i));
        yield c == null ? r : r & c;
      }
      case BOR, BXOR, BNOT -> r;
      case SELECT -> i == 0 ? ALL : r;
      default -> ALL;
    };
  }

  /** The bits a store of {@code type} writes. */
  private static long stored(MemType type) {
    return switch (type) {
      case I8, U8 -> 0xFFL;
      case I16, U16 -> 0xFFFFL;
      case I32, U32 -> 0xFFFF_FFFFL;
      default -> ALL;
    };
  }

  /** Every bit up to the highest of {@code r}: what an add or multiply of them depends on. */
  private static long upTo(long r) {
    return r == 0 ? 0 : ALL >>> Long.numberOfLeadingZeros(r);
  }
}
