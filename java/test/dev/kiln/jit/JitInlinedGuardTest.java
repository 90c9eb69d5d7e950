package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import dev.kiln.vm.Limits;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A call to a function with a guard clause tests the guard at the call site and, when it holds,
 * takes the clause's result without calling. The skipped call must still count as a frame for
 * the depth limit, share the depth count with the calls next to it, and leave its result where
 * the call's would land (a register, a spilled slot, a float).
 */
class JitInlinedGuardTest {
  @TempDir Path dir;

  /**
   * main (frame 1) calls down(n) (frame 2), which recurses to down(0) (frame n + 2), which calls
   * the guarded {@code callee}(arg) (frame n + 3) at line 4, column 24.
   */
  private static String guardAtTheBottom(String callee, int n, int arg) {
    return """
        fn rec(n: int) -> int { if n < 1 { return 5; } return rec(n - 1) + 1; }
        fn leaf(n: int) -> int { if n < 1 { return n; } return n * 2; }
        fn down(n: int) -> int {
            if n == 0 { return %s(%d); }
            return down(n - 1);
        }
        fn main() { print("start"); print(down(%d)); }
        """.formatted(callee, arg, n);
  }

  /**
   * The call that would be frame MAX_CALL_DEPTH + 1 fails with stack overflow at its position even
   * when the callee's guard would return at once, for a recursive callee and a leaf; one frame
   * less runs.
   */
  @ParameterizedTest
  @CsvSource({"rec, 0", "leaf, 0", "rec, 1", "leaf, 3"})
  void theSkippedCallStillCountsAsAFrame(String callee, int arg) throws IOException {
    int deepest = Limits.MAX_CALL_DEPTH - 3; // the guarded callee is then frame MAX_CALL_DEPTH
    boolean returnsAtOnce = arg < 1;
    KilnCli ok = BothModes.assertSame(dir, guardAtTheBottom(callee, deepest - 1, arg), 0);
    assertEquals("start\n", ok.stdout().substring(0, 6));
    KilnCli atTheLimit = BothModes.assertSame(dir, guardAtTheBottom(callee, deepest, arg),
        returnsAtOnce || callee.equals("leaf") ? 0 : 3);
    KilnCli overflow = BothModes.assertSame(dir, guardAtTheBottom(callee, deepest + 1, arg), 3);
    assertEquals("start\n", overflow.stdout());
    assertTrue(overflow.stderr().endsWith("p.kiln:4:24: runtime error: stack overflow\n"), overflow.stderr());
    if (returnsAtOnce) {
      assertEquals("start\n" + (callee.equals("rec") ? 5 : 0) + "\n", atTheLimit.stdout());
    }
  }

  /**
   * Three counted calls in a row share one depth count; the first two return through the inlined
   * guard (g(0)) and through a real call (g(1)), then the recursion goes on, up to the limit.
   */
  private static String callsInARow(int n) {
    return """
        fn g(n: int) -> int { if n < 1 { return 7; } return g(n - 1) + 1; }
        fn down(n: int) -> int {
            if n == 0 { return 0; }
            return g(0) + g(1) + down(n - 1);
        }
        fn main() { print(down(%d)); }
        """.formatted(n);
  }

  @ParameterizedTest
  @CsvSource({"4", "3", "2", "1", "0"})
  void callsInARowWhoseFirstIsInlinedShareTheDepthCount(int belowTheLimit) throws Exception {
    int n = Limits.MAX_CALL_DEPTH - belowTheLimit;
    BothModes.assertSame(dir, callsInARow(n), belowTheLimit >= 3 ? 0 : 3);
  }

  @Test
  void callsInARowWhoseFirstIsInlinedGiveTheirSums() throws IOException {
    assertEquals("1500\n", BothModes.assertSame(dir, callsInARow(100), 0).stdout());
  }

  /**
   * Guards of each shape the clause allows: a constant result, two compared parameters, the third
   * parameter as result, a float result behind an int comparison, and a guard on a float.
   */
  @Test
  void everyGuardShapeGivesTheInterpretersResults() throws IOException {
    KilnCli run = BothModes.assertSame(dir, """
        fn one(n: int) -> int { if n < 2 { return 1; } return one(n - 1) + one(n - 2); }
        fn big(n: int) -> int { if n <= 0 { return 9000000000; } return big(n - 1) - 1; }
        fn gcd(a: int, b: int) -> int { if b == 0 { return a; } return gcd(b, a % b); }
        fn upto(a: int, b: int) -> int { if a >= b { return b; } return upto(a + 1, b); }
        fn third(a: int, b: int, c: int) -> int { if a < b { return c; } return third(a - 1, b, c * 2); }
        fn pick(x: float, n: int) -> float { if n > 0 { return x; } return pick(x * 2.0, n + 1); }
        fn halve(x: float) -> float { if x < 1.0 { return x; } return halve(x / 2.0); }
        fn main() {
            print(one(0), one(1), one(15), big(0), big(3));
            print(gcd(12, 0), gcd(0, 12), gcd(1071, 462), upto(3, 9), upto(9, 3));
            print(third(1, 2, 5), third(4, 2, 5), pick(1.5, 1), pick(-0.0, 1), pick(1.5, -2));
            print(halve(0.5), halve(100.0), pick(halve(8.0), 1) + 1.0);
        }
        """, 0);
    assertEquals("""
        1 1 987 9000000000 8999999997
        12 12 21 9 3
        5 40 1.5 -0.0 12.0
        0.5 0.78125 1.5
        """, run.stdout());
  }

  /**
   * A guarded call's result read by the next instruction (or as the next call's argument), and
   * with more live results than registers, so some land in memory: the guard path must store
   * there too.
   */
  @Test
  void theResultLandsWhereTheCallsResultWould() throws Exception {
    StringBuilder sb = new StringBuilder("""
        fn g(n: int) -> int { if n < 3 { return n; } return g(n - 3) + 10; }
        fn f(x: float, n: int) -> float { if n < 1 { return x; } return f(x + 1.0, n - 1); }
        fn main() {
            print(g(g(2) + 4), g(g(5)) + 1);
        """);
    for (int i = 0; i < 20; i++) {
      sb.append("    let r").append(i).append(" = g(").append(i % 5).append(");\n");
      sb.append("    let x").append(i).append(" = f(").append(i).append(".5, ").append(i % 3).append(");\n");
    }
    StringBuilder ints = new StringBuilder("0");
    StringBuilder floats = new StringBuilder("0.0");
    for (int i = 0; i < 20; i++) {
      ints.append(" + r").append(i).append(" * ").append(i + 1);
      floats.append(" + x").append(i).append(" * ").append(i + 1).append(".0");
    }
    sb.append("    print(").append(ints).append(", ").append(floats).append(");\n}\n");
    KilnCli run = BothModes.assertSame(dir, sb.toString(), 0);
    assertEquals("20 41\n1132 2968.0\n", run.stdout());
  }
}
