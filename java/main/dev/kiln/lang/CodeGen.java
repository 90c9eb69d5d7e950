package dev.kiln.lang;

import dev.kiln.bytecode.CodeBuilder;
import dev.kiln.bytecode.Label;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.lang.ast.Expr;
import dev.kiln.lang.ast.FnDecl;
import dev.kiln.lang.ast.Local;
import dev.kiln.lang.ast.Stmt;
import dev.kiln.lang.ast.Type;
import dev.kiln.source.Source;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates checked functions to register bytecode. Slots are allocated like a stack: the
 * parameters first, then each local when declared (freed at the end of its block), temporaries
 * above the locals (freed at the end of the expression or statement). A variable is read straight
 * from its slot, an expression is computed directly into the slot that wants it, and conditions
 * compile to fused compare-and-branch instructions, so {@code i = i + 1} is one
 * {@code ADD_I_IMM} and {@code while i < n} one {@code J_LT_I}.
 */
final class CodeGen {
  private final Source source;
  private final CodeBuilder out = new CodeBuilder();
  /** Per enclosing loop: {break target, continue target}. */
  private final Deque<Label[]> loops = new ArrayDeque<>();
  /** Float constant bits to the slot that holds them for the whole current function. */
  private final Map<Long, Integer> floatSlots = new HashMap<>();
  /** Int constants loaded at entry into slots of their own (value to slot), see function(). */
  private final Map<Long, Integer> intSlots = new HashMap<>();
  /** Int literals the current function has had to load into a slot inside a loop. */
  private final Set<Long> loopIntLiterals = new LinkedHashSet<>();
  /** Loops (bodies and conditions) around the code being generated. */
  private int loopDepth;
  private int top;
  private int frameSize;
  /** The slot of the current function's heap mark (see {@link #generate}), or -1. */
  private int heapMark;
  /**
   * Each source offset's position-table index + 1, 0 until asked for: the table gets one entry
   * per offset (an offset is one line and column), however often its construct asks.
   */
  private final int[] positions;

  CodeGen(Source source) {
    this.source = source;
    this.positions = new int[source.text().length() + 1];
  }

  Program generate(List<FnDecl> functions, int main) {
    for (int f = 0; f < functions.size(); f++) {
      function(functions.get(f), f == main);
    }
    return out.build(main);
  }

  /**
   * Constants are loaded once at entry into slots of their own, so loops read them like
   * variables instead of reloading them on every iteration: all float constants, and the int
   * literals that a loop needs in a slot (most int literals fold into immediate operands). Which
   * those are is known only once the function is generated, so a function that has any is
   * generated a second time with them loaded at entry.
   */
  private void function(FnDecl fn, boolean main) {
    out.beginFunction();
    int entry = out.pc();
    intSlots.clear();
    loopIntLiterals.clear();
    // The arrays a call makes are garbage once it returns, unless it returns one of them (Kiln
    // has no globals and no arrays of arrays): the heap reuses their memory after the call.
    // Nothing runs after main.
    boolean freesArrays = fn.makesArrays && !fn.result.isArray() && !main;
    List<ValueKind> params = generate(fn, freesArrays, List.of());
    if (!loopIntLiterals.isEmpty()) {
      out.rewind(entry);
      params = generate(fn, freesArrays, List.copyOf(loopIntLiterals));
    }
    out.endFunction(fn.name, frameSize, params, kind(fn.result));
  }

  /**
   * Generates {@code fn}'s code, loading {@code hoisted} int constants at entry; with
   * {@code freesArrays}, it takes a heap mark at entry and frees back to it before each return.
   */
  private List<ValueKind> generate(FnDecl fn, boolean freesArrays, List<Long> hoisted) {
    top = 0;
    frameSize = 0;
    List<ValueKind> params = new ArrayList<>();
    for (Local p : fn.locals) {
      p.slot = temp();
      params.add(kind(p.type));
    }
    heapMark = -1;
    if (freesArrays) {
      heapMark = temp();
      out.emit(Op.HEAP_MARK, heapMark);
    }
    floatSlots.clear();
    for (long bits : fn.floatConstants) {
      int slot = temp();
      out.emit(Op.CONST_K, slot, out.constant(bits));
      floatSlots.put(bits, slot);
    }
    for (long value : hoisted) {
      int slot = temp();
      out.emit(Op.CONST_I, slot, (int) value);
      intSlots.put(value, slot);
    }
    for (Stmt s : fn.body.stmts) {
      statement(s);
    }
    if (fn.result == Type.VOID) {
      out.mark(pos(fn.body.end));
      ret(-1);
    }
    return params;
  }

