package dev.kiln.lang.ast;

import dev.kiln.lang.TokenKind;
import java.util.List;

/** Statements; {@link #pos} is the character offset of the statement's first token. */
public abstract class Stmt {
  public final int pos;

  Stmt(int pos) {
    this.pos = pos;
  }

  /**
   * {@code let name: declared = init;} ({@code declared} is null when omitted); {@code namePos}
   * is the offset of the name.
   */
  public static final class Let extends Stmt {
    public final String name;
    public final int namePos;
    public final Type declared;
    public final Expr init;
    public Local local;

    public Let(int pos, String name, int namePos, Type declared, Expr init) {
      super(pos);
      this.name = name;
      this.namePos = namePos;
      this.declared = declared;
      this.init = init;
    }
  }

  /**
   * {@code target = value;} or a compound form ({@code op} is the binary operator, e.g. PLUS for
   * {@code +=}, or null for plain {@code =}); the target is a {@link Expr.Var} or {@link
   * Expr.Index}. {@code opPos} is the assignment operator's offset.
   */
  public static final class Assign extends Stmt {
    public final Expr target;
    public final TokenKind op;
    public final int opPos;
    public final Expr value;

    public Assign(int pos, Expr target, TokenKind op, int opPos, Expr value) {
      super(pos);
      this.target = target;
      this.op = op;
      this.opPos = opPos;
      this.value = value;
    }
  }

  /** {@code if cond then else} with {@code otherwise} a Block, an If, or null. */
  public static final class If extends Stmt {
    public final Expr cond;
    public final Block then;
    public final Stmt otherwise;

    public If(int pos, Expr cond, Block then, Stmt otherwise) {
      super(pos);
      this.cond = cond;
      this.then = then;
      this.otherwise = otherwise;
    }
  }

  public static final class While extends Stmt {
    public final Expr cond;
    public final Block body;

    public While(int pos, Expr cond, Block body) {
      super(pos);
      this.cond = cond;
      this.body = body;
    }
  }

  /** {@code for name in lo..hi body}. */
  public static final class For extends Stmt {
    public final String name;
    public final Expr lo;
    public final Expr hi;
    public final Block body;
    public Local local;

    public For(int pos, String name, Expr lo, Expr hi, Block body) {
      super(pos);
      this.name = name;
      this.lo = lo;
      this.hi = hi;
      this.body = body;
    }
  }

  public static final class Break extends Stmt {
    public Break(int pos) {
      super(pos);
    }
  }

  public static final class Continue extends Stmt {
    public Continue(int pos) {
      super(pos);
    }
  }

  /** {@code return;} ({@code value} null) or {@code return value;}. */
  public static final class Return extends Stmt {
    public final Expr value;

    public Return(int pos, Expr value) {
      super(pos);
      this.value = value;
    }
  }

  public static final class Block extends Stmt {
    public final List<Stmt> stmts;
    /** Offset of the closing brace. */
    public final int end;

    public Block(int pos, List<Stmt> stmts, int end) {
      super(pos);
      this.stmts = List.copyOf(stmts);
      this.end = end;
    }
  }

  /** A call evaluated for its effect. */
  public static final class ExprStmt extends Stmt {
    public final Expr expr;

    public ExprStmt(int pos, Expr expr) {
      super(pos);
      this.expr = expr;
    }
  }
}
