package dev.kiln.ir;

import java.util.List;

/**
 * Writes IR in its text form, which {@link IrParser} reads back. {@link #print} is canonical:
 * blocks and values are named in layout order, so printing a parsed module gives the same text
 * however the original numbered them.
 */
public final class IrPrinter {
  private static final long CANONICAL_NAN = 0x7ff8000000000000L;

  private IrPrinter() {}

  /** How values and blocks are named when printed. */
  interface Names {
    /** By their own {@link Value#number()} and {@link Block#number()}. */
    Names AS_NUMBERED = new Names() {
      @Override
      public int value(Value v) {
        return v.number();
      }

      @Override
      public int block(Block b) {
        return b.number();
      }
    };

    int value(Value v);

    int block(Block b);

    /** In layout order: the canonical names. */
    static Names canonical(Function f) {
      int[] values = new int[f.valueCount()];
      int[] blocks = new int[f.blockCount()];
      int next = 0;
      for (int b = 0; b < f.blocks.size(); b++) {
        Block block = f.blocks.get(b);
        blocks[block.id()] = b;
        for (Value p : block.params) {
          values[p.id()] = next++;
        }
        for (Instruction inst : block.instructions) {
          if (inst.result() != null) {
            values[inst.result().id()] = next++;
          }
        }
      }
      return new Names() {
        @Override
        public int value(Value v) {
          return values[v.id()];
        }

        @Override
        public int block(Block bl) {
          return blocks[bl.id()];
        }
      };
    }
  }

  /**
   * The whole module in canonical text form.
   *
   * @param module the module
   * @return its text, which {@link IrParser#parse} reads back
   */
  public static String print(Module module) {
    StringBuilder out = new StringBuilder();
    for (Memory m : module.memories()) {
      out.append("memory ").append(m).append(' ').append(m.size()).append('\n');
    }
    for (Callee c : module.imports()) {
      out.append(c instanceof CFunction ? "import c @" : "import @").append(c.name())
          .append(c.signature()).append('\n');
    }
    for (Function f : module.functions()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      function(out, f, Names.canonical(f));
    }
    return out.toString();
  }

  /**
   * One function in canonical text form.
   *
   * @param function the function
   * @return its text
   */
  public static String print(Function function) {
    StringBuilder out = new StringBuilder();
    function(out, function, Names.canonical(function));
    return out.toString();
  }

  private static void function(StringBuilder out, Function f, Names names) {
    out.append("function @").append(f.name()).append(f.signature());
    if (f.levels() != 1) {
      out.append(" levels ").append(f.levels());
    }
    position(out, f.position());
    out.append(" {\n");
    for (Block b : f.blocks) {
      out.append(blockHeader(b, names)).append('\n');
      for (Instruction inst : b.instructions) {
        out.append("    ");
        instruction(out, inst, names);
        out.append('\n');
      }
    }
    out.append("}\n");
  }

  /** {@code block1(v2: i64, v3: f64):}. */
  static String blockHeader(Block b, Names names) {
    StringBuilder out = new StringBuilder("block").append(names.block(b));
    if (!b.params.isEmpty()) {
      out.append('(');
      for (int i = 0; i < b.params.size(); i++) {
        Value p = b.params.get(i);
        out.append(i == 0 ? "" : ", ").append('v').append(names.value(p)).append(": ")
            .append(p.type());
      }
      out.append(')');
    }
    return out.append(':').toString();
  }

  static String instruction(Instruction inst, Names names) {
    StringBuilder out = new StringBuilder();
    instruction(out, inst, names);
    return out.toString();
  }