  /** Returns slot {@code value} (-1: nothing), releasing the call's arrays first if it may. */
  private void ret(int value) {
    if (heapMark >= 0) {
      out.emit(Op.HEAP_FREE, heapMark);
    }
    if (value < 0) {
      out.emit(Op.RET_VOID);
    } else {
      out.emit(Op.RET, value);
    }
  }

  private static ValueKind kind(Type t) {
    switch (t) {
      case INT: return ValueKind.INT;
      case FLOAT: return ValueKind.FLOAT;
      case BOOL: return ValueKind.BOOL;
      case VOID: return ValueKind.VOID;
      default: return ValueKind.ARRAY;
    }
  }

  private int pos(int offset) {
    if (positions[offset] == 0) {
      int line = source.line(offset);
      positions[offset] = out.position(line, source.column(offset, line)) + 1;
    }
    return positions[offset] - 1;
  }

  private int temp() {
    int slot = top++;
    frameSize = Math.max(frameSize, top);
    return slot;
  }

  // ---- statements ----------------------------------------------------------------------------

  private void statement(Stmt s) {
    out.mark(pos(s.pos));
    int saved = top;
    if (s instanceof Stmt.Let) {
      Stmt.Let let = (Stmt.Let) s;
      int slot = temp();
      into(let.init, slot);
      let.local.slot = slot;
      top = slot + 1; // the local stays allocated until the end of its block
      return;
    } else if (s instanceof Stmt.Assign) {
      assign((Stmt.Assign) s);
    } else if (s instanceof Stmt.If) {
      ifStatement((Stmt.If) s);
    } else if (s instanceof Stmt.While) {
      whileLoop((Stmt.While) s);
    } else if (s instanceof Stmt.For) {
      forLoop((Stmt.For) s);
    } else if (s instanceof Stmt.Break) {
      out.emitBranch(Op.JMP, loops.peek()[0]);
    } else if (s instanceof Stmt.Continue) {
      out.emitBranch(Op.JMP, loops.peek()[1]);
    } else if (s instanceof Stmt.Return) {
      Expr value = ((Stmt.Return) s).value;
      ret(value == null ? -1 : value(value));
    } else if (s instanceof Stmt.Block) {
      for (Stmt inner : ((Stmt.Block) s).stmts) {
        statement(inner);
      }
    } else {
      Expr.Call call = (Expr.Call) ((Stmt.ExprStmt) s).expr;
      call(call, call.type == Type.VOID ? -1 : temp());
    }
    top = saved;
  }

  private void assign(Stmt.Assign a) {
    if (a.target instanceof Expr.Var) {
      int slot = ((Expr.Var) a.target).local.slot;
      if (a.op == null) {
        into(a.value, slot);
      } else {
        binary(a.op, a.target.type, a.target, a.value, slot, a.opPos);
      }
      return;
    }
    Expr.Index target = (Expr.Index) a.target;
    int array = value(target.array);
    int index = value(target.index);
    int v;
    if (a.op == null) {
      v = value(a.value);
    } else {
      v = temp();
      out.emit(Op.ALOAD, v, array, index, pos(target.pos));
      int rhs = value(a.value);
      arithmetic(a.op, target.type, v, v, rhs, a.opPos);
    }
    out.emit(Op.ASTORE, array, index, v, pos(target.pos));
  }

