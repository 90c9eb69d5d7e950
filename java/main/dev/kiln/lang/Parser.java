package dev.kiln.lang;

import dev.kiln.lang.ast.Expr;
import dev.kiln.lang.ast.FnDecl;
import dev.kiln.lang.ast.Stmt;
import dev.kiln.lang.ast.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent for declarations and statements, precedence climbing for expressions.
 *
 * <p>Error recovery: a syntax error throws {@link Failure} up to the innermost statement (or
 * function) being parsed, which skips tokens to a synchronisation point: just after a {@code ;},
 * at a {@code }} or at a token that starts a statement or a function. Errors at the same token as
 * the previous error are dropped, so one mistake gives one message. Nesting deeper than {@link
 * #MAX_NESTING} is reported once and ends the parse of its function ({@link NestedTooDeeply}):
 * recovering inside it would report the same error again at every deeper level.
 */
final class Parser {
  /** Deeper nesting than this is reported instead of risking the host's stack. */
  static final int MAX_NESTING = 10_000;

  /** Decimal literals this short always fit a long, negated or not. */
  private static final int MAX_SAFE_DECIMAL_DIGITS = 18;
  private static final Set<TokenKind> STATEMENT_STARTS =
      EnumSet.of(
          TokenKind.LET, TokenKind.IF, TokenKind.WHILE, TokenKind.FOR, TokenKind.RETURN,
          TokenKind.BREAK, TokenKind.CONTINUE, TokenKind.FN);
  private static final Set<TokenKind> COMPARISONS =
      EnumSet.of(TokenKind.EQ, TokenKind.NE, TokenKind.LT, TokenKind.LE, TokenKind.GT, TokenKind.GE);

  /** Thrown to unwind to the nearest recovery point; the error is already reported. */
  private static final class Failure extends RuntimeException {
    Failure() {
      super(null, null, false, false);
    }
  }

  /** Thrown past every statement's recovery point, to the function's: the error is reported. */
  private static final class NestedTooDeeply extends RuntimeException {
    NestedTooDeeply() {
      super(null, null, false, false);
    }
  }

  private final List<Token> tokens;
  private final Reporter reporter;
  private int at;
  private int lastErrorOffset = -1;
  private int nesting;

  Parser(List<Token> tokens, Reporter reporter) {
    this.tokens = tokens;
    this.reporter = reporter;
  }

  List<FnDecl> program() {
    List<FnDecl> functions = new ArrayList<>();
    while (peek() != TokenKind.EOF) {
      int start = at;
      try {
        if (peek() != TokenKind.FN) {
          throw error(current(), "expected 'fn', found " + describe(current()));
        }
        functions.add(function());
      } catch (Failure | NestedTooDeeply f) {
        nesting = 0;
        if (at == start) {
          at++;
        }
        while (peek() != TokenKind.FN && peek() != TokenKind.EOF) {
          at++;
        }
      }
    }
    return functions;
  }

  private FnDecl function() {
    expect(TokenKind.FN);
    Token name = expect(TokenKind.IDENT);
    expect(TokenKind.LPAREN);
    List<FnDecl.Param> params = new ArrayList<>();
    if (peek() != TokenKind.RPAREN) {
      do {
        Token p = expect(TokenKind.IDENT);
        expect(TokenKind.COLON);
        params.add(new FnDecl.Param(p.text(), type(), p.offset()));
      } while (accept(TokenKind.COMMA));
    }
    expect(TokenKind.RPAREN);
    Type result = Type.VOID;
    if (accept(TokenKind.ARROW)) {
      result = type();
    }
    return new FnDecl(name.text(), name.offset(), params, result, block());
  }

  private Type type() {
    Token t = current();
    Type element;
    switch (t.kind()) {
      case INT: element = Type.INT; break;
      case FLOAT: element = Type.FLOAT; break;
      case BOOL: element = Type.BOOL; break;
      default: throw error(t, "expected a type, found " + describe(t));
    }
    at++;
    if (!accept(TokenKind.LBRACKET)) {
      return element;
    }
    expect(TokenKind.RBRACKET);
    if (element == Type.BOOL) {
      throw error(t, "arrays of bool are not supported (only int[] and float[])");
    }
    return element == Type.INT ? Type.INT_ARRAY : Type.FLOAT_ARRAY;
  }

  private Stmt.Block block() {
    Token open = expect(TokenKind.LBRACE);
    enter(open);
    List<Stmt> stmts = new ArrayList<>();
    while (peek() != TokenKind.RBRACE && peek() != TokenKind.EOF && peek() != TokenKind.FN) {
      int start = at;
      int depth = nesting; // a failure may unwind past the decrements of nested constructs
      try {
        Stmt s = statement();
        if (s != null) {
          stmts.add(s);
        }
      } catch (Failure f) {
        nesting = depth;
        if (at == start) {
          at++;
        }
        synchronize();
      }
    }
    nesting--;
    Token close = expect(TokenKind.RBRACE);
    return new Stmt.Block(open.offset(), stmts, close.offset());
  }

  private void synchronize() {
    while (peek() != TokenKind.EOF) {
      if (tokens.get(at - 1).kind() == TokenKind.SEMI
          || peek() == TokenKind.RBRACE
          || STATEMENT_STARTS.contains(peek())) {
        return;
      }
      at++;
    }
  }

  /** One statement, or null for an empty statement {@code ;}. */
  private Stmt statement() {
    Token t = current();
    switch (t.kind()) {
      case SEMI:
        at++;
        return null;
      case LET:
        return let();
      case IF:
        return ifStatement();
      case WHILE:
        at++;
        return new Stmt.While(t.offset(), expression(), block());
      case FOR:
        return forStatement();
      case BREAK:
        at++;
        expect(TokenKind.SEMI);
        return new Stmt.Break(t.offset());
      case CONTINUE:
        at++;
        expect(TokenKind.SEMI);
        return new Stmt.Continue(t.offset());
      case RETURN:
        {
          at++;
          Expr value = peek() == TokenKind.SEMI ? null : expression();
          expect(TokenKind.SEMI);
          return new Stmt.Return(t.offset(), value);
        }
      case LBRACE:
        return block();
      default:
        return simpleStatement();
    }
  }

  private Stmt let() {
    Token let = expect(TokenKind.LET);
    Token name = expect(TokenKind.IDENT);
    Type declared = null;
    if (accept(TokenKind.COLON)) {
      declared = type();
    }
    expect(TokenKind.ASSIGN);
    Expr init = expression();
    expect(TokenKind.SEMI);
    return new Stmt.Let(let.offset(), name.text(), name.offset(), declared, init);
  }

  private Stmt ifStatement() {
    Token t = expect(TokenKind.IF);
    Expr cond = expression();
    Stmt.Block then = block();
    Stmt otherwise = null;
    if (accept(TokenKind.ELSE)) {
      otherwise = peek() == TokenKind.IF ? ifStatement() : block();
    }
    return new Stmt.If(t.offset(), cond, then, otherwise);
  }

  private Stmt forStatement() {
    Token t = expect(TokenKind.FOR);
    Token name = expect(TokenKind.IDENT);
    expect(TokenKind.IN);
    Expr lo = expression();
    expect(TokenKind.DOTDOT);
    Expr hi = expression();
    return new Stmt.For(t.offset(), name.text(), lo, hi, block());
  }

  /** An assignment (plain or compound) or a call, then {@code ;}. */
  private Stmt simpleStatement() {
    Token start = current();
    Expr target = expression();
    Token op = current();
    if (op.kind() == TokenKind.ASSIGN || op.kind().compoundOperator() != null) {
      at++;
      if (!(target instanceof Expr.Var) && !(target instanceof Expr.Index)) {
        throw error(start, "invalid assignment target: expected a variable or an array element");
      }
      Expr value = expression();
      expect(TokenKind.SEMI);
      return new Stmt.Assign(start.offset(), target, op.kind().compoundOperator(), op.offset(), value);
    }
    if (!(target instanceof Expr.Call)) {
      throw error(start, "only a call or an assignment can be a statement");
    }
    expect(TokenKind.SEMI);
    return new Stmt.ExprStmt(start.offset(), target);
  }

  Expr expression() {
    return binary(1);
  }

  /** Precedence of a binary operator token (higher binds tighter), or 0 if it is none. */
  private static int precedence(TokenKind k) {
    switch (k) {
      case OR_OR: return 1;
      case AND_AND: return 2;
      case EQ: case NE: case LT: case LE: case GT: case GE: return 3;
      case PIPE: return 4;
      case CARET: return 5;
      case AMP: return 6;
      case SHL: case SHR: case USHR: return 7;
      case PLUS: case MINUS: return 8;
      case STAR: case SLASH: case PERCENT: return 9;
      default: return 0;
    }
  }

  private Expr binary(int minPrecedence) {
    Expr left = unary();
    while (true) {
      Token op = current();
      int p = precedence(op.kind());
      if (p < minPrecedence || p == 0) {
        return left;
      }
      at++;
      Expr right = binary(p + 1);
      left = new Expr.Binary(op.offset(), op.kind(), left, right);
      if (p == 3 && COMPARISONS.contains(peek())) {
        throw error(current(), "comparison operators cannot be chained");
      }
    }
  }

  private Expr unary() {
    Token t = current();
    if (t.kind() != TokenKind.MINUS && t.kind() != TokenKind.BANG && t.kind() != TokenKind.TILDE) {
      return postfix();
    }
    at++;
    enter(t);
    try {
      // A minus directly before a number literal is part of it, so -9223372036854775808 is legal.
      if (t.kind() == TokenKind.MINUS && peek() == TokenKind.INT_LIT) {
        return postfixOf(intLiteral(current(), t.offset(), true));
      }
      if (t.kind() == TokenKind.MINUS && peek() == TokenKind.FLOAT_LIT) {
        return postfixOf(new Expr.FloatLit(t.offset(), -floatLiteral(current())));
      }
      return new Expr.Unary(t.offset(), t.kind(), unary());
    } finally {
      nesting--;
    }
  }

  private Expr postfix() {
    return postfixOf(primary());
  }

  private Expr postfixOf(Expr e) {
    while (peek() == TokenKind.LBRACKET) {
      Token open = current();
      at++;
      enter(open);
      Expr index = expression();
      nesting--;
      expect(TokenKind.RBRACKET);
      e = new Expr.Index(open.offset(), e, index);
    }
    return e;
  }

  private Expr primary() {
    Token t = current();
    switch (t.kind()) {
      case INT_LIT:
        return intLiteral(t, t.offset(), false);
      case FLOAT_LIT:
        return new Expr.FloatLit(t.offset(), floatLiteral(t));
      case TRUE:
      case FALSE:
        at++;
        return new Expr.BoolLit(t.offset(), t.kind() == TokenKind.TRUE);
      case STRING_LIT:
        at++;
        return new Expr.StringLit(t.offset(), t.text());
      case IDENT:
      case INT:
      case FLOAT:
        at++;
        if (peek() == TokenKind.LPAREN) {
          return new Expr.Call(t.offset(), t.text(), arguments());
        }
        if (t.kind() != TokenKind.IDENT) {
          throw error(current(), "expected '(' after " + t.kind().text());
        }
        return new Expr.Var(t.offset(), t.text());
      case LPAREN:
        {
          at++;
          enter(t);
          Expr inner = expression();
          nesting--;
          expect(TokenKind.RPAREN);
          return inner;
        }
      case NEW:
        {
          at++;
          Token element = current();
          Type type;
          if (accept(TokenKind.INT)) {
            type = Type.INT_ARRAY;
          } else if (accept(TokenKind.FLOAT)) {
            type = Type.FLOAT_ARRAY;
          } else {
            throw error(element, "expected 'int' or 'float' after 'new', found " + describe(element));
          }
          enter(expect(TokenKind.LBRACKET));
          Expr size = expression();
          nesting--;
          expect(TokenKind.RBRACKET);
          return new Expr.NewArray(t.offset(), type, size);
        }
      default:
        throw error(t, "expected an expression, found " + describe(t));
    }
  }

  private List<Expr> arguments() {
    Token open = expect(TokenKind.LPAREN);
    enter(open);
    List<Expr> args = new ArrayList<>();
    if (peek() != TokenKind.RPAREN) {
      do {
        args.add(expression());
      } while (accept(TokenKind.COMMA));
    }
    nesting--;
    expect(TokenKind.RPAREN);
    return args;
  }

  private Expr intLiteral(Token t, int pos, boolean negated) {
    at++;
    String s = t.text();
    if (s.length() <= MAX_SAFE_DECIMAL_DIGITS && !s.startsWith("0x") && !s.startsWith("0X")) {
      long v = Long.parseLong(s); // the common case, without BigInteger's allocations
      return new Expr.IntLit(pos, negated ? -v : v);
    }
    BigInteger v =
        s.startsWith("0x") || s.startsWith("0X")
            ? new BigInteger(s.substring(2), 16)
            : new BigInteger(s);
    if (negated) {
      v = v.negate();
    }
    if (v.bitLength() > 63) {
      reporter.error(t.offset(), "integer literal out of range: " + t.text() + " does not fit in int");
      v = BigInteger.ZERO;
    }
    return new Expr.IntLit(pos, v.longValue());
  }

  private double floatLiteral(Token t) {
    at++;
    double v = Double.parseDouble(t.text());
    if (Double.isInfinite(v)) {
      reporter.error(t.offset(), "float literal out of range: " + t.text());
      return 0.0;
    }
    return v;
  }

  private void enter(Token t) {
    if (++nesting > MAX_NESTING) {
      error(t, "program nested too deeply (more than " + MAX_NESTING + " levels)");
      throw new NestedTooDeeply();
    }
  }

  private TokenKind peek() {
    return tokens.get(at).kind();
  }

  private Token current() {
    return tokens.get(at);
  }

  private boolean accept(TokenKind kind) {
    if (peek() == kind) {
      at++;
      return true;
    }
    return false;
  }

  private Token expect(TokenKind kind) {
    Token t = current();
    if (t.kind() != kind) {
      throw error(t, "expected " + kind.text() + ", found " + describe(t));
    }
    at++;
    return t;
  }

  private static String describe(Token t) {
    switch (t.kind()) {
      case IDENT: return "identifier '" + t.text() + "'";
      case INT_LIT: case FLOAT_LIT: return "'" + t.text() + "'";
      default: return t.kind().text();
    }
  }

  private Failure error(Token t, String message) {
    if (t.offset() != lastErrorOffset) {
      reporter.error(t.offset(), message);
      lastErrorOffset = t.offset();
    }
    return new Failure();
  }
}