  private static void instruction(StringBuilder out, Instruction inst, Names names) {
    if (inst.result() != null) {
      value(out, inst.result(), names).append(" = ");
    }
    Opcode op = inst.opcode();
    out.append(op.mnemonic());
    switch (op.format()) {
      case CONST -> {
        out.append(' ');
        if (op == Opcode.ICONST) {
          out.append(inst.immediate());
        } else {
          out.append(floatLiteral(inst.immediate()));
        }
      }
      case UNARY, BINARY, SELECT, TRAP_IF, BOUNDS_CHECK -> {
        out.append(' ');
        values(out, inst.args, 0, inst.args.length, names);
        if (op.format() == Opcode.Format.TRAP_IF) {
          out.append(", ").append(inst.immediate());
        }
      }
      case COMPARE -> {
        out.append(' ').append(op == Opcode.ICMP ? inst.intCond() : inst.floatCond()).append(' ');
        values(out, inst.args, 0, 2, names);
      }
      case BITCAST -> value(out.append('.').append(inst.bitcastType()).append(' '), inst.arg(0),
          names);
      case LOAD -> address(out.append('.').append(inst.memType()).append(' '), inst, names);
      case STORE -> {
        value(out.append('.').append(inst.memType()).append(' '), inst.arg(0), names);
        address(out.append(", "), inst, names);
      }

      case TRAP -> out.append(' ').append(inst.immediate());
      case CALL -> {
        out.append(" @").append(inst.callee().name()).append('(');
        values(out, inst.args, 0, inst.args.length, names);
        out.append(')');
      }
      case FUNC_REF -> out.append(" @").append(inst.callee().name());
      case CALL_INDIRECT -> {
        out.append(' ').append(inst.signature()).append(", ");
        value(out, inst.arg(0), names).append('(');
        values(out, inst.args, 1, inst.args.length, names);
        out.append(')');
      }
      case DEPTH_ENTER -> out.append(' ').append(inst.immediate());
      case DEPTH_LEAVE -> value(out.append(' '), inst.arg(0), names);
      case JUMP -> blockCall(out.append(' '), inst.targets[0], names);
      case BRIF -> {
        value(out.append(' '), inst.arg(0), names);
        blockCall(out.append(", "), inst.targets[0], names);
        blockCall(out.append(", "), inst.targets[1], names);
      }
      case RETURN -> {
        if (inst.args.length > 0) {
          value(out.append(' '), inst.arg(0), names);
        }
      }
      default -> throw new AssertionError(op);
    }
    position(out, inst.position());
  }

  private static void position(StringBuilder out, int position) {
    if (position != Instruction.NO_POSITION) {
      out.append(" @").append(position);
    }
  }

  /** {@code $mem [v1 + v2*8 - 16]}, from the raw fields: a malformed address still prints. */
  private static void address(StringBuilder out, Instruction inst, Names names) {
    int first = inst.opcode() == Opcode.STORE ? 1 : 0;
    out.append(inst.memory()).append(" [");
    if (inst.argCount() > first) {
      value(out, inst.arg(first), names);
    }
    if (inst.argCount() > first + 1) {
      value(out.append(" + "), inst.arg(first + 1), names);
      if (inst.scale() != 1) {
        out.append('*').append(inst.scale());
      }
    }
    long offset = inst.immediate();
    if (offset != 0) {
      out.append(offset < 0 ? " - " : " + ").append(Long.toUnsignedString(Math.abs(offset)));
    }
    out.append(']');
    if (inst.inBounds()) {
      out.append(" inbounds");
    }
    if (inst.invariant()) {
      out.append(" invariant");
    }
  }

  private static void blockCall(StringBuilder out, BlockCall call, Names names) {
    out.append("block").append(names.block(call.target()));
    List<Value> args = call.args;
    if (!args.isEmpty()) {
      out.append('(');
      values(out, args.toArray(new Value[0]), 0, args.size(), names);
      out.append(')');
    }
  }

  private static void values(StringBuilder out, Value[] values, int from, int to, Names names) {
    for (int i = from; i < to; i++) {
      value(out.append(i == from ? "" : ", "), values[i], names);
    }
  }

  private static StringBuilder value(StringBuilder out, Value v, Names names) {
    return out.append('v').append(names.value(v));
  }

  /**
   * An f64 constant as the parser reads it back to the same bits: Java's shortest round-trip
   * decimal, {@code inf}/{@code -inf}, {@code nan} for the canonical quiet NaN, or {@code bits 0x..}.
   */
  static String floatLiteral(long bits) {
    double d = Double.longBitsToDouble(bits);
    if (Double.isNaN(d)) {
      return bits == CANONICAL_NAN ? "nan" : "bits 0x" + Long.toHexString(bits);
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return Double.toString(d);
  }
}
