package dev.kiln.bytecode;

import java.util.stream.Collectors;

/**
 * The readable listing of {@code kiln run --dump=bytecode}: per function a header with its frame
 * size, then one instruction per line with its offset, slots as {@code rN}, constants by value,
 * branch targets as offsets and source positions as {@code line:col}.
 */
public final class Disassembler {
  private Disassembler() {}

  public static String listing(Program program) {
    StringBuilder out = new StringBuilder();
    for (int f = 0; f < program.functions().size(); f++) {
      FunctionInfo fn = program.function(f);
      String params =
          fn.params().stream().map(ValueKind::toString).collect(Collectors.joining(", "));
      out.append(String.format("fn #%d %s(%s) -> %s    ; frame %d slots%n",
          f, fn.name(), params, fn.result(), fn.frameSize()));
      int pc = fn.entry();
      while (pc < fn.end()) {
        out.append(instruction(program, pc)).append('\n');
        pc += Op.length(program.code()[pc]);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** One instruction at {@code pc}, e.g. {@code 0012  ADD_I_IMM   r3, r3, #1}. */
  public static String instruction(Program program, int pc) {
    int[] code = program.code();
    int op = code[pc];
    String shape = Op.shape(op);
    StringBuilder line = new StringBuilder(String.format("  %04d  %-11s", pc, Op.name(op)));
    for (int i = 0; i < shape.length(); i++) {
      line.append(i == 0 ? " " : ", ");
      line.append(operand(program, shape.charAt(i), code[pc + 1 + i]));
    }
    return line.toString().stripTrailing();
  }

  private static String operand(Program program, char kind, int v) {
    switch (kind) {
      case 'd':
      case 's':
        return v < 0 ? "_" : "r" + v;
      case 'i':
        return "#" + v;
      case 'k':
        long bits = program.constant(v);
        return "k" + v + "(" + bits + " | " + Double.longBitsToDouble(bits) + ")";
      case 'c':
        return quote(program.strings().get(v));
      case 't':
        return "@" + String.format("%04d", v);
      case 'f':
        return program.function(v).name();
      case 'p':
        return "@" + program.line(v) + ":" + program.column(v);
      case 'n':
        return v == 1 ? "nl" : "sp";
      default:
        throw new AssertionError(kind);
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
        .replace("\"", "\\\"") + '"';
  }
}