  private void ifStatement(Stmt.If s) {
    Label otherwise = new Label();
    branch(s.cond, false, otherwise);
    statement(s.then);
    if (s.otherwise == null) {
      out.bind(otherwise);
      return;
    }
    Label end = new Label();
    out.emitBranch(Op.JMP, end);
    out.bind(otherwise);
    statement(s.otherwise);
    out.bind(end);
  }

  /** Condition at the bottom, so each iteration runs one (fused) branch. */
  private void whileLoop(Stmt.While w) {
    Label body = new Label();
    Label cond = new Label();
    Label end = new Label();
    out.emitBranch(Op.JMP, cond);
    out.bind(body);
    loopDepth++;
    loops.push(new Label[] {end, cond});
    statement(w.body);
    loops.pop();
    out.bind(cond);
    out.mark(pos(w.cond.pos));
    branch(w.cond, true, body);
    loopDepth--;
    out.bind(end);
  }

  /**
   * A hidden counter runs from lo to hi (both evaluated once); the loop variable is the counter
   * itself unless the body assigns to it, in which case it is a copy made at each iteration.
   */
  private void forLoop(Stmt.For f) {
    int counter = temp();
    into(f.lo, counter);
    Integer limitImm = imm32(f.hi);
    int limit = -1;
    if (limitImm == null) {
      if (f.hi instanceof Expr.Var && !((Expr.Var) f.hi).local.assigned) {
        limit = ((Expr.Var) f.hi).local.slot; // never changes, so reading it each time is the same
      } else {
        limit = temp();
        into(f.hi, limit);
      }
    }
    f.local.slot = f.local.assigned ? temp() : counter;
    Label body = new Label();
    Label next = new Label();
    Label end = new Label();
    // Entry test, then the body, then one fused increment-and-branch per iteration.
    if (limitImm != null) {
      out.emitBranch(Op.J_GE_I_IMM, end, counter, limitImm);
    } else {
      out.emitBranch(Op.J_GE_I, end, counter, limit);
    }
    out.bind(body);
    if (f.local.slot != counter) {
      out.emit(Op.MOV, f.local.slot, counter);
    }
    loopDepth++;
    loops.push(new Label[] {end, next});
    statement(f.body);
    loops.pop();
    loopDepth--;
    out.bind(next);
    out.mark(pos(f.pos));
    if (limitImm != null) {
      out.emitBranch(Op.FOR_I_IMM, body, counter, limitImm);
    } else {
      out.emitBranch(Op.FOR_I, body, counter, limit);
    }
    out.bind(end);
  }

  // ---- conditions ----------------------------------------------------------------------------

