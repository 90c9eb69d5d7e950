package dev.kiln.lang.ast;

import dev.kiln.lang.TokenKind;
import java.util.List;

/** Expressions. {@link #pos} is a character offset; {@link #type} is set by the checker. */
public abstract class Expr {
  public final int pos;
  public Type type = Type.ERROR;

  Expr(int pos) {
    this.pos = pos;
  }

  public static final class IntLit extends Expr {
    public final long value;

    public IntLit(int pos, long value) {
      super(pos);
      this.value = value;
    }
  }

  public static final class FloatLit extends Expr {
    public final double value;

    public FloatLit(int pos, double value) {
      super(pos);
      this.value = value;
    }
  }

  public static final class BoolLit extends Expr {
    public final boolean value;

    public BoolLit(int pos, boolean value) {
      super(pos);
      this.value = value;
    }
  }

  /** Only legal as an argument of {@code print}. */
  public static final class StringLit extends Expr {
    public final String value;

    public StringLit(int pos, String value) {
      super(pos);
      this.value = value;
    }
  }

  public static final class Var extends Expr {
    public final String name;
    public Local local;

    public Var(int pos, String name) {
      super(pos);
      this.name = name;
    }
  }

  /** {@code -x}, {@code !x}, {@code ~x}; {@code op} is MINUS, BANG or TILDE. */
  public static final class Unary extends Expr {
    public final TokenKind op;
    public final Expr operand;

    public Unary(int pos, TokenKind op, Expr operand) {
      super(pos);
      this.op = op;
      this.operand = operand;
    }
  }

  /** A binary operator; {@code pos} is the operator's offset. */
  public static final class Binary extends Expr {
    public final TokenKind op;
    public final Expr left;
    public final Expr right;

    public Binary(int pos, TokenKind op, Expr left, Expr right) {
      super(pos);
      this.op = op;
      this.left = left;
      this.right = right;
    }
  }

  /**
   * A call {@code name(args)}: of a function of the program, or of a built-in ({@code print},
   * {@code len}, {@code assert}, {@code int}, {@code float}). {@code pos} is the name's offset.
   */
  public static final class Call extends Expr {
    public final String name;
    public final List<Expr> args;
    /** The callee's index among the program's functions, or -1 for a built-in. */
    public int function = -1;

    public Call(int pos, String name, List<Expr> args) {
      super(pos);
      this.name = name;
      this.args = List.copyOf(args);
    }
  }

  /** {@code array[index]}; {@code pos} is the bracket's offset. */
  public static final class Index extends Expr {
    public final Expr array;
    public final Expr index;

    public Index(int pos, Expr array, Expr index) {
      super(pos);
      this.array = array;
      this.index = index;
    }
  }

  /** {@code new int[size]} or {@code new float[size]}; {@code pos} is {@code new}'s offset. */
  public static final class NewArray extends Expr {
    public final Type arrayType;
    public final Expr size;

    public NewArray(int pos, Type arrayType, Expr size) {
      super(pos);
      this.arrayType = arrayType;
      this.size = size;
    }
  }
}
