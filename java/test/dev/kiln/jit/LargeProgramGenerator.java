package dev.kiln.jit;

import java.util.Random;

/**
 * Generates a large, deterministic Kiln program for measuring compile speed: a chain of functions
 * of ten lines each, in four shapes (int array kernels, float array kernels, nested loops with
 * division and remainder, a bounded Collatz-style while loop with a bool condition), each calling
 * one earlier function, and a ten-line {@code main} that runs the chain and prints checksums. The
 * same line count always gives the same program (a fixed seed), so compile times are comparable
 * between builds, and the run is short in both modes (the chain runs a few times over small
 * arrays).
 *
 * <p>Also a command, which {@code bench/compile-speed} runs with Java's source launcher: {@code
 * java java/test/dev/kiln/jit/LargeProgramGenerator.java [LINES]} prints a program of LINES lines
 * (default 10,000; rounded down to a multiple of ten, at least twenty).
 */
public final class LargeProgramGenerator {
  /** Every function, {@code main} included, is this many lines. */
  static final int LINES_PER_FUNCTION = 10;
  private static final long SEED = 0x4b696c6eL; // "Kiln"

  private final Random random = new Random(SEED);
  private final StringBuilder out = new StringBuilder();

  private LargeProgramGenerator() {}

  /** A program of {@code lines} lines (a multiple of ten, at least twenty). */
  static String generate(int lines) {
    if (lines < 2 * LINES_PER_FUNCTION || lines % LINES_PER_FUNCTION != 0) {
      throw new IllegalArgumentException("lines must be a multiple of 10, at least 20: " + lines);
    }
    return new LargeProgramGenerator().program(lines / LINES_PER_FUNCTION - 1);
  }

  public static void main(String[] args) {
    int lines = 10_000;
    if (args.length > 0) {
      try {
        lines = Integer.parseInt(args[0]);
      } catch (NumberFormatException e) {
        lines = -1;
      }
    }
    if (args.length > 1 || lines < 2 * LINES_PER_FUNCTION) {
      System.err.println("usage: LargeProgramGenerator [LINES] (LINES at least 20; default 10000)");
      System.exit(2);
    }
    System.out.print(generate(lines - lines % LINES_PER_FUNCTION));
  }

  private String program(int functions) {
    for (int k = 0; k < functions; k++) {
      switch (k % 4) {
        case 0 -> intKernel(k);
        case 1 -> floatKernel(k);
        case 2 -> nestedLoops(k);
        default -> boundedWhile(k);
      }
    }
    int last = functions - 1;
    int middle = functions / 2;
    out.append("fn main() {\n")
        .append("    let total = 0;\n")
        .append("    for k in 0..3 {\n")
        .append("        total += f").append(last).append("(6 + k, 1.25);\n")
        .append("    }\n")
        .append("    print(total);\n")
        .append("    let again = f").append(middle).append("(4, -0.5);\n")
        .append("    assert(again == f").append(middle).append("(4, -0.5));\n")
        .append("    print(again, f0(3, 2.0));\n")
        .append("}\n");
    return out.toString();
  }

  /** A call of an earlier function (a few back, so the chain is not strictly linear), or 0. */
  private String callBefore(int k, String n, String x) {
    if (k == 0) {
      return "0";
    }
    int callee = Math.max(0, k - 1 - random.nextInt(3));
    return "f" + callee + "(" + n + ", " + x + ")";
  }

  private int constant(int bound) {
    return 1 + random.nextInt(bound);
  }

  private void intKernel(int k) {
    out.append("fn f").append(k).append("(n: int, x: float) -> int {\n")
        .append("    let a = new int[n + 4];\n")
        .append("    for i in 0..len(a) { a[i] = i * ").append(constant(97))
        .append(" + (n ^ ").append(constant(255)).append("); }\n")
        .append("    let s = 0;\n")
        .append("    for i in 0..len(a) {\n")
        .append("        if a[i] % ").append(constant(9) + 1).append(" == 0 { s += a[i] / ")
        .append(constant(13)).append("; } else { s -= a[i] >> 2; }\n")
        .append("    }\n")
        .append("    let r = ").append(callBefore(k, "n", "x")).append(";\n")
        .append("    return s + r;\n")
        .append("}\n");
  }

  private void floatKernel(int k) {
    out.append("fn f").append(k).append("(n: int, x: float) -> int {\n")
        .append("    let v = new float[n + 2];\n")
        .append("    let t = x * ").append(constant(9)).append(".5 + float(n);\n")
        .append("    for i in 0..len(v) { v[i] = t / float(i + 1) - x; }\n")
        .append("    let acc = 0.0;\n")
        .append("    let i = 0;\n")
        .append("    while i < len(v) { acc = acc + v[i] * v[i] * 0.5; i += 1; }\n")
        .append("    if acc > ").append(constant(5000)).append(".0 { acc = -acc / 3.0; }\n")
        .append("    return int(acc) + ").append(callBefore(k, "n", "x * 0.5")).append(";\n")
        .append("}\n");
  }

  private void nestedLoops(int k) {
    out.append("fn f").append(k).append("(n: int, x: float) -> int {\n")
        .append("    let s = ").append(constant(1000)).append(";\n")
        .append("    for i in 0..n {\n")
        .append("        for j in 0..i { s = (s * 31 + j) % 1000003; }\n")
        .append("    }\n")
        .append("    let q = s / ").append(constant(50) + 1).append(" + s % ")
        .append(constant(7) + 1).append(";\n")
        .append("    if q < 0 { q = -q; }\n")
        .append("    let r = ").append(callBefore(k, "n", "x + 1.5")).append(";\n")
        .append("    return q ^ r;\n")
        .append("}\n");
  }

  private void boundedWhile(int k) {
    out.append("fn f").append(k).append("(n: int, x: float) -> int {\n")
        .append("    let c = n * ").append(constant(40)).append(" + 7;\n")
        .append("    let steps = 0;\n")
        .append("    while c != 1 && steps < 60 {\n")
        .append("        if c % 2 == 0 { c = c / 2; } else { c = 3 * c + 1; }\n")
        .append("        steps += 1;\n")
        .append("    }\n")
        .append("    let y = x * float(steps) - float(c);\n")
        .append("    return steps + int(y) + ").append(callBefore(k, "n", "y * 0.001")).append(";\n")
        .append("}\n");
  }
}
