package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import dev.kiln.vm.Limits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Accumulating returns made loop iterations (the back end's TailRecursion): each iteration is
 * still a frame for the depth limit, in a function that stays a leaf and in one whose real calls
 * see the depth its iterations took; and the shapes: what becomes a loop and what does not.
 */
class AccumulatorRecursionTest {
  /** Enough code that the JIT does not inline the function into itself. */
  private static final String PADDING = """
          let a = n * 3 + 1;
          let b = a % 7;
          if b == 100 { print(b); }
          let c = b * b - a;
          if c == 1000 { print(c); }
      """;

  @TempDir Path dir;

  /**
   * main (frame 1) calls walk(0) (frame 2), whose iterations are frames 3 to limit + 2, limit =
   * MAX - 2 - {@code belowTheLimit}; at the bottom, with {@code calls}, walk calls probe(3), whose
   * recursion takes 4 frames more (probe subtracts, which is no accumulation: it makes real
   * calls, which see the depth walk's iterations took). Around the limit each of these in turn is
   * the one that fails ({@code failing}, line:column), or none does.
   */
  @ParameterizedTest
  @CsvSource({"5, true, ", "4, true, ", "3, true, 3:12", "2, true, 3:12", "1, true, 3:12",
      "0, true, 6:28", "-1, true, 12:16", "1, false, ", "0, false, ", "-1, false, 12:16",
      "-2, false, 12:16"})
  void iterationsCountAsFramesAtTheLimit(int belowTheLimit, boolean calls, String failing)
      throws Exception {
    int limit = Limits.MAX_CALL_DEPTH - 2 - belowTheLimit;
    String source = """
        fn probe(k: int) -> int {
            if k == 0 { return 0; }
            return probe(k - 1) - 1;
        }
        fn walk(n: int, limit: int) -> int {
            if n == limit { return %s; }
        %s    return 2 + walk(n + 1, limit);
        }
        fn main() { print("start"); print(walk(0, %d)); }
        """.formatted(calls ? "probe(3)" : "n", PADDING, limit);
    String walk = Listings.function(Listings.of(source), "walk", "main");
    assertEquals(0, Listings.count(walk, "call +0x[0-9a-f]+ <walk>"), walk);
    KilnCli run = BothModes.assertSame(dir, source, failing == null ? 0 : 3);
    if (failing == null) {
      assertEquals("start\n" + (2L * limit + (calls ? -3 : limit)) + "\n", run.stdout());
    } else {
      assertEquals("start\n", run.stdout());
      assertTrue(run.stderr().endsWith("p.kiln:" + failing + ": runtime error: stack overflow\n"),
          run.stderr());
    }
  }

  /**
   * fib too long to inline itself: the first call's result accumulates, so fib is a loop that
   * makes one real call of itself per iteration, for the second.
   */
  @Test
  void aLongFibIsALoopAroundItsSecondCall() throws Exception {
    String listing = Listings.function(Listings.of("""
        fn fib(n: int) -> int {
            if n < 2 { return n; }
        %s    return fib(n - 1) + fib(n - 2);
        }
        fn main() { print(fib(20)); }
        """.formatted(PADDING)), "fib", "main");
    assertEquals(1, Listings.count(listing, "call +0x[0-9a-f]+ <fib>"), listing);
    assertEquals(1, Listings.count(listing, "cmp +BYTE PTR \\[r15\\],0x0 +; jump "), listing);
  }

  /**
   * A sum as a loop: the iteration's depth check, the accumulation, the back edge, which polls;
   * the levels go back once, before the return.
   */
  @Test
  void sumIsALoopThatPollsAndGivesItsLevelsBack() throws Exception {
    String listing = Listings.function(Listings.of("""
        fn sum(n: int) -> int {
            if n == 0 { return 0; }
            return n + sum(n - 1);
        }
        fn main() { print(sum(20)); }
        """), "sum", "main");
    assertEquals(0, Listings.count(listing, "call +0x"), listing);
    assertEquals(1, Listings.count(listing, "; depth_enter 1 "), listing);
    assertEquals(1, Listings.count(listing, "depth_leave"), listing);
    assertEquals(1, Listings.count(listing, "cmp +BYTE PTR \\[r15\\],0x0 +; jump "), listing);
  }

  /**
   * fib as it is: the JIT inlines it into itself, two levels deep, instead: its eight calls of
   * itself stay calls.
   */
  @Test
  void smallFibInlinesItselfInstead() throws Exception {
    String listing = Listings.of("""
        fn fib(n: int) -> int {
            if n < 2 { return n; }
            return fib(n - 1) + fib(n - 2);
        }
        fn main() { print(fib(20)); }
        """);
    assertEquals(8, Listings.count(Listings.function(listing, "fib", "main"),
        "call +0x[0-9a-f]+ <fib>"), listing);
  }

  /** A sum and a product of a recursion become loops without any call. */
  @Test
  void singleAccumulatingCallsLeaveNoCall() throws Exception {
    String listing = Listings.of("""
        fn sum(n: int) -> int {
            if n == 0 { return 0; }
            return n + sum(n - 1);
        }
        fn fact(n: int) -> int {
            if n <= 1 { return 1; }
            return fact(n - 1) * n;
        }
        fn main() { print(sum(10)); print(fact(10)); }
        """);
    assertEquals(0, Listings.count(Listings.function(listing, "sum", "fact"), "call +0x"), listing);
    assertEquals(0, Listings.count(Listings.function(listing, "fact", "main"), "call +0x"), listing);
  }

  /**
   * Not accumulations: a subtraction, a float sum, an operand computed after the call, mutual
   * recursion; each keeps its calls.
   */
  @Test
  void otherRecursionsKeepTheirCalls() throws Exception {
    String listing = Listings.of("""
        fn twice(n: int) -> int { return n * 2; }
        fn minus(n: int) -> int {
            if n == 0 { return 0; }
            return n - minus(n - 1);
        }
        fn floats(n: int) -> float {
            if n == 0 { return 0.0; }
            return 1.5 + floats(n - 1);
        }
        fn after(n: int) -> int {
            if n == 0 { return 0; }
            return after(n - 1) + twice(n) * 3;
        }
        fn even(n: int) -> int {
            if n == 0 { return 1; }
            return 1 + odd(n - 1);
        }
        fn odd(n: int) -> int {
            if n == 0 { return 0; }
            return 1 + even(n - 1);
        }
        fn main() { print(minus(9), floats(9), after(9), even(9)); }
        """);
    assertEquals(1, Listings.count(Listings.function(listing, "minus", "floats"),
        "call +0x[0-9a-f]+ <minus>"), listing);
    assertEquals(1, Listings.count(Listings.function(listing, "floats", "after"),
        "call +0x[0-9a-f]+ <floats>"), listing);
    assertEquals(1, Listings.count(Listings.function(listing, "after", "even"),
        "call +0x[0-9a-f]+ <after>"), listing);
    assertEquals(1, Listings.count(Listings.function(listing, "even", "odd"),
        "call +0x[0-9a-f]+ <odd>"), listing);
  }
}
