package dev.kiln.asm.text;

import dev.kiln.asm.AluOp;
import dev.kiln.asm.AsmException;
import dev.kiln.asm.Assembler;
import dev.kiln.asm.Cond;
import dev.kiln.asm.Imm;
import dev.kiln.asm.Label;
import dev.kiln.asm.Mem;
import dev.kiln.asm.Operand;
import dev.kiln.asm.Reg;
import dev.kiln.asm.ShiftOp;
import dev.kiln.asm.SseOp;
import dev.kiln.asm.UnaryOp;
import dev.kiln.asm.Xmm;
import java.util.List;
import java.util.Locale;

/**
 * Maps a mnemonic and a list of operands (as parsed from text) onto the typed {@link Assembler}
 * methods, choosing the overload by operand kinds. Anything without a matching form is an
 * {@link AsmException} naming the instruction and its operands.
 */
final class InstructionSet {
  private InstructionSet() {}

  static void emit(Assembler a, String mn, List<Operand> ops) {
    int n = ops.size();
    Operand x = n > 0 ? ops.get(0) : null;
    Operand y = n > 1 ? ops.get(1) : null;
    Operand z = n > 2 ? ops.get(2) : null;
    if (!dispatch(a, mn, n, x, y, z)) {
      StringBuilder sb = new StringBuilder(mn);
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? " " : ", ").append(ops.get(i));
      }
      throw new AsmException(sb + ": " + (known(mn) ? "no such operand combination"
          : "unknown instruction"));
    }
  }

  private static boolean known(String mn) {
    return enumOf(AluOp.class, mn) != null || enumOf(UnaryOp.class, mn) != null
        || shiftOp(mn) != null || enumOf(SseOp.class, mn) != null || cond(mn) != null
        || List.of("mov", "movabs", "test", "xchg", "movzx", "movsx", "movsxd", "lea", "push",
            "pop", "jmp", "call", "ret", "cqo", "cdq", "leave", "nop", "int3", "ud2", "movq",
            "cvtsi2sd", "cvttsd2si").contains(mn);
  }

  private static boolean dispatch(Assembler a, String mn, int n, Operand x, Operand y,
      Operand z) {
    AluOp alu = enumOf(AluOp.class, mn);
    if (alu != null) {
      return n == 2 && alu(a, alu, x, y);
    }
    UnaryOp unary = enumOf(UnaryOp.class, mn);
    if (unary != null && n == 1) {
      return unary(a, unary, x);
    }
    ShiftOp shift = shiftOp(mn);
    if (shift != null) {
      return n == 2 && shift(a, shift, x, y);
    }
    SseOp sse = enumOf(SseOp.class, mn);
    if (sse != null) {
      return n == 2 && sse(a, sse, x, y);
    }
    if (cond(mn) != null) {
      return conditional(a, mn, n, x, y);
    }
    switch (mn) {
      case "mov": return n == 2 && mov(a, x, y);
      case "movabs": return n == 2 && x instanceof Reg r && y instanceof Imm i && run(() -> a.movabs(r, i.value()));
      case "test": return n == 2 && test(a, x, y);
      case "xchg": return n == 2 && xchg(a, x, y);
      case "imul": return imul(a, n, x, y, z);
      case "movzx": return n == 2 && x instanceof Reg d && (y instanceof Reg s ? run(() -> a.movzx(d, s)) : y instanceof Mem m && run(() -> a.movzx(d, m)));
      case "movsx": return n == 2 && x instanceof Reg d && (y instanceof Reg s ? run(() -> a.movsx(d, s)) : y instanceof Mem m && run(() -> a.movsx(d, m)));
      case "movsxd": return n == 2 && x instanceof Reg d && (y instanceof Reg s ? run(() -> a.movsxd(d, s)) : y instanceof Mem m && run(() -> a.movsxd(d, m)));
      case "lea": return n == 2 && x instanceof Reg d && y instanceof Mem m && run(() -> a.lea(d, m));
      case "push": return n == 1 && (x instanceof Reg r ? run(() -> a.push(r)) : x instanceof Mem m ? run(() -> a.push(m)) : x instanceof Imm i && run(() -> a.push(i.value())));
      case "pop": return n == 1 && (x instanceof Reg r ? run(() -> a.pop(r)) : x instanceof Mem m && run(() -> a.pop(m)));
      case "jmp": return n == 1 && (x instanceof Label l ? run(() -> a.jmp(l)) : x instanceof Reg r ? run(() -> a.jmp(r)) : x instanceof Mem m && run(() -> a.jmp(m)));
      case "call": return n == 1 && (x instanceof Label l ? run(() -> a.call(l)) : x instanceof Reg r ? run(() -> a.call(r)) : x instanceof Mem m && run(() -> a.call(m)));
      case "ret": return n == 0 ? run(a::ret) : n == 1 && x instanceof Imm i && run(() -> a.ret((int) i.value()));
      case "cqo": return n == 0 && run(a::cqo);
      case "cdq": return n == 0 && run(a::cdq);
      case "leave": return n == 0 && run(a::leave);
      case "nop": return n == 0 && run(a::nop);
      case "int3": return n == 0 && run(a::int3);
      case "ud2": return n == 0 && run(a::ud2);
      case "movq": return n == 2 && movq(a, x, y);
      case "cvtsi2sd": return n == 2 && x instanceof Xmm d && (y instanceof Reg s ? run(() -> a.cvtsi2sd(d, s)) : y instanceof Mem m && run(() -> a.cvtsi2sd(d, m)));
      case "cvttsd2si": return n == 2 && x instanceof Reg d && (y instanceof Xmm s ? run(() -> a.cvttsd2si(d, s)) : y instanceof Mem m && run(() -> a.cvttsd2si(d, m)));
      default: return false;
    }
  }

  /** Runs an emission and reports that a form matched (keeps the dispatch table one line each). */
  private static boolean run(Runnable r) {
    r.run();
    return true;
  }

  private static boolean alu(Assembler a, AluOp op, Operand x, Operand y) {
    if (x instanceof Reg d) {
      return y instanceof Reg s ? run(() -> a.alu(op, d, s))
          : y instanceof Mem m ? run(() -> a.alu(op, d, m))
          : y instanceof Imm i && run(() -> a.alu(op, d, i.value()));
    }
    return x instanceof Mem d && (y instanceof Reg s ? run(() -> a.alu(op, d, s))
        : y instanceof Imm i && run(() -> a.alu(op, d, i.value())));
  }

  private static boolean mov(Assembler a, Operand x, Operand y) {
    if (x instanceof Reg d) {
      return y instanceof Reg s ? run(() -> a.mov(d, s))
          : y instanceof Mem m ? run(() -> a.mov(d, m))
          : y instanceof Imm i && run(() -> a.mov(d, i.value()));
    }
    return x instanceof Mem d && (y instanceof Reg s ? run(() -> a.mov(d, s))
        : y instanceof Imm i && run(() -> a.mov(d, i.value())));
  }

  private static boolean test(Assembler a, Operand x, Operand y) {
    if (x instanceof Reg d) {
      return y instanceof Reg s ? run(() -> a.test(d, s))
          : y instanceof Mem m ? run(() -> a.test(m, d))
          : y instanceof Imm i && run(() -> a.test(d, i.value()));
    }
    return x instanceof Mem d && (y instanceof Reg s ? run(() -> a.test(d, s))
        : y instanceof Imm i && run(() -> a.test(d, i.value())));
  }

  private static boolean xchg(Assembler a, Operand x, Operand y) {
    if (x instanceof Reg d) {
      return y instanceof Reg s ? run(() -> a.xchg(d, s)) : y instanceof Mem m && run(() -> a.xchg(d, m));
    }
    return x instanceof Mem d && y instanceof Reg s && run(() -> a.xchg(d, s));
  }

  private static boolean unary(Assembler a, UnaryOp op, Operand x) {
    return x instanceof Reg r ? run(() -> a.unary(op, r)) : x instanceof Mem m && run(() -> a.unary(op, m));
  }

  private static boolean imul(Assembler a, int n, Operand x, Operand y, Operand z) {
    if (n == 1) {
      return unary(a, UnaryOp.IMUL, x);
    }
    if (!(x instanceof Reg d)) {
      return false;
    }
    if (n == 2) {
      return y instanceof Reg s ? run(() -> a.imul(d, s))
          : y instanceof Mem m ? run(() -> a.imul(d, m))
          : y instanceof Imm i && run(() -> a.imul(d, i.value()));
    }
    return n == 3 && z instanceof Imm i && (y instanceof Reg s ? run(() -> a.imul(d, s, i.value()))
        : y instanceof Mem m && run(() -> a.imul(d, m, i.value())));
  }

  private static boolean shift(Assembler a, ShiftOp op, Operand x, Operand y) {
    if (y instanceof Imm i) {
      if (i.value() != (int) i.value()) {
        return false;
      }
      int count = (int) i.value();
      return x instanceof Reg r ? run(() -> a.shift(op, r, count)) : x instanceof Mem m && run(() -> a.shift(op, m, count));
    }
    return y instanceof Reg cl && (x instanceof Reg r ? run(() -> a.shift(op, r, cl)) : x instanceof Mem m && run(() -> a.shift(op, m, cl)));
  }

  private static boolean sse(Assembler a, SseOp op, Operand x, Operand y) {
    if (x instanceof Xmm d) {
      return y instanceof Xmm s ? run(() -> a.sse(op, d, s)) : y instanceof Mem m && run(() -> a.sse(op, d, m));
    }
    return x instanceof Mem d && y instanceof Xmm s && run(() -> a.sse(op, d, s));
  }

  private static boolean movq(Assembler a, Operand x, Operand y) {
    if (x instanceof Xmm d) {
      return y instanceof Xmm s ? run(() -> a.movq(d, s))
          : y instanceof Reg r ? run(() -> a.movq(d, r))
          : y instanceof Mem m && run(() -> a.movq(d, m));
    }
    if (x instanceof Reg d) {
      return y instanceof Xmm s && run(() -> a.movq(d, s));
    }
    return x instanceof Mem d && y instanceof Xmm s && run(() -> a.movq(d, s));
  }

  /** jcc, setcc and cmovcc: the condition is the mnemonic's suffix. */
  private static boolean conditional(Assembler a, String mn, int n, Operand x, Operand y) {
    Cond c = cond(mn);
    if (mn.startsWith("j")) {
      return n == 1 && x instanceof Label l && run(() -> a.jcc(c, l));
    }
    if (mn.startsWith("set")) {
      return n == 1 && (x instanceof Reg r ? run(() -> a.setcc(c, r)) : x instanceof Mem m && run(() -> a.setcc(c, m)));
    }
    return n == 2 && x instanceof Reg d && (y instanceof Reg s ? run(() -> a.cmov(c, d, s)) : y instanceof Mem m && run(() -> a.cmov(c, d, m)));
  }

  private static Cond cond(String mn) {
    for (String prefix : new String[] {"cmov", "set", "j"}) {
      if (mn.startsWith(prefix) && !mn.equals("jmp")) {
        Cond c = Cond.fromSuffix(mn.substring(prefix.length()));
        if (c != null) {
          return c;
        }
      }
    }
    return null;
  }

  private static ShiftOp shiftOp(String mn) {
    return mn.equals("sal") ? ShiftOp.SHL : enumOf(ShiftOp.class, mn);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String mn) {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(mn)) {
        return e;
      }
    }
    return null;
  }
}
