package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.bytecode.Program;
import dev.kiln.cli.KilnCli;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.runtime.CallingConvention;
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
 * generator puts or leaves out the check (a leaf's call, a second call straight after a first),
 * the rsp guard is there where frames are too large for the depth limit alone, and the time
 * limit stops an endless recursion that has no loop.
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

  /**
   * Frames of 6,000 live ints (48 KB) are too large for the thread's stack to hold the depth
   * limit's worth, so their calls also compare rsp with the stack guard (running it would touch
   * 4 GB of stack); fib's small frames need no guard.
   */
  @Test
  void onlyFramesTooLargeForTheDepthLimitGetTheStackGuard() throws Exception {
    StringBuilder sb = new StringBuilder("fn big(n: int) -> int {\n");
    int locals = 6000;
    for (int i = 0; i < locals; i++) {
      sb.append("    let v").append(i).append(" = n + ").append(i).append(";\n");
    }
    sb.append("    let s = big(n + 1);\n");
    for (int i = 0; i < locals; i++) {
      sb.append("    s = s + v").append(i).append(";\n");
    }
    sb.append("    return s;\n}\nfn main() { print(big(0)); }\n");
    String guard = "cmp    rsp,QWORD PTR [r13+0x" + Integer.toHexString(JitContext.STACK_GUARD) + "]";
    assertTrue(listing(sb.toString()).contains(guard));
    assertFalse(listing(FIB).contains(guard));
  }

  private static String listing(String source) throws Exception {
    Program program = FrontEnd.compile(new Source("p.kiln", source));
    return KilnJit.listing(program, CallingConvention.SYSTEM_V);
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
    String fib = listing(FIB);
    int start = fib.indexOf("fn fib:");
    String entry = fib.substring(start, fib.indexOf("push", start));
    assertTrue(entry.contains("cmp    rcx,0x2") && entry.contains("ret"), fib); // n < 2: no frame
  }

  /**
   * fib keeps n and fib(n - 1) across calls: two saved registers, the rest handed over (compiled
   * without inlining, which would put a copy of fib in fib).
   */
  @Test
  void fibSavesOnlyTheTwoRegistersItKeepsAcrossCalls() throws Exception {
    String listing = Listings.withoutInlining(FIB);
    String fib = listing.substring(listing.indexOf("fn fib:"), listing.indexOf("fn main:"));
    assertEquals(2, fib.split("\\bpush\\b", -1).length - 1, fib);
    assertEquals(1, fib.split("\\bsub +r15", -1).length - 1, fib); // one count for both calls
    assertEquals(2, fib.split("\\bcall\\b", -1).length - 1, fib);
  }
}
