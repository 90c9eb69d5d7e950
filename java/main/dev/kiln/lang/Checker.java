package dev.kiln.lang;

import dev.kiln.lang.ast.Expr;
import dev.kiln.lang.ast.FnDecl;
import dev.kiln.lang.ast.Local;
import dev.kiln.lang.ast.Stmt;
import dev.kiln.lang.ast.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Name resolution and type checking in one walk: binds every variable use to its {@link Local},
 * every call to its function, sets every expression's type, and reports every rule of the language
 * (docs/language.md) that a program breaks. An operand whose type is already {@link Type#ERROR} is
 * not reported again, so one mistake gives one message.
 */
final class Checker {
  private static final Set<String> BUILTINS = Set.of("print", "len", "assert", "int", "float");

  private final Reporter reporter;
  private final Map<String, Integer> functionIndex = new HashMap<>();
  private List<FnDecl> functions;
  private final Deque<Map<String, Local>> scopes = new ArrayDeque<>();
  /** One entry per enclosing loop: whether a {@code break} leaves it. */
  private final Deque<boolean[]> loops = new ArrayDeque<>();
  private FnDecl current;

  Checker(Reporter reporter) {
    this.reporter = reporter;
  }

  /** Checks the program; returns the index of {@code main}, or -1 when it is missing. */
  int check(List<FnDecl> program) {
    this.functions = program;
    for (int i = 0; i < program.size(); i++) {
      FnDecl fn = program.get(i);
      if (BUILTINS.contains(fn.name)) {
        reporter.error(fn.pos, "'" + fn.name + "' is a built-in function and cannot be redefined");
      } else if (functionIndex.putIfAbsent(fn.name, i) != null) {
        reporter.error(fn.pos, "function '" + fn.name + "' is already defined");
      }
    }
    Integer main = functionIndex.get("main");
    if (main == null) {
      reporter.error(0, "no 'main' function: a program starts at fn main()");
    } else {
      FnDecl fn = program.get(main);
      if (!fn.params.isEmpty() || fn.result != Type.VOID) {
        reporter.error(fn.pos, "'main' must take no parameters and return nothing");
      }
    }
    for (FnDecl fn : program) {
      function(fn);
    }
    return main == null ? -1 : main;
  }

  private void function(FnDecl fn) {
    current = fn;
    Map<String, Local> scope = new HashMap<>();
    List<Local> params = new ArrayList<>();
    for (FnDecl.Param p : fn.params) {
      Local local = new Local(p.name(), p.type());
      if (scope.putIfAbsent(p.name(), local) != null) {
        reporter.error(p.pos(), "parameter '" + p.name() + "' is already declared");
      }
      params.add(local);
    }
    fn.locals = params;
    // The parameters are locals of the body's own block.
    scopes.push(scope);
    boolean returns = statements(fn.body.stmts);
    scopes.pop();
    if (fn.result != Type.VOID && !returns) {
      reporter.error(fn.body.end,
          "missing return: function '" + fn.name + "' must return " + fn.result + " on every path");
    }
  }

  /** Checks statements in the current scope; true when control cannot run past their end. */
  private boolean statements(List<Stmt> stmts) {
    boolean terminates = false;
    for (Stmt s : stmts) {
      terminates |= statement(s);
    }
    return terminates;
  }

  private boolean statement(Stmt s) {
    if (s instanceof Stmt.Let) {
      let((Stmt.Let) s);
      return false;
    } else if (s instanceof Stmt.Assign) {
      assign((Stmt.Assign) s);
      return false;
    } else if (s instanceof Stmt.If) {
      Stmt.If i = (Stmt.If) s;
      condition(i.cond);
      boolean then = block(i.then);
      boolean otherwise = i.otherwise != null && statement(i.otherwise);
      return then && otherwise;
    } else if (s instanceof Stmt.While) {
      Stmt.While w = (Stmt.While) s;
      condition(w.cond);
      boolean[] broken = loopBody(w.body);
      // Like Go: an endless loop that nothing breaks out of never falls through.
      return w.cond instanceof Expr.BoolLit && ((Expr.BoolLit) w.cond).value && !broken[0];
    } else if (s instanceof Stmt.For) {
      forLoop((Stmt.For) s);
      return false;
    } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
      if (loops.isEmpty()) {
        String word = s instanceof Stmt.Break ? "break" : "continue";
        reporter.error(s.pos, "'" + word + "' outside of a loop");
      } else if (s instanceof Stmt.Break) {
        loops.peek()[0] = true;
      }
      return true;
    } else if (s instanceof Stmt.Return) {
      returnStatement((Stmt.Return) s);
      return true;
    } else if (s instanceof Stmt.Block) {
      return block((Stmt.Block) s);
    } else {
      expr(((Stmt.ExprStmt) s).expr);
      return false;
    }
  }

  private boolean block(Stmt.Block b) {
    scopes.push(new HashMap<>());
    boolean terminates = statements(b.stmts);
    scopes.pop();
    return terminates;
  }

  private boolean[] loopBody(Stmt.Block body) {
    boolean[] broken = {false};
    loops.push(broken);
    block(body);
    loops.pop();
    return broken;
  }

  private void let(Stmt.Let let) {
    Type t = value(let.init);
    if (let.declared != null) {
      expect(let.declared, let.init);
      t = let.declared;
    }
    let.local = new Local(let.name, t);
    declare(let.namePos, let.local);
  }

  private void declare(int pos, Local local) {
    if (scopes.peek().putIfAbsent(local.name, local) != null) {
      reporter.error(pos, "variable '" + local.name + "' is already declared in this block");
    }
  }

  private void assign(Stmt.Assign a) {
    Type target;
    if (a.target instanceof Expr.Var) {
      target = expr(a.target);
      Local local = ((Expr.Var) a.target).local;
      if (local != null) {
        local.assigned = true;
      }
    } else {
      target = expr(a.target);
    }
    if (a.op == null) {
      Type t = value(a.value);
      mismatch(target, t, a.value.pos);
    } else {
      Type result = binaryType(a.op, a.opPos, target, a.value);
      mismatch(target, result, a.value.pos);
    }
  }

  private void forLoop(Stmt.For f) {
    expect(Type.INT, f.lo);
    expect(Type.INT, f.hi);
    scopes.push(new HashMap<>());
    f.local = new Local(f.name, Type.INT);
    declare(f.pos, f.local);
    loopBody(f.body);
    scopes.pop();
  }

  private void returnStatement(Stmt.Return r) {
    if (r.value == null) {
      if (current.result != Type.VOID) {
        reporter.error(r.pos, "missing return value: function '" + current.name + "' returns "
            + current.result);
      }
    } else if (current.result == Type.VOID) {
      value(r.value);
      reporter.error(r.value.pos, "function '" + current.name + "' returns nothing, but a value is returned");
    } else {
      expect(current.result, r.value);
    }
  }

  private void condition(Expr cond) {
    expect(Type.BOOL, cond);
  }

  /** Checks that {@code e} is a value of type {@code want}. */
  private void expect(Type want, Expr e) {
    mismatch(want, value(e), e.pos);
  }

  private void mismatch(Type want, Type found, int pos) {
    if (want != found && want != Type.ERROR && found != Type.ERROR) {
      reporter.error(pos, "type mismatch: expected " + want + ", found " + found);
    }
  }

  /** The type of {@code e} used as a value: not a string literal and not a call of nothing. */
  private Type value(Expr e) {
    Type t = expr(e);
    if (t == Type.VOID) {
      return noValue(e);
    }
    if (t == Type.STRING) {
      reporter.error(e.pos, "a string literal can only be an argument of print");
      return e.type = Type.ERROR;
    }
    return t;
  }

  private Type noValue(Expr e) {
    reporter.error(e.pos, "'" + ((Expr.Call) e).name + "' returns nothing; its call has no value");
    return e.type = Type.ERROR;
  }

  private Type expr(Expr e) {
    e.type = typeOf(e);
    return e.type;
  }

  private Type typeOf(Expr e) {
    if (e instanceof Expr.IntLit) {
      return Type.INT;
    } else if (e instanceof Expr.FloatLit) {
      current.floatConstants.add(Double.doubleToRawLongBits(((Expr.FloatLit) e).value));
      return Type.FLOAT;
    } else if (e instanceof Expr.BoolLit) {
      return Type.BOOL;
    } else if (e instanceof Expr.StringLit) {
      return Type.STRING;
    } else if (e instanceof Expr.Var) {
      return variable((Expr.Var) e);
    } else if (e instanceof Expr.Unary) {
      return unary((Expr.Unary) e);
    } else if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      return binaryType(b.op, b.pos, value(b.left), b.right);
    } else if (e instanceof Expr.Call) {
      return call((Expr.Call) e);
    } else if (e instanceof Expr.Index) {
      Expr.Index ix = (Expr.Index) e;
      Type array = value(ix.array);
      expect(Type.INT, ix.index);
      if (array == Type.ERROR) {
        return Type.ERROR;
      }
      if (!array.isArray()) {
        reporter.error(ix.pos, "cannot index a value of type " + array);
        return Type.ERROR;
      }
      return array.element();
    } else {
      Expr.NewArray n = (Expr.NewArray) e;
      expect(Type.INT, n.size);
      current.makesArrays = true;
      return n.arrayType;
    }
  }

  private Type variable(Expr.Var v) {
    for (Map<String, Local> scope : scopes) {
      Local local = scope.get(v.name);
      if (local != null) {
        v.local = local;
        return local.type;
      }
    }
    reporter.error(v.pos, "undefined variable '" + v.name + "'");
    return Type.ERROR;
  }

  private Type unary(Expr.Unary u) {
    Type t = value(u.operand);
    if (t == Type.ERROR) {
      return t;
    }
    boolean ok =
        u.op == TokenKind.MINUS ? t == Type.INT || t == Type.FLOAT
            : u.op == TokenKind.BANG ? t == Type.BOOL : t == Type.INT;
    if (!ok) {
      return cannotApply(u.op, u.pos, t);
    }
    return t;
  }

  /** The type of {@code left op right} given the left operand's type; checks the right one. */
  private Type binaryType(TokenKind op, int pos, Type left, Expr rightExpr) {
    Type right = value(rightExpr);
    if (left == Type.ERROR || right == Type.ERROR) {
      return Type.ERROR;
    }
    if (!operandAllowed(op, left)) {
      return cannotApply(op, pos, left);
    }
    if (left != right) {
      mismatch(left, right, rightExpr.pos);
      return Type.ERROR;
    }
    switch (op) {
      case EQ: case NE: case LT: case LE: case GT: case GE:
        return Type.BOOL;
      default:
        return left;
    }
  }

  private static boolean operandAllowed(TokenKind op, Type t) {
    switch (op) {
      case PLUS: case MINUS: case STAR: case SLASH: case LT: case LE: case GT: case GE:
        return t == Type.INT || t == Type.FLOAT;
      case EQ: case NE:
        return t == Type.INT || t == Type.FLOAT || t == Type.BOOL;
      case AND_AND: case OR_OR:
        return t == Type.BOOL;
      default: // % & | ^ << >> >>>
        return t == Type.INT;
    }
  }

  private Type cannotApply(TokenKind op, int pos, Type t) {
    reporter.error(pos, "operator " + op.text() + " cannot be applied to " + t);
    return Type.ERROR;
  }

  private Type call(Expr.Call c) {
    switch (c.name) {
      case "print":
        return print(c);
      case "len":
        if (arity(c, 1)) {
          Type t = value(c.args.get(0));
          if (t != Type.ERROR && !t.isArray()) {
            reporter.error(c.args.get(0).pos, "type mismatch: expected an array, found " + t);
          }
        }
        return Type.INT;
      case "assert":
        if (arity(c, 1)) {
          expect(Type.BOOL, c.args.get(0));
        }
        return Type.VOID;
      case "int":
        if (arity(c, 1)) {
          expect(Type.FLOAT, c.args.get(0));
        }
        return Type.INT;
      case "float":
        if (arity(c, 1)) {
          expect(Type.INT, c.args.get(0));
        }
        return Type.FLOAT;
      default:
        return userCall(c);
    }
  }

  private Type userCall(Expr.Call c) {
    Integer index = functionIndex.get(c.name);
    if (index == null) {
      reporter.error(c.pos, "undefined function '" + c.name + "'");
      c.args.forEach(this::value);
      return Type.ERROR;
    }
    c.function = index;
    FnDecl fn = functions.get(index);
    if (arity(c, fn.params.size())) {
      for (int i = 0; i < c.args.size(); i++) {
        expect(fn.params.get(i).type(), c.args.get(i));
      }
    }
    current.makesArrays |= fn.result.isArray();
    return fn.result;
  }

  /** Checks the argument count; on a mismatch still checks the arguments alone. */
  private boolean arity(Expr.Call c, int expected) {
    if (c.args.size() == expected) {
      return true;
    }
    reporter.error(c.pos, "wrong number of arguments to '" + c.name + "': expected " + expected
        + ", found " + c.args.size());
    c.args.forEach(this::value);
    return false;
  }

  private Type print(Expr.Call c) {
    if (c.args.isEmpty()) {
      reporter.error(c.pos, "print needs at least one argument");
    }
    for (Expr arg : c.args) {
      Type t = expr(arg);
      if (t == Type.VOID) {
        noValue(arg);
      } else if (t.isArray()) {
        reporter.error(arg.pos, "cannot print a value of type " + t);
      }
    }
    return Type.VOID;
  }
}
