package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import dev.kiln.vm.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks of compiled calls: the depth limit is the interpreter's to the frame, wherever the
 * JIT puts or leaves out the check (a leaf's call, a second call straight after a first), a deep
 * recursion runs as the interpreter's does, and the time limit stops an endless recursion that
 * has no loop.
 */
class JitCallTest {
  private static final String FIB = """
      fn fib(n: int) -> int {
          if n < 2 { return n; }
          return fib(n - 1) + fib(n - 2);
      }
      fn main() { print(fib(20)); }
      """;

  @TempDir Path dir;

  /** main (frame 1) calls down(n) (frame 2), which recurses to down(0) (frame n + 2), which calls a leaf. */
  private static String leafAtTheBottom(int n) {
    return """
        fn leaf(x: int) -> int { return x + 1; }
        fn down(n: int) -> int {
            if n == 0 { return leaf(n); }
            return down(n - 1);
        }
        fn main() { print("start"); print(down(%d)); }
        """.formatted(n);
  }

  /** Two calls in a row that are not leaves: the second shares the first's depth count. */
  private static String callsInARow(int n) {
    return """
        fn leaf(x: int) -> int { return x + 1; }
        fn shallow(x: int) -> int { return leaf(x); }
        fn down(n: int) -> int {
            if n == 0 { return 0; }
            return shallow(n) + down(n - 1);
        }
        fn main() { print(down(%d)); }
        """.formatted(n);
  }

  @Test
  void theLeafCallThatWouldExceedTheDepthLimitIsTheStackOverflow() throws IOException {
    int deepest = Limits.MAX_CALL_DEPTH - 3; // the leaf is then frame MAX_CALL_DEPTH
    KilnCli ok = BothModes.assertSame(dir, leafAtTheBottom(deepest), 0);
    assertEquals("start\n1\n", ok.stdout());
    KilnCli overflow = BothModes.assertSame(dir, leafAtTheBottom(deepest + 1), 3);
    assertEquals("start\n", overflow.stdout());
    assertTrue(overflow.stderr().endsWith("p.kiln:3:24: runtime error: stack overflow\n"), overflow.stderr());
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 2, 1, 0})
  void callsInARowOverflowWhereTheInterpreterDoes(int belowTheLimit) throws IOException {
    int n = Limits.MAX_CALL_DEPTH - belowTheLimit;
    BothModes.assertSame(dir, callsInARow(n), belowTheLimit >= 3 ? 0 : 3);
  }

  @Test
  void deepRecursionWellWithinTheLimitRuns() throws IOException {
    KilnCli run = BothModes.assertSame(dir, callsInARow(20_000), 0);
    assertEquals("200030000\n", run.stdout()); // the sum of n + 1 for n = 1 .. 20,000
  }

  @Test
  void theTimeLimitStopsAnEndlessRecursionWithoutLoops() throws IOException {
    // Mutual recursion, 2^90 calls: only the recursive functions' entries poll.
    Path file = dir.resolve("spin.kiln");
    Files.writeString(file, """
        fn ping(n: int) -> int { return pong(n + 1) + pong(n + 2); }
        fn pong(n: int) -> int { if n > 90 { return 0; } return ping(n) + 1; }
        fn main() { print(ping(0)); }
        """);
    for (String convention : List.of("host", "windows-x64")) {
      KilnCli run = KilnCli.run("run", file.toString(), "--time-limit=0.2", "--convention=" + convention);
      assertEquals(3, run.exit(), run.stderr());
      assertTrue(run.stderr().endsWith("runtime error: time limit exceeded\n"), run.stderr());
    }
  }

  /** Guard clauses of each shape before the prologue, and ones that must stay in the body. */
  @Test
  void guardClausesReturnWhatTheInterpreterReturns() throws Exception {
    KilnCli run = BothModes.assertSame(dir, """
        fn half(n: int) -> int { if n < 2 { return n; } return half(n / 2) + 1; }
        fn zero(n: int) -> int { if n == 0 { return 0; } return zero(n - 1); }
        fn seven(n: int) -> int { if n <= -3 { return -7; } return seven(n - 2); }
        fn upto(a: int, b: int) -> int { if a >= b { return b; } return upto(a + 1, b); }
        fn pick(x: float, n: int) -> float { if n > 0 { return x; } return pick(x * 2.0, n + 1); }
        fn fourth(a: int, b: int, c: int, d: int) -> int { if d != 0 { return c; } return fourth(a, b, c + 1, 1); }
        fn main() {
            print(half(1), half(1000), zero(5), seven(10), upto(3, 9), upto(9, 3));
            print(pick(1.5, -2), pick(-0.0, 1), fourth(1, 2, 3, 0), fourth(1, 2, 3, 4));
        }
        """, 0);
    assertEquals("1 10 0 -7 9 3\n12.0 -0.0 4 3\n", run.stdout());
  }

  /**
   * A recursion that stays one (a subtraction after the call accumulates nothing; the padding
   * keeps it from being inlined into itself) takes a real frame per level: 10,000 of them run as
   * users run the JIT, compiled before the run and handed over from the interpreter in the middle
   * of the recursion, and one past the depth limit is the interpreter's stack overflow.
   */
  @Test
  void tenThousandRealFramesRunAndTheLimitIsTheInterpreters() throws Exception {
    String deep = """
        fn deep(n: int) -> int {
            if n == 0 { return 0; }
            let a = n * 3 + 1;
            let b = a % 7;
            if b == 100 { print(b); }
            let c = b * b - a;
            if c == 1000 { print(c); }
            return 1 - deep(n - 1);
        }
        fn main() { print(deep(DEPTH)); }
        """;
    String listing = Listings.function(Listings.of(deep.replace("DEPTH", "10")), "deep", "main");
    assertEquals(1, Listings.count(listing, "call +0x[0-9a-f]+ <deep>"), listing);
    Path file = dir.resolve("deep.kiln");
    Files.writeString(file, deep.replace("DEPTH", "10000"));
    for (String after : List.of("--mode=jit", "--compile-after=0", "--compile-after=5000")) {
      KilnCli run = KilnCli.run("run", file.toString(), after);
      assertEquals("0\n", run.stdout(), after + ": " + run.stderr());
      assertEquals(0, run.exit(), run.stderr());
    }
    Files.writeString(file, deep.replace("DEPTH", Integer.toString(Limits.MAX_CALL_DEPTH)));
    KilnCli overflow = KilnCli.run("run", file.toString());
    assertEquals(3, overflow.exit(), overflow.stderr());
    assertTrue(overflow.stderr().endsWith("deep.kiln:8:16: runtime error: stack overflow\n"),
        overflow.stderr());
  }
}
