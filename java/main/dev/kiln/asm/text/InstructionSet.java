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
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
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
      return n == 2 && binary(x, y, (d, r) -> a.alu(alu, d, r), (d, m) -> a.alu(alu, d, m),
          (m, r) -> a.alu(alu, m, r), (d, v) -> a.alu(alu, d, v), (m, v) -> a.alu(alu, m, v));
    }
    UnaryOp unary = enumOf(UnaryOp.class, mn);
    if (unary != null && n == 1) {
      return unary(x, r -> a.unary(unary, r), m -> a.unary(unary, m));
    }
    ShiftOp shift = shiftOp(mn);
    if (shift != null) {
      return n == 2 && shift(a, shift, x, y);
    }
    SseOp sse = enumOf(SseOp.class, mn);
    if (sse != null) {
      return n == 2 && xmm(x, y, (d, r) -> a.sse(sse, d, r), (d, m) -> a.sse(sse, d, m),
          (m, r) -> a.sse(sse, m, r));
    }
    if (cond(mn) != null) {
      return conditional(a, mn, n, x, y);
    }
    switch (mn) {
      case "mov": return n == 2 && binary(x, y, a::mov, a::mov, a::mov, a::mov, a::mov);
      case "movabs": return n == 2 && binary(x, y, null, null, null, a::movabs, null);
      case "test": return n == 2 && binary(x, y, a::test, (d, m) -> a.test(m, d), a::test, a::test, a::test);
      case "xchg": return n == 2 && binary(x, y, a::xchg, a::xchg, a::xchg, null, null);
      case "imul": return imul(a, n, x, y, z);
      case "movzx": return n == 2 && binary(x, y, a::movzx, a::movzx, null, null, null);
      case "movsx": return n == 2 && binary(x, y, a::movsx, a::movsx, null, null, null);
      case "movsxd": return n == 2 && binary(x, y, a::movsxd, a::movsxd, null, null, null);
      case "lea": return n == 2 && binary(x, y, null, a::lea, null, null, null);
      case "push": return n == 1 && (x instanceof Imm i ? run(() -> a.push(i.value())) : unary(x, a::push, a::push));
      case "pop": return n == 1 && unary(x, a::pop, a::pop);
      case "jmp": return n == 1 && (x instanceof Label l ? run(() -> a.jmp(l)) : unary(x, a::jmp, a::jmp));
      case "call": return n == 1 && (x instanceof Label l ? run(() -> a.call(l)) : unary(x, a::call, a::call));
      case "ret": return n == 0 ? run(a::ret) : n == 1 && x instanceof Imm i && run(() -> a.ret((int) i.value()));
      case "cqo": return n == 0 && run(a::cqo);
      case "cdq": return n == 0 && run(a::cdq);
      case "leave": return n == 0 && run(a::leave);
      case "nop": return n == 0 && run(a::nop);
      case "int3": return n == 0 && run(a::int3);
      case "ud2": return n == 0 && run(a::ud2);
      case "movq": return n == 2 && (x instanceof Reg d && y instanceof Xmm s ? run(() -> a.movq(d, s))
          : y instanceof Reg r && x instanceof Xmm d ? run(() -> a.movq(d, r))
          : xmm(x, y, a::movq, a::movq, a::movq));
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

  /**
   * The general-register two-operand forms; a null handler means the instruction lacks that form.
   * Returns whether a form matched the operand kinds.
   */
  private static boolean binary(Operand x, Operand y, BiConsumer<Reg, Reg> rr,
      BiConsumer<Reg, Mem> rm, BiConsumer<Mem, Reg> mr, ObjLongConsumer<Reg> ri,
      ObjLongConsumer<Mem> mi) {
    if (x instanceof Reg d) {
      return y instanceof Reg s ? accept(rr, d, s)
          : y instanceof Mem m ? accept(rm, d, m)
          : y instanceof Imm i && ri != null && run(() -> ri.accept(d, i.value()));
    }
    return x instanceof Mem d && (y instanceof Reg s ? accept(mr, d, s)
        : y instanceof Imm i && mi != null && run(() -> mi.accept(d, i.value())));
  }

  /** The xmm/xmm, xmm/m and m/xmm forms of an SSE instruction. */
  private static boolean xmm(Operand x, Operand y, BiConsumer<Xmm, Xmm> xx,
      BiConsumer<Xmm, Mem> xm, BiConsumer<Mem, Xmm> mx) {
    if (x instanceof Xmm d) {
      return y instanceof Xmm s ? accept(xx, d, s) : y instanceof Mem m && accept(xm, d, m);
    }
    return x instanceof Mem d && y instanceof Xmm s && accept(mx, d, s);
  }

  private static <A, B> boolean accept(BiConsumer<A, B> form, A a, B b) {
    if (form == null) {
      return false;
    }
    form.accept(a, b);
    return true;
  }

  /** A register or memory operand. */
  private static boolean unary(Operand x, Consumer<Reg> r, Consumer<Mem> m) {
    if (x instanceof Reg reg) {
      r.accept(reg);
      return true;
    }
    if (x instanceof Mem mem) {
      m.accept(mem);
      return true;
    }
    return false;
  }

  private static boolean imul(Assembler a, int n, Operand x, Operand y, Operand z) {
    if (n == 1) {
      return unary(x, a::imul, a::imul);
    }
    if (n == 2) {
      return binary(x, y, a::imul, a::imul, null, a::imul, null);
    }
    return n == 3 && x instanceof Reg d && z instanceof Imm i
        && binary(d, y, (r, s) -> a.imul(r, s, i.value()), (r, m) -> a.imul(r, m, i.value()),
            null, null, null);
  }

  private static boolean shift(Assembler a, ShiftOp op, Operand x, Operand y) {
    if (y instanceof Imm i) {
      int count = (int) i.value();
      return i.value() == count
          && unary(x, r -> a.shift(op, r, count), m -> a.shift(op, m, count));
    }
    return y instanceof Reg cl && unary(x, r -> a.shift(op, r, cl), m -> a.shift(op, m, cl));
  }

  /** jcc, setcc and cmovcc: the condition is the mnemonic's suffix. */
  private static boolean conditional(Assembler a, String mn, int n, Operand x, Operand y) {
    Cond c = cond(mn);
    if (mn.startsWith("j")) {
      return n == 1 && x instanceof Label l && run(() -> a.jcc(c, l));
    }
    if (mn.startsWith("set")) {
      return n == 1 && unary(x, r -> a.setcc(c, r), m -> a.setcc(c, m));
    }
    return n == 2 && binary(x, y, (d, r) -> a.cmov(c, d, r), (d, m) -> a.cmov(c, d, m), null,
        null, null);
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
