package dev.kiln.ir;

import dev.kiln.ir.IrLexer.Kind;
import dev.kiln.ir.IrLexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the IR text form (docs/ir.md gives the grammar) into a {@link Module}. Values and blocks
 * keep the numbers written in the text, so verifier messages name what the author wrote, and each
 * instruction keeps its line and column. The module is not verified here: call
 * {@link Module#verify()}.
 */
public final class IrParser {
  private final List<Token> tokens;
  private final Module module = new Module();
  private int at;

  private IrParser(String text) {
    this.tokens = IrLexer.tokens(text);
  }

  /**
   * Parses a module.
   *
   * @param text the module in the IR text form
   * @return the module, its functions finished
   * @throws IrSyntaxException at the first error, with its line and column
   */
  public static Module parse(String text) {
    return new IrParser(text).module();
  }

  private Module module() {
    // Functions may call functions defined further down: declare every name first.
    List<Integer> bodies = new ArrayList<>();
    List<Function> functions = new ArrayList<>();
    while (peek().kind() != Kind.END) {
      Token t = next();
      if (t.kind() == Kind.NEWLINE) {
        continue;
      }
      if (t.is("memory")) {
        Token name = expect(Kind.MEMORY, "a memory name ($name)");
        Token size = expect(Kind.NUMBER, "the memory's size in bytes");
        declare(name, () -> module.memory(name.text(), integer(size, false)));
      } else if (t.is("import")) {
        boolean c = peek().is("c");
        if (c) {
          next();
        }
        Token name = expect(Kind.GLOBAL, "the imported function's name (@name)");
        Signature sig = signature();
        declare(name, () -> {
          if (c) {
            module.declareC(name.text(), sig);
          } else {
            module.importJava(name.text(), sig);
          }
        });
      } else if (t.is("function")) {
        Token name = expect(Kind.GLOBAL, "the function's name (@name)");
        Signature sig = signature();
        Function[] f = new Function[1];
        declare(name, () -> f[0] = module.newFunction(name.text(), sig));
        f[0].line = t.line();
        if (peek().is("levels")) {
          next();
          f[0].levels = (int) levels("a frame");
        }
        if (peek().kind() == Kind.GLOBAL) {
          f[0].position = position(next());
        }
        expectPunct("{");
        functions.add(f[0]);
        bodies.add(at);
        skipBody(t);
        continue;
      } else {
        throw error(t, "expected 'memory', 'import' or 'function', found " + t);
      }
      endOfLine();
    }
    for (int i = 0; i < functions.size(); i++) {
      at = bodies.get(i);
      new BodyParser(functions.get(i)).parse();
    }
    return module;
  }

  private void declare(Token name, Runnable declaration) {
    try {
      declaration.run();
    } catch (IllegalArgumentException e) {
      throw error(name, e.getMessage());
    }
  }

  private void skipBody(Token function) {
    while (!peek().is("}")) {
      if (peek().kind() == Kind.END) {
        throw error(function, "function without its closing '}'");
      }
      next();
    }
    next();
  }

  private Signature signature() {
    expectPunct("(");
    List<Type> params = new ArrayList<>();
    if (!peek().is(")")) {
      do {
        params.add(type());
      } while (accept(","));
    }
    expectPunct(")");
    Type result = null;
    if (accept("->")) {
      result = type();
    }
    return Signature.of(params, result);
  }

  private Type type() {
    Token t = next();
    if (t.is("i64")) {
      return Type.I64;
    }
    if (t.is("f64")) {
      return Type.F64;
    }
    throw error(t, "expected a type (i64 or f64), found " + t);
  }

  private int position(Token t) {
    if (t.text().isEmpty() || !IrLexer.digits(t.text(), 0)) {
      throw error(t, "expected a position (@ and a number), found " + t);
    }
    long p = integer(new Token(Kind.NUMBER, t.text(), t.line(), t.column()), false);
    if (p > Integer.MAX_VALUE) {
      throw error(t, "position " + p + " does not fit in 31 bits");
    }
    return (int) p;
  }

  /** An integer literal, decimal or 0x hex (64 bits, two's complement), negated if asked. */
  private long integer(Token t, boolean negative) {
    if (t.kind() != Kind.NUMBER) {
      throw error(t, "expected an integer, found " + t);
    }
    String s = t.text();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        long v = Long.parseUnsignedLong(s.substring(2), 16);
        return negative ? -v : v;
      }
      if (!IrLexer.digits(s, 0)) {
        throw error(t, "expected an integer, found " + t);
      }
      return Long.parseLong(negative ? "-" + s : s);
    } catch (NumberFormatException e) {
      throw error(t, "integer " + (negative ? "-" : "") + s + " does not fit in 64 bits");
    }
  }

  /** Levels of the call-depth limit that {@code taker} (a frame, {@code depth_enter}) takes. */
  private long levels(String taker) {
    Token n = expect(Kind.NUMBER, "the levels of the call-depth limit " + taker + " takes");
    long levels = integer(n, false);
    if (levels < 1 || levels > Integer.MAX_VALUE) {
      throw error(n, taker + " takes 1 to " + Integer.MAX_VALUE + " levels, not " + levels);
    }
    return levels;
  }

  private long signedInteger() {
    boolean negative = accept("-");
    return integer(next(), negative);
  }

  // ---- token stream ----

  private Token peek() {
    return tokens.get(at);
  }

  private Token next() {
    Token t = tokens.get(at);
    if (t.kind() != Kind.END) {
      at++;
    }
    return t;
  }

  private boolean accept(String punct) {
    if (peek().is(punct) && peek().kind() == Kind.PUNCT) {
      at++;
      return true;
    }
    return false;
  }

  private void expectPunct(String punct) {
    if (!accept(punct)) {
      throw error(peek(), "expected '" + punct + "', found " + peek());
    }
  }

  private Token expect(Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + ", found " + t);
    }
    return t;
  }

  private void endOfLine() {
    Token t = next();
    if (t.kind() != Kind.NEWLINE) {
      throw error(t, "expected the end of the line, found " + t);
    }
  }

  private static IrSyntaxException error(Token t, String message) {
    return new IrSyntaxException(t.line(), t.column(), message);
  }

  /** One function's body: blocks and instructions, resolved once the closing brace is read. */
  private final class BodyParser {
    private final Function f;
    private final Map<Integer, Value> values = new HashMap<>();
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();

    /** An instruction whose operands are still tokens: values may be defined further down. */
    private final class Pending {
      Block block;
      Token start;
      Opcode opcode;
      Token result;
      Type resultType;
      final List<Token> args = new ArrayList<>();
      long immediate;
      Object kind;
      Object target;
      int scale = 1;
      final List<Token> targets = new ArrayList<>();
      final List<List<Token>> targetArgs = new ArrayList<>();
      int position = Instruction.NO_POSITION;
      boolean inBounds;
      boolean invariant;
      Value resultValue;
    }

    BodyParser(Function f) {
      this.f = f;
    }

    void parse() {
      Block block = null;
      while (true) {
        Token t = peek();
        if (t.kind() == Kind.NEWLINE) {
          next();
        } else if (t.is("}") && t.kind() == Kind.PUNCT) {
          next();
          break;
        } else if (t.kind() == Kind.BLOCK) {
          block = label();
        } else if (block == null) {
          throw error(t, "expected a block label (blockN:) before the first instruction");
        } else {
          pending.add(instruction(block));
        }
      }
      if (f.blocks.isEmpty()) {
        throw error(tokens.get(at - 1), "function @" + f.name() + " has no blocks");
      }
      resolve();
      f.markFinished();
    }

    private Block label() {
      Token t = next();
      int number = Integer.parseInt(t.text().substring(5));
      if (blocks.containsKey(number)) {
        throw error(t, t.text() + " is defined twice");
      }
      Block block = f.newBlock();
      block.number = number;
      block.line = t.line();
      blocks.put(number, block);
      if (accept("(")) {
        do {
          Token v = expect(Kind.VALUE, "a parameter (vN: type)");
          expectPunct(":");
          block.params.add(define(v, type()));
        } while (accept(","));
        expectPunct(")");
      }
      expectPunct(":");
      endOfLine();
      return block;
    }

    private Value define(Token name, Type type) {
      int number = valueNumber(name);
      if (values.containsKey(number)) {
        throw error(name, name.text() + " is defined twice");
      }
      Value v = f.newValue(type);
      v.number = number;
      values.put(number, v);
      return v;
    }

    private int valueNumber(Token t) {
      try {
        return Integer.parseInt(t.text().substring(1));
      } catch (NumberFormatException e) {
        throw error(t, "value number " + t.text() + " is too large");
      }
    }

    private Pending instruction(Block block) {
      Pending p = new Pending();
      p.block = block;
      p.start = peek();
      if (peek().kind() == Kind.VALUE) {
        p.result = next();
        expectPunct("=");
      }
      Token m = next();
      if (m.kind() != Kind.WORD) {
        throw error(m, "expected an instruction, found " + m);
      }
      String mnemonic = m.text();
      String suffix = null;
      int dot = mnemonic.indexOf('.');
      if (dot >= 0) {
        suffix = mnemonic.substring(dot + 1);
        mnemonic = mnemonic.substring(0, dot);
      }
      p.opcode = opcode(m, mnemonic);
      if ((suffix != null) != (p.opcode == Opcode.LOAD || p.opcode == Opcode.STORE
          || p.opcode == Opcode.BITCAST)) {
        throw error(m, suffix == null ? mnemonic + " needs a type: " + mnemonic + ".TYPE"
            : "unknown instruction '" + m.text() + "'");
      }
      operands(p, m, suffix);
      if ((p.opcode == Opcode.LOAD || p.opcode == Opcode.STORE) && peek().is("inbounds")) {
        next();
        p.inBounds = true;
      }
      // on a store too, so that the verifier, not the parser, reports the misplaced mark
      if ((p.opcode == Opcode.LOAD || p.opcode == Opcode.STORE) && peek().is("invariant")) {
        next();
        p.invariant = true;
      }
      if (peek().kind() == Kind.GLOBAL) {
        p.position = position(next());
      }
      endOfLine();
      boolean produces = p.resultType != null || p.opcode == Opcode.SELECT;
      if (p.result != null && !produces) {
        throw error(p.result, m.text() + " produces no value here");
      }
      if (p.result == null && produces) {
        throw error(m, m.text() + " produces a value: write 'vN = " + m.text() + " ...'");
      }
      if (p.result != null && p.resultType != null) {
        p.resultValue = define(p.result, p.resultType);
      }
      return p;
    }

    private Opcode opcode(Token m, String mnemonic) {
      try {
        Opcode op = Opcode.valueOf(mnemonic.toUpperCase(Locale.ROOT));
        if (op.mnemonic().equals(mnemonic)) {
          return op;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw error(m, "unknown instruction '" + m.text() + "'");
    }

    private void operands(Pending p, Token m, String suffix) {
      Opcode op = p.opcode;
      p.resultType = op.resultType();
      switch (op.format()) {
        case CONST -> p.immediate = op == Opcode.ICONST ? signedInteger() : floatLiteral();
        case UNARY -> p.args.add(value());
        case BINARY, BOUNDS_CHECK -> {
          p.args.add(value());
          expectPunct(",");
          p.args.add(value());
        }
        case COMPARE -> {
          Token c = next();
          p.kind = condition(op, c);
          p.args.add(value());
          expectPunct(",");
          p.args.add(value());
        }
        case SELECT -> {
          for (int i = 0; i < 3; i++) {
            if (i > 0) {
              expectPunct(",");
            }
            p.args.add(value());
          }
        }
        case BITCAST -> {
          p.resultType = suffixType(m, suffix);
          p.kind = p.resultType;
          p.args.add(value());
        }
        case LOAD -> {
          MemType t = memType(m, suffix, false);
          p.kind = t;
          p.resultType = t.type();
          address(p);
        }
        case STORE -> {
          p.kind = memType(m, suffix, true);
          p.args.add(value());
          expectPunct(",");
          address(p);
        }
        case TRAP -> p.immediate = trapCode();
        case TRAP_IF -> {
          p.args.add(value());
          expectPunct(",");
          p.immediate = trapCode();
        }
        case CALL -> {
          Callee callee = callee();
          p.target = callee;
          p.resultType = callee.signature().result();
          expectPunct("(");
          valueList(p.args, ")");
        }
        case FUNC_REF -> p.target = callee();
        case CALL_INDIRECT -> {
          Signature sig = signature();
          p.target = sig;
          p.resultType = sig.result();
          expectPunct(",");
          p.args.add(value());
          expectPunct("(");
          valueList(p.args, ")");
        }
        case DEPTH_ENTER -> p.immediate = levels("depth_enter");
        case DEPTH_LEAVE -> p.args.add(value());
        case JUMP -> blockCall(p);
        case BRIF -> {
          p.args.add(value());
          expectPunct(",");
          blockCall(p);
          expectPunct(",");
          blockCall(p);
        }
        case RETURN -> {
          if (peek().kind() == Kind.VALUE) {
            p.args.add(value());
          }
        }
        default -> throw new AssertionError(op);
      }
    }

    private Object condition(Opcode op, Token c) {
      try {
        String name = c.text().toUpperCase(Locale.ROOT);
        if (c.kind() == Kind.WORD && c.text().equals(c.text().toLowerCase(Locale.ROOT))) {
          return op == Opcode.ICMP ? IntCond.valueOf(name) : FloatCond.valueOf(name);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw error(c, "expected a condition of " + op.mnemonic() + " ("
          + (op == Opcode.ICMP ? "eq ne slt sle sgt sge ult ule ugt uge" : "eq ne lt le gt ge")
          + "), found " + c);
    }

    private Type suffixType(Token m, String suffix) {
      return switch (suffix) {
        case "i64" -> Type.I64;
        case "f64" -> Type.F64;
        default -> throw error(m, "expected bitcast.i64 or bitcast.f64, found '" + m.text() + "'");
      };
    }

    private MemType memType(Token m, String suffix, boolean store) {
      for (MemType t : MemType.values()) {
        if (t.toString().equals(suffix) && (!store || t.storable())) {
          return t;
        }
      }
      throw error(m, "unknown instruction '" + m.text() + "': " + (store
          ? "stores are store.i8, store.i16, store.i32, store.i64, store.f64"
          : "loads are load.i8, load.u8, load.i16, load.u16, load.i32, load.u32, load.i64,"
              + " load.f64"));
    }

    /** {@code $mem [vBase + vIndex*SCALE + OFFSET]}. */
    private void address(Pending p) {
      Token name = expect(Kind.MEMORY, "a memory ($name)");
      Memory memory = module.findMemory(name.text());
      if (memory == null) {
        throw error(name, "no memory $" + name.text() + " is declared");
      }
      p.target = memory;
      expectPunct("[");
      p.args.add(value());
      if (peek().is("+") && tokens.get(at + 1).kind() == Kind.VALUE) {
        next();
        p.args.add(value());
        if (accept("*")) {
          Token s = next();
          long scale = integer(s, false);
          if (scale > 8) {
            throw error(s, "scale " + scale + " is not 1, 2, 4 or 8");
          }
          p.scale = (int) scale;
        }
      }
      if (peek().is("+") || peek().is("-")) {
        boolean negative = next().is("-");
        p.immediate = integer(next(), negative);
      }
      expectPunct("]");
    }

    private long trapCode() {
      Token t = peek();
      long code = signedInteger();
      if (code != (int) code) {
        throw error(t, "trap code " + code + " does not fit in 32 bits");
      }
      return code;
    }

    private long floatLiteral() {
      Token t = peek();
      if (t.is("bits")) {
        next();
        Token bits = next();
        if (bits.kind() != Kind.NUMBER || !bits.text().startsWith("0x")) {
          throw error(bits, "expected the raw bits in hex (0x...), found " + bits);
        }
        return integer(bits, false);
      }
      boolean negative = accept("-");
      Token v = next();
      double d;
      if (v.is("nan") && !negative) {
        d = Double.NaN;
      } else if (v.is("inf")) {
        d = Double.POSITIVE_INFINITY;
      } else if (v.kind() == Kind.NUMBER && !v.text().startsWith("0x")) {
        d = Double.parseDouble(v.text());
      } else {
        throw error(v, "expected a float (1.5, 2.0E-3, inf, -inf, nan, bits 0x...), found " + v);
      }
      return Double.doubleToRawLongBits(negative ? -d : d);
    }

    private Callee callee() {
      Token name = expect(Kind.GLOBAL, "a function name (@name)");
      Callee callee = module.findCallee(name.text());
      if (callee == null) {
        throw error(name, "no function @" + name.text() + " is declared");
      }
      return callee;
    }

    private void blockCall(Pending p) {
      p.targets.add(expect(Kind.BLOCK, "a block (blockN)"));
      List<Token> args = new ArrayList<>();
      if (accept("(")) {
        valueList(args, ")");
      }
      p.targetArgs.add(args);
    }

    private void valueList(List<Token> into, String close) {
      if (!accept(close)) {
        do {
          into.add(value());
        } while (accept(","));
        expectPunct(close);
      }
    }

    private Token value() {
      return expect(Kind.VALUE, "a value (vN)");
    }

    /** Types the selects (their type is their operands'), then builds the instructions. */
    private void resolve() {
      for (boolean progress = true; progress; ) {
        progress = false;
        for (Pending p : pending) {
          if (p.opcode == Opcode.SELECT && p.resultValue == null) {
            Value a = values.get(valueNumber(p.args.get(1)));
            if (a != null) {
              p.resultValue = define(p.result, a.type());
              progress = true;
            }
          }
        }
      }
      for (Pending p : pending) {
        Value[] args = new Value[p.args.size()];
        for (int i = 0; i < args.length; i++) {
          args[i] = lookUp(p.args.get(i));
        }
        if (p.opcode == Opcode.SELECT && p.resultValue == null) {
          throw error(p.result, "cannot tell the type of " + p.result.text());
        }
        BlockCall[] calls = null;
        if (!p.targets.isEmpty()) {
          calls = new BlockCall[p.targets.size()];
          for (int i = 0; i < calls.length; i++) {
            Token t = p.targets.get(i);
            Block target = blocks.get(Integer.parseInt(t.text().substring(5)));
            if (target == null) {
              throw error(t, "no " + t.text() + " in @" + f.name());
            }
            List<Value> callArgs = new ArrayList<>();
            for (Token a : p.targetArgs.get(i)) {
              callArgs.add(lookUp(a));
            }
            calls[i] = new BlockCall(target, callArgs);
          }
        }
        Instruction inst = new Instruction(p.opcode, p.resultValue, args, p.immediate, p.kind,
            p.target, p.scale, calls, p.position);
        inst.inBounds = p.inBounds;
        inst.invariant = p.invariant;
        inst.line = p.start.line();
        inst.column = p.start.column();
        p.block.instructions.add(inst);
      }
    }

    private Value lookUp(Token t) {
      Value v = values.get(valueNumber(t));
      if (v == null) {
        throw error(t, t.text() + " is not defined in @" + f.name());
      }
      return v;
    }
  }
}