  /** Jumps to {@code target} when {@code e} evaluates to {@code when}; falls through otherwise. */
  private void branch(Expr e, boolean when, Label target) {
    if (e instanceof Expr.BoolLit) {
      if (((Expr.BoolLit) e).value == when) {
        out.emitBranch(Op.JMP, target);
      }
      return;
    }
    if (e instanceof Expr.Unary && ((Expr.Unary) e).op == TokenKind.BANG) {
      branch(((Expr.Unary) e).operand, !when, target);
      return;
    }
    if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      boolean and = b.op == TokenKind.AND_AND;
      if (and || b.op == TokenKind.OR_OR) {
        // "a && b" jumps on false as soon as a is false; "a || b" jumps on true as soon as a is.
        if (when != and) {
          branch(b.left, when, target);
          branch(b.right, when, target);
        } else {
          Label skip = new Label();
          branch(b.left, !when, skip);
          branch(b.right, when, target);
          out.bind(skip);
        }
        return;
      }
      if (b.left.type == Type.FLOAT && isComparison(b.op)) {
        floatCompareAndBranch(b.op, when, b.left, b.right, target);
        return;
      }
      if (isComparison(b.op)) {
        compareAndBranch(when ? b.op : negate(b.op), b.left, b.right, target);
        return;
      }
    }
    int saved = top;
    out.emitBranch(when ? Op.JT : Op.JF, target, value(e));
    top = saved;
  }

  private void compareAndBranch(TokenKind op, Expr left, Expr right, Label target) {
    int saved = top;
    Integer rightImm = imm32(right);
    Integer leftImm = imm32(left);
    if (rightImm != null) {
      out.emitBranch(jumpOp(op) - Op.J_EQ_I + Op.J_EQ_I_IMM, target, value(left), rightImm);
    } else if (leftImm != null) {
      out.emitBranch(jumpOp(mirror(op)) - Op.J_EQ_I + Op.J_EQ_I_IMM, target, value(right), leftImm);
    } else {
      int a = value(left);
      out.emitBranch(jumpOp(op), target, a, value(right));
    }
    top = saved;
  }

  /**
   * Float comparisons cannot be negated by flipping the operator (NaN makes both {@code a < b}
   * and {@code a >= b} false), so "jump when false" uses the negated forms {@code J_NLT_F} and
   * {@code J_NLE_F}; {@code >} and {@code >=} swap the operands, which is exact for NaN.
   */
  private void floatCompareAndBranch(TokenKind op, boolean when, Expr left, Expr right, Label target) {
    int saved = top;
    int a = value(left);
    int b = value(right);
    if (op == TokenKind.GT || op == TokenKind.GE) {
      int t = a;
      a = b;
      b = t;
      op = op == TokenKind.GT ? TokenKind.LT : TokenKind.LE;
    }
    int jump;
    switch (op) {
      case EQ: jump = when ? Op.J_EQ_F : Op.J_NE_F; break;
      case NE: jump = when ? Op.J_NE_F : Op.J_EQ_F; break;
      case LT: jump = when ? Op.J_LT_F : Op.J_NLT_F; break;
      default: jump = when ? Op.J_LE_F : Op.J_NLE_F;
    }
    out.emitBranch(jump, target, a, b);
    top = saved;
  }

  private static boolean isComparison(TokenKind op) {
    switch (op) {
      case EQ: case NE: case LT: case LE: case GT: case GE: return true;
      default: return false;
    }
  }

  /** The comparison true exactly when {@code op} is false (exact for ints, not for NaN). */
  private static TokenKind negate(TokenKind op) {
    switch (op) {
      case EQ: return TokenKind.NE;
      case NE: return TokenKind.EQ;
      case LT: return TokenKind.GE;
      case LE: return TokenKind.GT;
      case GT: return TokenKind.LE;
      default: return TokenKind.LT;
    }
  }

  /** The comparison with its operands swapped: {@code a < b} is {@code b > a}. */
  private static TokenKind mirror(TokenKind op) {
    switch (op) {
      case LT: return TokenKind.GT;
      case LE: return TokenKind.GE;
      case GT: return TokenKind.LT;
      case GE: return TokenKind.LE;
      default: return op;
    }
  }

  private static int jumpOp(TokenKind op) {
    switch (op) {
      case EQ: return Op.J_EQ_I;
      case NE: return Op.J_NE_I;
      case LT: return Op.J_LT_I;
      case LE: return Op.J_LE_I;
      case GT: return Op.J_GT_I;
      default: return Op.J_GE_I;
    }
  }

  /** The value of an int literal that fits a 32-bit immediate, else null. */
  private static Integer imm32(Expr e) {
    if (e instanceof Expr.IntLit) {
      long v = ((Expr.IntLit) e).value;
      if (v == (int) v) {
        return (int) v;
      }
    }
    return null;
  }

  // ---- expressions ---------------------------------------------------------------------------

  /** The slot holding {@code e}'s value: a variable's own slot, or a fresh temporary. */
  private int value(Expr e) {
    if (e instanceof Expr.Var) {
      return ((Expr.Var) e).local.slot;
    }
    if (e instanceof Expr.FloatLit) {
      return floatSlot((Expr.FloatLit) e);
    }
    if (e instanceof Expr.IntLit && imm32(e) != null) {
      Integer hoisted = intSlots.get(((Expr.IntLit) e).value);
      if (hoisted != null) {
        return hoisted;
      }
      if (loopDepth > 0) {
        loopIntLiterals.add(((Expr.IntLit) e).value);
      }
    }
    int slot = temp();
    into(e, slot);
    return slot;
  }

  /**
   * Computes {@code e} into slot {@code d}. Every form writes {@code d} only after reading all
   * its operands, so {@code d} may be a variable the expression reads ({@code x = x * 2 + y}).
   * Temporaries used on the way are freed again.
   */
  private void into(Expr e, int d) {
    int saved = top;
    if (e instanceof Expr.IntLit) {
      long v = ((Expr.IntLit) e).value;
      if (v == (int) v) {
        out.emit(Op.CONST_I, d, (int) v);
      } else {
        out.emit(Op.CONST_K, d, out.constant(v));
      }
    } else if (e instanceof Expr.FloatLit) {
      out.emit(Op.MOV, d, floatSlot((Expr.FloatLit) e));
    } else if (e instanceof Expr.BoolLit) {
      out.emit(Op.CONST_I, d, ((Expr.BoolLit) e).value ? 1 : 0);
    } else if (e instanceof Expr.Var) {
      int slot = ((Expr.Var) e).local.slot;
      if (slot != d) {
        out.emit(Op.MOV, d, slot);
      }
    } else if (e instanceof Expr.Unary) {
      unary((Expr.Unary) e, d);
    } else if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      if (b.op == TokenKind.AND_AND || b.op == TokenKind.OR_OR) {
        materialize(b, d);
      } else {
        binary(b.op, b.left.type, b.left, b.right, d, b.pos);
      }
    } else if (e instanceof Expr.Call) {
      call((Expr.Call) e, d);
    } else if (e instanceof Expr.Index) {
      Expr.Index ix = (Expr.Index) e;
      int array = value(ix.array);
      out.emit(Op.ALOAD, d, array, value(ix.index), pos(ix.pos));
    } else {
      Expr.NewArray n = (Expr.NewArray) e;
      out.emit(Op.NEW_ARRAY, d, value(n.size), pos(n.pos));
    }
    top = saved;
  }

  private int floatSlot(Expr.FloatLit f) {
    return floatSlots.get(Double.doubleToRawLongBits(f.value));
  }

  private void unary(Expr.Unary u, int d) {
    int s = value(u.operand);
    switch (u.op) {
      case MINUS:
        out.emit(u.type == Type.FLOAT ? Op.NEG_F : Op.NEG_I, d, s);
        break;
      case BANG:
        out.emit(Op.NOT_B, d, s);
        break;
      default:
        out.emit(Op.NOT_I, d, s);
    }
  }

  /** A short-circuit {@code &&}/{@code ||} as a value: branches, then 0 or 1 into {@code d}. */
  private void materialize(Expr e, int d) {
    Label isFalse = new Label();
    Label end = new Label();
    branch(e, false, isFalse);
    out.emit(Op.CONST_I, d, 1);
    out.emitBranch(Op.JMP, end);
    out.bind(isFalse);
    out.emit(Op.CONST_I, d, 0);
    out.bind(end);
  }

  /** {@code d = left op right} where both operands have type {@code type}. */
  private void binary(TokenKind op, Type type, Expr left, Expr right, int d, int opPos) {
    Integer imm = type == Type.INT ? imm32(right) : null;
    if (imm != null && op == TokenKind.MINUS && imm != Integer.MIN_VALUE) {
      out.emit(Op.ADD_I_IMM, d, value(left), -imm);
    } else if (imm != null && immediateOp(op, imm) >= 0) {
      out.emit(immediateOp(op, imm), d, value(left), imm);
    } else {
      int a = value(left);
      arithmetic(op, type, d, a, value(right), opPos);
    }
  }

  /** The {@code _IMM} form of int operator {@code op} with right operand {@code imm}, or -1. */
  private static int immediateOp(TokenKind op, int imm) {
    switch (op) {
      case PLUS: return Op.ADD_I_IMM;
      case STAR: return Op.MUL_I_IMM;
      // Division by a constant 0 keeps the checked form, which reports the error at run time.
      case SLASH: return imm == 0 ? -1 : Op.DIV_I_IMM;
      case PERCENT: return imm == 0 ? -1 : Op.REM_I_IMM;
      case AMP: return Op.AND_I_IMM;
      case PIPE: return Op.OR_I_IMM;
      case CARET: return Op.XOR_I_IMM;
      case SHL: return Op.SHL_I_IMM;
      case SHR: return Op.SHR_I_IMM;
      case USHR: return Op.USHR_I_IMM;
      default: return -1;
    }
  }

  /** Emits the typed instruction for {@code d = a op b} on slots. */
  private void arithmetic(TokenKind op, Type type, int d, int a, int b, int opPos) {
    boolean f = type == Type.FLOAT;
    switch (op) {
      case PLUS: out.emit(f ? Op.ADD_F : Op.ADD_I, d, a, b); break;
      case MINUS: out.emit(f ? Op.SUB_F : Op.SUB_I, d, a, b); break;
      case STAR: out.emit(f ? Op.MUL_F : Op.MUL_I, d, a, b); break;
      case SLASH:
        if (f) {
          out.emit(Op.DIV_F, d, a, b);
        } else {
          out.emit(Op.DIV_I, d, a, b, pos(opPos));
        }
        break;
      case PERCENT: out.emit(Op.REM_I, d, a, b, pos(opPos)); break;
      case AMP: out.emit(Op.AND_I, d, a, b); break;
      case PIPE: out.emit(Op.OR_I, d, a, b); break;
      case CARET: out.emit(Op.XOR_I, d, a, b); break;
      case SHL: out.emit(Op.SHL_I, d, a, b); break;
      case SHR: out.emit(Op.SHR_I, d, a, b); break;
      case USHR: out.emit(Op.USHR_I, d, a, b); break;
      case EQ: out.emit(f ? Op.EQ_F : Op.EQ_I, d, a, b); break;
      case NE: out.emit(f ? Op.NE_F : Op.NE_I, d, a, b); break;
      case LT: out.emit(f ? Op.LT_F : Op.LT_I, d, a, b); break;
      case LE: out.emit(f ? Op.LE_F : Op.LE_I, d, a, b); break;
      // a > b is b < a, also for NaN (both false).
      case GT: out.emit(f ? Op.LT_F : Op.LT_I, d, b, a); break;
      case GE: out.emit(f ? Op.LE_F : Op.LE_I, d, b, a); break;
      default: throw new AssertionError(op);
    }
  }

  /** A call into slot {@code d} (-1: the result, if any, is not wanted). */
  private void call(Expr.Call c, int d) {
    switch (c.name) {
      case "print":
        print(c.args);
        return;
      case "len":
        out.emit(Op.LEN, d, value(c.args.get(0)));
        return;
      case "assert":
        out.emit(Op.ASSERT, value(c.args.get(0)), pos(c.pos));
        return;
      case "int":
        out.emit(Op.F2I, d, value(c.args.get(0)));
        return;
      case "float":
        out.emit(Op.I2F, d, value(c.args.get(0)));
        return;
      default:
        // Arguments go to consecutive slots at the top of the frame: the callee's parameters.
        int first = top;
        for (Expr arg : c.args) {
          into(arg, temp());
        }
        out.emit(Op.CALL, d, c.function, first, pos(c.pos));
    }
  }

  /** All arguments are evaluated, left to right, before anything is written. */
  private void print(List<Expr> args) {
    int[] slots = new int[args.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = args.get(i).type == Type.STRING ? -1 : value(args.get(i));
    }
    for (int i = 0; i < slots.length; i++) {
      Expr arg = args.get(i);
      int last = i == slots.length - 1 ? 1 : 0;
      switch (arg.type) {
        case STRING:
          out.emit(Op.PRINT_S, out.string(((Expr.StringLit) arg).value), last);
          break;
        case INT:
          out.emit(Op.PRINT_I, slots[i], last);
          break;
        case FLOAT:
          out.emit(Op.PRINT_F, slots[i], last);
          break;
        default:
          out.emit(Op.PRINT_B, slots[i], last);
      }
    }
  }
}
