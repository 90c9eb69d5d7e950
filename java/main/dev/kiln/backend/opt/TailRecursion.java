package dev.kiln.backend.opt;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Tail-recursion elimination, also with an accumulator: a self-call whose result is returned
 * ({@code return f(x')}) or combined once with a value computed before it by an associative,
 * commutative integer operation ({@code return f(x') OP e}, OP one of {@code iadd imul band bor
 * bxor}, all wrapping) becomes a jump back to the function's start, with the operand folded into an
 * accumulator that every return applies: {@code acc OP (e OP f(x')) == (acc OP e) OP f(x')}.
 * Float operations are not associative and stay calls, as do sites of a second accumulating
 * operation.
 *
 * <p>The call-depth limit is kept exactly: each jump takes the frame's levels with
 * {@code depth_enter} at the call's position (trapping there as the call would), a loop parameter
 * counts the levels taken, and every return gives them back with {@code depth_leave}.
 */
public final class TailRecursion implements Pass {
  @Override
  public String name() {
    return "tail-recursion";
  }

  /** A tail self-call: the call, the accumulating operation after it (or null) and its operand. */
  private record Site(Block block, int call, Opcode op, Value operand) {}

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.CALL) || sites(f).isEmpty()) {
      return;
    }
    Block start = f.splitEntry();
    List<Site> sites = sites(f);
    Opcode op = accumulation(sites);
    Value acc = op == null ? null : start.addParam(Type.I64);
    Value taken = start.addParam(Type.I64);
    Block entry = f.entry();
    List<Value> initial = new ArrayList<>(entry.params());
    if (op != null) {
      initial.add(constant(entry, f, identity(op)));
    }
    initial.add(constant(entry, f, 0));
    entry.set(entry.instructions().size() - 1,
        Instruction.jump(start, initial, Instruction.NO_POSITION));
    for (Site s : sites) {
      if (loops(s, op)) {
        loopBack(f, s, start, acc, taken);
      }
    }
    for (Block b : f.blocks()) {
      Instruction t = b.terminator();
      if (t != null && t.opcode() == Opcode.RETURN) {
        giveBack(f, b, t, op, acc, taken);
      }
    }
  }

  /**
   * Whether this pass leaves {@code f} no call of itself: then it runs as a loop, which inlining
   * it into itself would undo.
   */
  static boolean loopsEverySelfCall(Function f) {
    List<Site> sites = sites(f);
    Opcode op = accumulation(sites);
    int looped = 0;
    for (Site s : sites) {
      looped += loops(s, op) ? 1 : 0;
    }
    int selfCalls = 0;
    for (Block b : f.blocks()) {
      for (Instruction inst : b.instructions()) {
        selfCalls += isSelfCall(f, inst) ? 1 : 0;
      }
    }
    return looped == selfCalls;
  }

  /** The accumulating operation: the first site's that has one (or null: none has). */
  private static Opcode accumulation(List<Site> sites) {
    for (Site s : sites) {
      if (s.op() != null) {
        return s.op();
      }
    }
    return null;
  }

  /** Whether a site becomes a jump: with no operation, or the accumulating one. */
  private static boolean loops(Site s, Opcode op) {
    return s.op() == null || s.op() == op;
  }

  /** Turns a site's call, operation and return into a jump to the start. */
  private static void loopBack(Function f, Site s, Block start, Value acc, Value taken) {
    Block b = s.block();
    Instruction call = b.instructions().get(s.call());
    List<Value> args = new ArrayList<>(call.args());
    while (b.instructions().size() - 1 > s.call()) {
      b.remove(s.call()); // the call and the operation; the return becomes the jump below
    }
    b.insertBeforeTerminator(Instruction.depthEnter(f.levels(), call.position()));
    if (acc != null) {
      Value next = acc;
      if (s.op() != null) {
        Instruction combine = f.newArithmetic(s.op(), Instruction.NO_POSITION, acc, s.operand());
        b.insertBeforeTerminator(combine);
        next = combine.result();
      }
      args.add(next);
    }
    Instruction levels = f.newConstant(Type.I64, f.levels());
    b.insertBeforeTerminator(levels);
    Instruction sum = f.newArithmetic(Opcode.IADD, Instruction.NO_POSITION, taken, levels.result());
    b.insertBeforeTerminator(sum);
    args.add(sum.result());
    b.set(b.instructions().size() - 1, Instruction.jump(start, args, f.position()));
  }

  /** Makes a return apply the accumulator to its value and give back the levels taken. */
  private static void giveBack(Function f, Block b, Instruction ret, Opcode op, Value acc,
      Value taken) {
    Value result = ret.argCount() == 0 ? null : ret.arg(0);
    if (op != null) {
      Instruction combine = f.newArithmetic(op, Instruction.NO_POSITION, acc, result);
      b.insertBeforeTerminator(combine);
      result = combine.result();
    }
    b.insertBeforeTerminator(Instruction.depthLeave(taken));
    b.set(b.instructions().size() - 1, Instruction.ret(result, ret.position()));
  }

  private static Value constant(Block b, Function f, long value) {
    Instruction c = f.newConstant(Type.I64, value);
    b.insertBeforeTerminator(c);
    return c.result();
  }

  private static long identity(Opcode op) {
    return switch (op) {
      case IMUL -> 1;
      case BAND -> -1;
      default -> 0;
    };
  }

  /** The tail self-calls of {@code f}, each ending a block whose return follows it. */
  private static List<Site> sites(Function f) {
    List<Site> sites = new ArrayList<>();
    for (Block b : f.blocks()) {
      List<Instruction> code = b.instructions();
      int n = code.size();
      Instruction ret = code.get(n - 1);
      if (ret.opcode() != Opcode.RETURN || n < 2) {
        continue;
      }
      Value returned = ret.argCount() == 0 ? null : ret.arg(0);
      if (isSelfCall(f, code.get(n - 2)) && code.get(n - 2).result() == returned) {
        sites.add(new Site(b, n - 2, null, null));
      } else if (n >= 3 && returned != null && isSelfCall(f, code.get(n - 3))
          && accumulates(code.get(n - 2), returned, code.get(n - 3).result())) {
        Instruction combine = code.get(n - 2);
        Value other = combine.arg(0) == code.get(n - 3).result() ? combine.arg(1) : combine.arg(0);
        sites.add(new Site(b, n - 3, combine.opcode(), other));
      }
    }
    return sites;
  }

  private static boolean isSelfCall(Function f, Instruction inst) {
    return inst.opcode() == Opcode.CALL && inst.callee() == f;
  }

  /** Whether {@code inst} is {@code returned = OP call, e} or {@code OP e, call}, e not the call. */
  private static boolean accumulates(Instruction inst, Value returned, Value call) {
    boolean associative = switch (inst.opcode()) {
      case IADD, IMUL, BAND, BOR, BXOR -> true;
      default -> false;
    };
    return associative && inst.result() == returned && call != null
        && (inst.arg(0) == call) != (inst.arg(1) == call);
  }
}
