package dev.kiln.jit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random, well-typed Kiln programs that always terminate: int and float arithmetic
 * with edge values, comparisons (NaN included), arrays, loops with constant bounds or over an
 * array (bounds that may run past it, see {@link #countedLoop}), calls along a
 * DAG of functions plus self-recursion bounded by a depth parameter, prints, and occasional
 * runtime errors (a zero divisor, an index out of bounds, a failed assert, a negative size), and
 * guard clauses at functions' entries, in particular in a small recursive function {@code h} whose
 * guard the JIT tests at its call sites; and small functions, which the JIT inlines ({@link
 * Inliner}) when they fit its budget: {@code s} and {@code t} (one random expression each, so
 * some fit and some do not; {@code s} may call {@code h}) and {@code u}, which makes an array;
 * and {@code r}, whose returns accumulate calls of itself ({@code return x + r(...)}), which the
 * JIT makes a loop ({@link AccumulatorRecursion}).
 */
final class RandomProgramGenerator {
  private static final String[] INT_EDGES = {
    "0", "1", "-1", "2", "3", "7", "-13", "63", "64", "255", "4096", "1000000007",
    "9223372036854775807", "-9223372036854775808", "-4611686018427387904"
  };
  private static final String[] FLOAT_EDGES = {
    "0.0", "-0.0", "1.5", "-2.25", "3.0", "0.1", "1e300", "-1e300", "1e-300", "(0.0 / 0.0)",
    "(1.0 / 0.0)", "9.3e18", "-9.3e18"
  };
  private static final String[] INT_OPS = {"+", "-", "*", "&", "|", "^", "<<", ">>", ">>>"};
  private static final String[] FLOAT_OPS = {"+", "-", "*", "/"};
  private static final String[] COMPARISONS = {"==", "!=", "<", "<=", ">", ">="};
  private static final int FUNCTIONS = 4;
  /** The bound of {@code r}'s recursion: at most two calls per level, 2^14 calls. */
  private static final int RECURSION = 15;
  private static final String[] ACCUMULATIONS = {"+", "+", "*", "-"};

  private final Random random;
  private final StringBuilder out = new StringBuilder();
  private final List<String> ints = new ArrayList<>();
  private final List<String> floats = new ArrayList<>();
  /** Arrays in scope, of length 4 unless the rare negative size failed first. */
  private final List<String> intArrays = new ArrayList<>();
  private final List<String> floatArrays = new ArrayList<>();
  private int function;
  private int names;
  private int indent;
  private int loopDepth;
  /** Whether a small function is being generated: it calls no small function (and not itself). */
  private boolean small;

  private RandomProgramGenerator(long seed) {
    this.random = new Random(seed);
  }

  static String generate(long seed) {
    return new RandomProgramGenerator(seed).program();
  }

  private String program() {
    guardedFunction();
    floatFunction();
    smallFunctions();
    accumulatingFunction();
    for (int f = FUNCTIONS - 1; f >= 0; f--) {
      function = f;
      functionDecl();
    }
    out.append("fn main() {\n");
    indent = 1;
    resetScope();
    line("print(f0(3, " + intLiteral() + ", " + floatLiteral() + "));");
    line("print(f1(2, " + intLiteral() + ", " + floatLiteral() + "));");
    line("print(h(3, " + intLiteral() + "));");
    line("print(q(" + floatLiteral() + ", " + floatLiteral() + ", 2));");
    line("print(r(" + random.nextInt(RECURSION) + ", " + random.nextInt(3) + ", " + intLiteral()
        + ", new int[4], new float[4]));");
    out.append("}\n");
    return out.toString();
  }

  private void resetScope() {
    ints.clear();
    floats.clear();
    intArrays.clear();
    floatArrays.clear();
    names = 0;
    loopDepth = 0;
  }

  /** {@code fn fK(d: int, x: int, y: float) -> int}: d bounds the recursion. */
  private void functionDecl() {
    resetScope();
    out.append("fn f").append(function).append("(d: int, x: int, y: float) -> int {\n");
    indent = 1;
    ints.add("x");
    floats.add("y");
    if (random.nextInt(3) == 0) {
      guardClause();
    }
    String size = random.nextInt(40) == 0 ? "d - 5" : "4";
    line("let a = new int[" + size + "];");
    line("let b = new float[4];");
    intArrays.add("a");
    floatArrays.add("b");
    int n = 2 + random.nextInt(5);
    for (int i = 0; i < n; i++) {
      statement(0);
    }
    if (random.nextBoolean()) {
      line("if d > 0 { x += f" + function + "(d - 1, " + intExpr(1) + ", " + floatExpr(1) + "); }");
    }
    line("return " + intExpr(0) + ";");
    out.append("}\n\n");
  }

  /**
   * {@code fn h(d: int, x: int) -> int}: a guard clause, then two calls of itself bounded by d.
   * No float constant, which the front end loads at a function's entry, ahead of any guard: so
   * its guard is the JIT's to test at the call sites.
   */
  private void guardedFunction() {
    out.append("fn h(d: int, x: int) -> int {\n");
    indent = 1;
    guardClause();
    line("if d <= 0 { return x; }");
    line("return h(d - 1, x * 3 + " + random.nextInt(10) + ") - h(d - 2, x ^ d);");
    out.append("}\n\n");
  }

  /**
   * {@code fn s(d: int, x: int, y: float, a: int[], b: float[]) -> int} and {@code t}, the same
   * returning a float, each one random expression of its parameters (calls from them go to
   * {@code h}, bounded by d), and {@code fn u(a: int[], i: int, v: int)}, which makes a small
   * array of its own (freed when it returns) and may index out of bounds.
   */
  private void smallFunctions() {
    small = true;
    function = FUNCTIONS - 1;
    for (String name : List.of("s", "t")) {
      resetScope();
      ints.addAll(List.of("d", "x"));
      floats.add("y");
      intArrays.add("a");
      floatArrays.add("b");
      out.append("fn ").append(name).append("(d: int, x: int, y: float, a: int[], b: float[]) -> ")
          .append(name.equals("s") ? "int" : "float").append(" {\n");
      indent = 1;
      line("return " + (name.equals("s") ? intExpr(2) : floatExpr(2)) + ";");
      out.append("}\n\n");
    }
    out.append("fn u(a: int[], i: int, v: int) {\n");
    line("let c = new int[2];");
    line("c[i & 1] = v;");
    line("a[" + (random.nextInt(4) == 0 ? "i" : "i & 3") + "] += c[0] - c[1];");
    out.append("}\n\n");
    small = false;
  }

  /**
   * {@code fn r(n: int, d: int, x: int, a: int[], b: float[]) -> int}: returns that accumulate
   * calls of itself, bounded by n ({@code return e + r(n - 1, ...)}, with * too, and - or the
   * call first, which are not accumulations), with statements (prints, errors) before and in e,
   * a second call of itself at times ({@code return r(n - 1, ...) + r(n - 2, ...)}, fib's shape).
   */
  private void accumulatingFunction() {
    resetScope();
    function = FUNCTIONS - 1;
    ints.add("x"); // not n or d, which bound the recursions: no statement may write them
    intArrays.add("a");
    floatArrays.add("b");
    out.append("fn r(n: int, d: int, x: int, a: int[], b: float[]) -> int {\n");
    indent = 1;
    if (random.nextInt(3) == 0) {
      guardClause();
    }
    line("let y = float(x);");
    floats.add("y");
    line("if n <= 0 { return " + intExpr(1) + "; }");
    for (int i = random.nextInt(3); i > 0; i--) {
      statement(2);
    }
    if (random.nextBoolean()) {
      line("if " + boolExpr(1) + " { return " + accumulation() + "; }");
    }
    line("return " + accumulation() + ";");
    out.append("}\n\n");
  }

  /** {@code e op r(...)}, {@code r(...) op e} or {@code r(...) + r(...)}. */
  private String accumulation() {
    String call = "r(n - " + (1 + random.nextInt(2)) + ", d, " + intExpr(1) + ", a, b)";
    String op = pick(ACCUMULATIONS);
    return switch (random.nextInt(6)) {
      case 0 -> call + " " + op + " " + intExpr(1);
      case 1 -> "r(n - 1, d, " + intExpr(1) + ", a, b) " + op + " " + call;
      default -> intExpr(1) + " " + op + " " + call;
    };
  }

  /**
   * {@code fn q(y: float, z: float, d: int) -> float}: float arguments and a float result, which
   * the JIT passes in XMM registers, through a recursion bounded by d.
   */
  private void floatFunction() {
    out.append("fn q(y: float, z: float, d: int) -> float {\n");
    indent = 1;
    line("if d < " + (random.nextInt(3) - 1) + " { return " + pick(new String[] {"y", "z", floatLiteral()})
        + "; }");
    line("let w = q(z " + pick(FLOAT_OPS) + " " + floatLiteral() + ", y, d - 1);");
    line("return w " + pick(FLOAT_OPS) + " " + pick(new String[] {"y", "z"}) + ";");
    out.append("}\n\n");
  }

  /**
   * A guard clause such as {@code if x >= d { return 7; }}: an int parameter compared with the
   * other or a constant, over a return of one of them or a constant. The JIT tests it at the
   * function's call sites too.
   */
  private void guardClause() {
    String left = random.nextBoolean() ? "d" : "x";
    String other = left.equals("d") ? "x" : "d";
    String right = random.nextBoolean() ? other : Integer.toString(random.nextInt(20) - 5);
    String result = random.nextInt(3) == 0 ? intLiteral() : random.nextBoolean() ? left : other;
    line("if " + left + " " + pick(COMPARISONS) + " " + right + " { return " + result + "; }");
  }

  private void line(String text) {
    out.append("    ".repeat(indent)).append(text).append('\n');
  }

  private String fresh(String prefix) {
    return prefix + names++;
  }

  private void statement(int nesting) {
    int choice = random.nextInt(nesting >= 2 ? 10 : 14);
    switch (choice) {
      case 0, 1 -> {
        String v = fresh("i");
        line("let " + v + " = " + intExpr(0) + ";");
        ints.add(v);
      }
      case 2 -> {
        String v = fresh("g");
        line("let " + v + " = " + floatExpr(0) + ";");
        floats.add(v);
      }
      case 3 -> line(pick(ints) + " " + pick(new String[] {"=", "+=", "-=", "*=", "^=", "|="}) + " "
          + intExpr(0) + ";");
      case 4 -> line(pick(floats) + " " + pick(new String[] {"=", "+=", "*="}) + " " + floatExpr(0) + ";");
      case 5 -> {
        if (random.nextInt(4) == 0) {
          line("u(" + pick(intArrays) + ", " + intExpr(1) + ", " + intExpr(1) + ");");
        } else if (random.nextBoolean()) {
          line(pick(intArrays) + "[" + index() + "] = " + intExpr(0) + ";");
        } else {
          line(pick(floatArrays) + "[" + index() + "] = " + floatExpr(0) + ";");
        }
      }
      case 6 -> printStatement();
      case 7 -> divisionAfterBitTest();
      case 8 -> repeatedElement();
      case 9 -> selection();
      case 10 -> block("if " + boolExpr(0) + " {", nesting, random.nextBoolean());
      case 11 -> {
        String v = fresh("k");
        int bound = 1 + random.nextInt(5);
        loopDepth++;
        ints.add(v);
        block("for " + v + " in " + (random.nextInt(4) - 1) + ".." + bound + " {", nesting, false);
        ints.remove(v);
        loopDepth--;
      }
      case 12 -> countedLoop(nesting);
      default -> {
        String v = fresh("w");
        line("let " + v + " = 0;");
        line("while " + v + " < " + (1 + random.nextInt(4)) + " {");
        indent++;
        line(v + " += 1;");
        indent--;
        loopDepth++;
        block("", nesting, false);
        loopDepth--;
      }
    }
    if (random.nextInt(60) == 0) {
      line("assert(" + boolExpr(0) + ");");
    }
  }

  /**
   * A loop over an array indexed by its counter, whose checks the back end versions (loop-bce):
   * a for loop, or a while loop counting up by a constant or a variable step, or down. Its bounds
   * sometimes start below zero or end past the array, so that the first, a middle or the last
   * iteration fails. No break or continue in a while loop's own body: one could skip the
   * increment at its end forever.
   */
  private void countedLoop(int nesting) {
    String v = fresh("c");
    boolean intArray = random.nextBoolean();
    String array = pick(intArray ? intArrays : floatArrays);
    String lo = pick(new String[] {"0", "0", "1", "-1", "(" + pick(ints) + ") & 7"});
    String length = "len(" + array + ")";
    String hi = pick(new String[] {length, length, length + " + 1", length + " - 1", "3", "6"});
    String element = array + "[" + v + "]";
    String update = element + " = " + element + (intArray ? " + " + intExpr(1) : " * " + floatExpr(1)) + ";";
    switch (random.nextInt(3)) {
      case 0 -> {
        line("for " + v + " in " + lo + ".." + hi + " {");
        loopBody(update, null, nesting, loopDepth + 1);
      }
      case 1 -> {
        String step = random.nextBoolean() ? String.valueOf(1 + random.nextInt(3)) : fresh("s");
        if (!Character.isDigit(step.charAt(0))) {
          line("let " + step + " = (" + intExpr(1) + " & 3) + 1;");
        }
        line("let " + v + " = " + lo + ";");
        line("while " + v + " " + pick(new String[] {"<", "<="}) + " " + hi + " {");
        loopBody(update, v + " += " + step + ";", nesting, 0);
      }
      default -> {
        line("let " + v + " = " + hi + ";");
        line("while " + v + " " + pick(new String[] {">", ">="}) + " " + lo + " {");
        loopBody(update, v + " -= " + (1 + random.nextInt(2)) + ";", nesting, 0);
      }
    }
  }

  /** A loop's body after its header: {@code first}, random statements, {@code last} (if any). */
  private void loopBody(String first, String last, int nesting, int depth) {
    indent++;
    int savedDepth = loopDepth;
    loopDepth = depth;
    int scopeInts = ints.size();
    int scopeFloats = floats.size();
    line(first);
    for (int i = random.nextInt(3); i > 0; i--) {
      statement(nesting + 1);
    }
    if (last != null) {
      line(last);
    }
    ints.subList(scopeInts, ints.size()).clear();
    floats.subList(scopeFloats, floats.size()).clear();
    loopDepth = savedDepth;
    indent--;
    line("}");
  }

  /**
   * A division by 2^j on a path where a test of the dividend's low bits decided (sometimes
   * fewer bits than the division needs): the JIT shifts without rounding where they are known
   * zero ({@link ExactDivisions}).
   */
  private void divisionAfterBitTest() {
    String v = pick(ints);
    int tested = 1 << (1 + random.nextInt(3));
    int divisor = 1 << (1 + random.nextInt(4));
    switch (random.nextInt(4)) {
      case 0 -> line("if " + v + " % " + tested + " == 0 { " + v + " = " + v + " / " + divisor
          + "; } else { " + v + " = 3 * " + v + " + 1; }");
      case 1 -> line("if (" + v + " & " + (tested - 1) + ") != 0 { " + v + " += 1; } else { "
          + v + " = " + v + " / " + divisor + "; }");
      case 2 -> line("while " + v + " % " + tested + " == 0 && " + v + " != 0 { " + v + " = " + v
          + " / " + divisor + "; }");
      default -> line("if " + v + " % " + tested + " != 0 { " + v + " = " + v + " ^ 5; } " + v
          + " = " + v + " / " + divisor + ";");
    }
  }

  /**
   * An if that sets one variable to a cheap value in one arm or both, which the JIT computes both
   * ways and selects with a cmov ({@link IfConversions}): conditions of every kind, sometimes
   * negated, on variables and edge values; arms that may write the condition's operands.
   */
  private void selection() {
    String v = pick(ints);
    String right = random.nextBoolean() ? pick(ints) : intLiteral();
    String condition = pick(ints) + " " + pick(COMPARISONS) + " " + right;
    if (random.nextInt(4) == 0) {
      condition = "!(" + condition + ")";
    }
    String otherwise = random.nextBoolean() ? " else { " + v + " = " + cheapExpr() + "; }" : "";
    line("if " + condition + " { " + v + " = " + cheapExpr() + "; }" + otherwise);
  }

  /** A value of one to three cheap operations on variables and constants, which cannot fail. */
  private String cheapExpr() {
    String a = pick(ints);
    String b = random.nextInt(3) == 0 ? intLiteral() : pick(ints);
    return switch (random.nextInt(8)) {
      case 0 -> a;
      case 1 -> intLiteral();
      case 2 -> "(" + a + " " + pick(INT_OPS) + " " + b + ")";
      case 3 -> "(" + a + " " + (random.nextBoolean() ? "/" : "%") + " "
          + pick(new String[] {"1", "-1", "2", "8", "1024", "-4", "3"}) + ")";
      case 4 -> (random.nextBoolean() ? "-" : "~") + a;
      case 5 -> "(3 * " + a + " + " + b + ")";
      case 6 -> "((" + a + " " + pick(INT_OPS) + " " + b + ") " + pick(INT_OPS) + " " + intLiteral() + ")";
      default -> "(" + a + " * " + b + ")";
    };
  }

  /**
   * An element read and written again with the same index, as {@code a[i] += e} does: the JIT
   * checks the index once ({@link CheckedIndexes}). Sometimes the index is a variable, which may
   * be out of bounds.
   */
  private void repeatedElement() {
    String index = random.nextInt(12) == 0 ? pick(ints) : "(" + pick(ints) + " & 3)"; // as index()
    if (random.nextBoolean()) {
      String a = pick(intArrays);
      line(a + "[" + index + "] " + pick(new String[] {"+=", "^=", "*="}) + " " + intExpr(1) + ";");
    } else {
      String b = pick(floatArrays);
      line(b + "[" + index + "] = " + b + "[" + index + "] * " + floatExpr(1) + " - " + b + "["
          + index + "];");
    }
  }

  /** Statements inside braces; the header line (if any) is already the opening. */
  private void block(String header, int nesting, boolean withElse) {
    if (!header.isEmpty()) {
      line(header);
    }
    indent++;
    int scopeInts = ints.size();
    int scopeFloats = floats.size();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      statement(nesting + 1);
    }
    if (loopDepth > 0 && random.nextInt(8) == 0) {
      line("if " + boolExpr(1) + " { " + (random.nextBoolean() ? "break" : "continue") + "; }");
    }
    ints.subList(scopeInts, ints.size()).clear();
    floats.subList(scopeFloats, floats.size()).clear();
    indent--;
    if (withElse) {
      line("} else {");
      block("", nesting, false);
    } else {
      line("}");
    }
  }

  private void printStatement() {
    int n = 1 + random.nextInt(3);
    List<String> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(4)) {
        case 0 -> args.add(intExpr(0));
        case 1 -> args.add(floatExpr(0));
        case 2 -> args.add(boolExpr(0));
        default -> args.add("\"s" + random.nextInt(10) + "\"");
      }
    }
    line("print(" + String.join(", ", args) + ");");
  }

  /** An int array and a float array in scope, as arguments. */
  private String arrays() {
    return pick(intArrays) + ", " + pick(floatArrays);
  }

  /** Mostly in bounds (arrays have 4 elements), sometimes anything. */
  private String index() {
    return random.nextInt(12) == 0 ? intExpr(1) : "(" + intExpr(1) + ") & 3";
  }

  private String intExpr(int depth) {
    int choice = random.nextInt(depth >= 3 ? 3 : 12);
    return switch (choice) {
      case 0 -> intLiteral();
      case 1, 2 -> pick(ints);
      case 3, 4 -> "(" + intExpr(depth + 1) + " " + pick(INT_OPS) + " " + intExpr(depth + 1) + ")";
      case 5 -> "(" + intExpr(depth + 1) + " " + (random.nextBoolean() ? "/" : "%") + " " + divisor(depth) + ")";
      case 6 -> (random.nextBoolean() ? "-" : "~") + "(" + intExpr(depth + 1) + ")";
      case 7 -> "int(" + floatExpr(depth + 1) + ")";
      case 8 -> pick(intArrays) + "[" + index() + "]";
      case 9 -> "len(" + pick(intArrays) + ")";
      case 10 -> !small && random.nextInt(3) == 0
          ? "s(d, " + intExpr(depth + 1) + ", " + floatExpr(depth + 1) + ", " + arrays() + ")"
          : function + 1 < FUNCTIONS && random.nextInt(3) != 0
          ? "f" + (function + 1 + random.nextInt(FUNCTIONS - function - 1)) + "(d - 1, "
              + intExpr(depth + 1) + ", " + floatExpr(depth + 1) + ")"
          : "h(d, " + intExpr(depth + 1) + ")";
      default -> "(" + intExpr(depth + 1) + " " + pick(INT_OPS) + " " + intLiteral() + ")";
    };
  }

  /** Usually a constant or an odd (never zero) value; sometimes anything, zero included. */
  private String divisor(int depth) {
    return switch (random.nextInt(6)) {
      case 0 -> pick(new String[] {"1", "-1", "2", "8", "-4", "3", "10", "1024"});
      case 1 -> intExpr(depth + 1);
      default -> "(" + intExpr(depth + 1) + " | 1)";
    };
  }

  private String floatExpr(int depth) {
    int choice = random.nextInt(depth >= 3 ? 2 : 8);
    return switch (choice) {
      case 0 -> floatLiteral();
      case 1 -> pick(floats);
      case 2, 3 -> "(" + floatExpr(depth + 1) + " " + pick(FLOAT_OPS) + " " + floatExpr(depth + 1) + ")";
      case 4 -> "-(" + floatExpr(depth + 1) + ")";
      case 5 -> "float(" + intExpr(depth + 1) + ")";
      case 6 -> !small && random.nextBoolean()
          ? "t(d, " + intExpr(depth + 1) + ", " + floatExpr(depth + 1) + ", " + arrays() + ")"
          : "q(" + floatExpr(depth + 1) + ", " + floatExpr(depth + 1) + ", " + random.nextInt(4) + ")";
      default -> pick(floatArrays) + "[" + index() + "]";
    };
  }

  private String boolExpr(int depth) {
    int choice = random.nextInt(depth >= 2 ? 2 : 5);
    return switch (choice) {
      case 0 -> "(" + intExpr(depth + 1) + " " + pick(COMPARISONS) + " " + intExpr(depth + 1) + ")";
      case 1 -> "(" + floatExpr(depth + 1) + " " + pick(COMPARISONS) + " " + floatExpr(depth + 1) + ")";
      case 2 -> "!" + boolExpr(depth + 1);
      case 3 -> "(" + boolExpr(depth + 1) + (random.nextBoolean() ? " && " : " || ") + boolExpr(depth + 1) + ")";
      default -> "(" + boolExpr(depth + 1) + " == " + boolExpr(depth + 1) + ")";
    };
  }

  private String intLiteral() {
    return random.nextBoolean() ? pick(INT_EDGES) : Integer.toString(random.nextInt(200) - 100);
  }

  private String floatLiteral() {
    return random.nextBoolean() ? pick(FLOAT_EDGES) : (random.nextInt(100) - 50) + "." + random.nextInt(10);
  }

  private String pick(List<String> names) {
    return names.get(random.nextInt(names.size()));
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }
}
