package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.opt.Thresholds;
import dev.kiln.cli.KilnCli;
import dev.kiln.vm.Limits;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inlined calls (the back end's Inlining) behave as calls: the depth limit counts them frame for
 * frame, at the same call and position as the interpreter, whether the inlined body makes real
 * calls or not. And the code shapes inlining is for: quicksort's swap and fib's recursion.
 */
class JitInliningTest {
  @TempDir Path dir;

  /**
   * main (frame 1) calls down(n) (frame 2), which recurses to down(0) (frame n + 2), which calls
   * outer (frame n + 3), which calls middle (n + 4), which calls inner (n + 5). middle and inner
   * are inlined into outer, and outer into down unless {@code padded}: then outer is too big to
   * inline and is a leaf function of its own.
   */
  private static String chain(int n, boolean padded) {
    String padding = padded ? "    let p = 0;\n" + "    p += x;\n".repeat(30) : "    let p = 0;\n";
    return """
        fn inner(x: int) -> int { return x + 1; }
        fn middle(x: int) -> int { return inner(x) * 2; }
        fn outer(x: int) -> int {
        %s    return middle(x) + middle(p) + p;
        }
        fn down(n: int) -> int {
            if n == 0 { return outer(1); }
            return down(n - 1);
        }
        fn main() { print("start"); print(down(%d)); }
        """.formatted(padding, n);
  }

  /**
   * Around the limit, where each call of the chain in turn is the one that fails: the interpreter
   * and the JIT stop at the same call with the same output, error and position, or both finish.
   */
  @ParameterizedTest
  @CsvSource({"5, false", "4, false", "3, false", "2, false", "1, false",
      "5, true", "4, true", "3, true", "2, true", "1, true"})
  void theDepthLimitCountsInlinedCallsAsCalls(int belowTheLimit, boolean padded) throws IOException {
    int n = Limits.MAX_CALL_DEPTH - belowTheLimit;
    KilnCli run = BothModes.assertSame(dir, chain(n, padded), belowTheLimit == 5 ? 0 : 3);
    assertTrue(run.stdout().startsWith("start\n"), run.stdout());
    int outerReturn = padded ? 35 : 5;
    String failing = switch (belowTheLimit) {
      case 4 -> "2:35"; // inner's call, in middle
      case 3 -> outerReturn + ":12"; // middle's call, in outer
      case 2 -> (outerReturn + 3) + ":24"; // outer's call, in down
      case 1 -> (outerReturn + 4) + ":12"; // down's call of itself
      default -> null;
    };
    if (failing != null) {
      assertTrue(run.stderr().endsWith("p.kiln:" + failing + ": runtime error: stack overflow\n"), run.stderr());
    }
  }

  /**
   * A function that inlines itself (two levels: a real call every third frame) overflows at the
   * same depth as the interpreter, whichever level the limit falls in: {@code enter} adds {@code
   * k} frames before {@code down} starts. (A {@code +} after the call would make either an
   * accumulating loop, {@link AccumulatorRecursionTest}; {@code 1 -} does not.)
   */
  @ParameterizedTest
  @CsvSource({"0", "1", "2"})
  void selfInlinedRecursionOverflowsAtTheInterpretersDepth(int k) throws IOException {
    int deepest = Limits.MAX_CALL_DEPTH - 3 - k; // frames: main, enter k+1 times, down deepest+1
    String source = """
        fn down(n: int, limit: int) -> int {
            if n == limit { return 0; }
            return 1 - down(n + 1, limit);
        }
        fn enter(k: int, limit: int) -> int {
            if k == 0 { return down(0, limit); }
            return 1 - enter(k - 1, limit);
        }
        fn main() { print(enter(%d, %d)); print(enter(%d, %d)); }
        """.formatted(k, deepest, k, deepest + 1);
    KilnCli run = BothModes.assertSame(dir, source, 3);
    assertEquals((deepest + k) % 2 + "\n", run.stdout());
    assertTrue(run.stderr().endsWith("p.kiln:3:16: runtime error: stack overflow\n"), run.stderr());
  }

  /**
   * quicksort's partition loop calls swap: inlined, no call to swap is left in quicksort, whose
   * calls of itself stay calls (the second, returned, a jump back to its start).
   */
  @Test
  void swapLeavesNoCallInQuicksort() throws Exception {
    String listing = Listings.of("""
        fn swap(a: int[], i: int, j: int) {
            let t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        fn quicksort(a: int[], lo: int, hi: int) {
            if lo >= hi { return; }
            let pivot = a[lo + (hi - lo) / 2];
            let i = lo;
            let j = hi;
            while i <= j {
                while a[i] < pivot { i += 1; }
                while a[j] > pivot { j -= 1; }
                if i <= j {
                    swap(a, i, j);
                    i += 1;
                    j -= 1;
                }
            }
            quicksort(a, lo, j);
            quicksort(a, i, hi);
        }
        fn main() { let a = new int[3]; a[0] = 3; quicksort(a, 0, 2); swap(a, 0, 1); print(a[0]); }
        """);
    String quicksort = Listings.function(listing, "quicksort", "main");
    assertEquals(0, Listings.count(quicksort, "call +0x[0-9a-f]+ <swap"), quicksort);
    assertEquals(1, Listings.count(quicksort, "call +0x[0-9a-f]+ <quicksort"), quicksort);
    assertTrue(listing.contains("; function @swap "), listing); // still compiled on its own
  }

  /**
   * fib inlines itself two levels deep: two copies of its body at its own calls and four at
   * theirs, whose eight calls of fib stay calls; main's call stays a call.
   */
  @Test
  void fibInlinesItselfTwoLevelsDeep() throws Exception {
    String listing = Listings.of("""
        fn fib(n: int) -> int {
            if n < 2 { return n; }
            return fib(n - 1) + fib(n - 2);
        }
        fn main() { print(fib(20)); }
        """);
    String fib = Listings.function(listing, "fib", "main");
    assertEquals(8, Listings.count(fib, "call +0x[0-9a-f]+ <fib>"), fib);
    assertEquals(1, Listings.count(main(listing), "call +0x"), listing);
  }

  /**
   * What is not inlined: a callee over the size budget, and functions on a cycle of calls with
   * another (each calls the other for real).
   */
  @Test
  void bigCalleesAndMutualRecursionStayCalls() throws Exception {
    String listing = Listings.of("""
        fn big(x: int) -> int {
        %s    return x;
        }
        fn even(n: int) -> bool { if n == 0 { return true; } return odd(n - 1); }
        fn odd(n: int) -> bool { if n == 0 { return false; } return even(n - 1); }
        fn main() { print(big(1), even(10)); }
        """.formatted("    x += 1;\n".repeat(Thresholds.INLINE_LOOP_BUDGET)));
    String main = main(listing);
    assertEquals(1, Listings.count(main, "call +0x[0-9a-f]+ <big>"), main);
    assertEquals(1, Listings.count(main, "call +0x[0-9a-f]+ <even>"), main);
    assertEquals(1, Listings.count(Listings.function(listing, "even", "odd"),
        "call +0x[0-9a-f]+ <odd>"), listing);
    assertEquals(1, Listings.count(Listings.function(listing, "odd", "main"),
        "call +0x[0-9a-f]+ <even>"), listing);
  }

  /**
   * Outside loops and recursion a call runs once per run of its caller: a callee over {@link
   * Thresholds#INLINE_BUDGET} stays a call there, and is inlined in the loop.
   */
  @Test
  void callsOutsideLoopsInlineOnlyTinyCallees() throws Exception {
    String listing = Listings.of("""
        fn tiny(x: int) -> int { return x * 3 + 1; }
        fn small(x: int) -> int {
            if x < 0 { x = -x; }
            let y = x * 3 + 1;
            let z = y ^ (x >> 2);
            return y + z * 5 - x / 7;
        }
        fn main() {
            let s = tiny(1) + small(2);
            for k in 0..3 { s += small(k); }
            print(s);
        }
        """);
    String main = main(listing);
    assertEquals(0, Listings.count(main, "call +0x[0-9a-f]+ <tiny>"), main);
    assertEquals(1, Listings.count(main, "call +0x[0-9a-f]+ <small>"), main);
  }

  /** The part of {@code listing} from function main on. */
  private static String main(String listing) {
    return listing.substring(listing.indexOf("; function @main "));
  }
}
