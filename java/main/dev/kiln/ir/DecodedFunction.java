package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function pre-decoded once for the {@link Interpreter}: a flat {@code int[]} of operations whose
 * operands are frame slots (the value's {@link Value#id()}), constants in a {@code long[]}, floats
 * as raw bits. The layout of each operation is given at its constant.
 */
final class DecodedFunction {
  // The constants are literals so that the interpreter can switch on them; the ranges of ICMP,
  // FCMP, LOAD and STORE have room for every IntCond, FloatCond and MemType (the static check
  // below keeps them honest).
  // Binary: op, dst, a, b. Division and remainder add the position: op, dst, a, b, pos.
  static final int IADD = 0, ISUB = 1, IMUL = 2, BAND = 3, BOR = 4, BXOR = 5, ISHL = 6, SSHR = 7,
      USHR = 8, SDIV = 9, SREM = 10, UDIV = 11, UREM = 12, FADD = 13, FSUB = 14, FMUL = 15,
      FDIV = 16;
  // Unary: op, dst, a (BITCAST is a copy of the bits).
  static final int INEG = 17, BNOT = 18, FNEG = 19, FABS = 20, FSQRT = 21, FCVT_FROM_SINT = 22,
      FCVT_TO_SINT_SAT = 23, COPY = 24;
  /** op, dst, constant index. */
  static final int CONST = 25;
  /** op + IntCond ordinal, dst, a, b. */
  static final int ICMP = 26;
  /** op + FloatCond ordinal, dst, a, b. */
  static final int FCMP = 36;
  /** op, dst, c, a, b. */
  static final int SELECT = 42;
  /** op + MemType ordinal, dst, memory, base, index (-1: none), scale, offset, pos. */
  static final int LOAD = 43;
  /** op + MemType ordinal, value, memory, base, index (-1: none), scale, offset, pos. */
  static final int STORE = 51;
  /** op, code constant index, pos. */
  static final int TRAP = 59;
  /** op, a, code constant index, pos. */
  static final int TRAPNZ = 60, TRAPZ = 61;
  /** op, index, length, pos. */
  static final int BOUNDS_CHECK = 62;
  /** op, dst (-1: none), function index, pos, n, args.... */
  static final int CALL = 63;
  /** op, dst (-1: none), import index, pos, n, args.... */
  static final int CALL_JAVA = 64;
  /** op, import index, pos. */
  static final int CALL_C = 65;
  /** op, dst, function index. */
  static final int FUNC_REF = 66;
  /** op, dst (-1: none), signature index, callee, pos, n, args.... */
  static final int CALL_INDIRECT = 67;
  /** op, pos, edge; an edge is: target pc, poll (1 on a back edge), n, args..., params.... */
  static final int JUMP = 68;
  /** op, c, pos, then edge, else edge. */
  static final int BRIF = 69;
  /** op, value (-1: none). */
  static final int RETURN = 70;
  /** Binary, as above: op, dst, a, b. */
  static final int SMULHI = 71, UMULHI = 72;
  /** op, levels, pos. */
  static final int DEPTH_ENTER = 73;
  /** op, levels (a slot). */
  static final int DEPTH_LEAVE = 74;

  static {
    if (FCMP - ICMP != IntCond.values().length || SELECT - FCMP != FloatCond.values().length
        || STORE - LOAD != MemType.values().length || TRAP - STORE != MemType.values().length) {
      throw new AssertionError("operation ranges out of date");
    }
  }

  final Function function;
  final String name;
  final int frameSize;
  final int levels;
  final int[] paramSlots;
  final int[] code;
  final long[] constants;

  private DecodedFunction(Function function, int[] code, long[] constants) {
    this.function = function;
    this.name = function.name();
    this.frameSize = Math.max(1, function.valueCount());
    this.levels = function.levels();
    this.paramSlots = function.entry().params.stream().mapToInt(Value::id).toArray();
    this.code = code;
    this.constants = constants;
  }

  /**
   * Decodes a verified function.
   *
   * @param signatures the table {@code call_indirect}'s expected signatures are added to
   */
  static DecodedFunction decode(Function f, List<Signature> signatures) {
    return new Encoder(f, signatures).encode();
  }

  private static final class Encoder {
    private final Function f;
    private final List<Signature> signatures;
    private final Module module;
    private int[] code = new int[64];
    private int size;
    private final List<Long> constants = new ArrayList<>();
    private final int[] blockPc;
    private final int[] layoutIndex;
    /** Code indexes holding a block id to replace by the block's pc. */
    private final List<Integer> fixups = new ArrayList<>();

    Encoder(Function f, List<Signature> signatures) {
      this.f = f;
      this.signatures = signatures;
      this.module = f.module();
      this.blockPc = new int[f.blockCount()];
      this.layoutIndex = new int[f.blockCount()];
    }

    DecodedFunction encode() {
      for (int b = 0; b < f.blocks.size(); b++) {
        layoutIndex[f.blocks.get(b).id()] = b;
      }
      for (Block block : f.blocks) {
        blockPc[block.id()] = size;
        for (Instruction inst : block.instructions) {
          instruction(block, inst);
        }
      }
      for (int at : fixups) {
        code[at] = blockPc[code[at]];
      }
      long[] k = new long[constants.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = constants.get(i);
      }
      return new DecodedFunction(f, Arrays.copyOf(code, size), k);
    }

    private void instruction(Block block, Instruction inst) {
      Opcode op = inst.opcode();
      int dst = inst.result() == null ? -1 : inst.result().id();
      int pos = inst.position();
      switch (op) {
        case ICONST, FCONST -> emit(CONST, dst, constant(inst.immediate()));
        case IADD -> binary(IADD, inst);
        case ISUB -> binary(ISUB, inst);
        case IMUL -> binary(IMUL, inst);
        case SMULHI -> binary(SMULHI, inst);
        case UMULHI -> binary(UMULHI, inst);
        case BAND -> binary(BAND, inst);
        case BOR -> binary(BOR, inst);
        case BXOR -> binary(BXOR, inst);
        case ISHL -> binary(ISHL, inst);
        case SSHR -> binary(SSHR, inst);
        case USHR -> binary(USHR, inst);
        case SDIV -> binaryAt(SDIV, inst);
        case SREM -> binaryAt(SREM, inst);
        case UDIV -> binaryAt(UDIV, inst);
        case UREM -> binaryAt(UREM, inst);
        case FADD -> binary(FADD, inst);
        case FSUB -> binary(FSUB, inst);
        case FMUL -> binary(FMUL, inst);
        case FDIV -> binary(FDIV, inst);
        case INEG -> unary(INEG, inst);
        case BNOT -> unary(BNOT, inst);
        case FNEG -> unary(FNEG, inst);
        case FABS -> unary(FABS, inst);
        case FSQRT -> unary(FSQRT, inst);
        case FCVT_FROM_SINT -> unary(FCVT_FROM_SINT, inst);
        case FCVT_TO_SINT_SAT -> unary(FCVT_TO_SINT_SAT, inst);
        case BITCAST -> unary(COPY, inst);
        case ICMP -> emit(ICMP + inst.intCond().ordinal(), dst, slot(inst, 0), slot(inst, 1));
        case FCMP -> emit(FCMP + inst.floatCond().ordinal(), dst, slot(inst, 0), slot(inst, 1));
        case SELECT -> emit(SELECT, dst, slot(inst, 0), slot(inst, 1), slot(inst, 2));
        case LOAD, STORE -> {
          Address a = inst.address();
          emit(op == Opcode.LOAD ? LOAD + inst.memType().ordinal()
                  : STORE + inst.memType().ordinal(),
              op == Opcode.LOAD ? dst : slot(inst, 0), inst.memory().index(), a.base().id(),
              a.index() == null ? -1 : a.index().id(), a.scale(), a.offset(), pos);
        }
        case TRAP -> emit(TRAP, constant(inst.immediate()), pos);
        case TRAPNZ, TRAPZ -> emit(op == Opcode.TRAPNZ ? TRAPNZ : TRAPZ, slot(inst, 0),
            constant(inst.immediate()), pos);
        case BOUNDS_CHECK -> emit(BOUNDS_CHECK, slot(inst, 0), slot(inst, 1), pos);
        case CALL -> call(inst, dst, pos);
        case FUNC_REF -> emit(FUNC_REF, dst, ((Function) inst.callee()).index());
        case CALL_INDIRECT -> {
          int sig = signatures.indexOf(inst.signature());
          if (sig < 0) {
            sig = signatures.size();
            signatures.add(inst.signature());
          }
          emit(CALL_INDIRECT, dst, sig, slot(inst, 0), pos, inst.argCount() - 1);
          for (int i = 1; i < inst.argCount(); i++) {
            emit(slot(inst, i));
          }
        }
        case JUMP -> {
          emit(JUMP, pos);
          edge(block, inst.targets[0]);
        }
        case BRIF -> {
          emit(BRIF, slot(inst, 0), pos);
          edge(block, inst.targets[0]);
          edge(block, inst.targets[1]);
        }
        case DEPTH_ENTER -> emit(DEPTH_ENTER, (int) inst.immediate(), pos);
        case DEPTH_LEAVE -> emit(DEPTH_LEAVE, slot(inst, 0));
        case RETURN -> emit(RETURN, inst.argCount() == 0 ? -1 : slot(inst, 0));
        default -> throw new AssertionError(op);
      }
    }

    private void call(Instruction inst, int dst, int pos) {
      Callee callee = inst.callee();
      if (callee instanceof Function target) {
        emit(CALL, dst, target.index(), pos);
      } else if (callee instanceof JavaFunction) {
        emit(CALL_JAVA, dst, module.imports().indexOf(callee), pos);
      } else {
        emit(CALL_C, module.imports().indexOf(callee), pos);
        return;
      }
      emit(inst.argCount());
      for (int i = 0; i < inst.argCount(); i++) {
        emit(slot(inst, i));
      }
    }

    private void edge(Block source, BlockCall call) {
      Block target = call.target();
      fixups.add(size);
      boolean back = layoutIndex[target.id()] <= layoutIndex[source.id()];
      emit(target.id(), back ? 1 : 0, call.args.size());
      for (Value v : call.args) {
        emit(v.id());
      }
      for (Value p : target.params) {
        emit(p.id());
      }
    }

    private void binary(int op, Instruction inst) {
      emit(op, inst.result().id(), slot(inst, 0), slot(inst, 1));
    }

    private void binaryAt(int op, Instruction inst) {
      emit(op, inst.result().id(), slot(inst, 0), slot(inst, 1), inst.position());
    }

    private void unary(int op, Instruction inst) {
      emit(op, inst.result().id(), slot(inst, 0));
    }

    private static int slot(Instruction inst, int i) {
      return inst.arg(i).id();
    }

    private int constant(long value) {
      constants.add(value);
      return constants.size() - 1;
    }

    private void emit(int... words) {
      if (size + words.length > code.length) {
        code = Arrays.copyOf(code, Math.max(code.length * 2, size + words.length));
      }
      System.arraycopy(words, 0, code, size, words.length);
      size += words.length;
    }
  }
}
