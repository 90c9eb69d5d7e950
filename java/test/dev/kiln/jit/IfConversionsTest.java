package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.cli.KilnCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small ifs that set variables compile to both arms and a select, a cmov (the back end's
 * IfConversion): the Collatz step has no branch left, and ifs that could fail, have effects,
 * call or have long arms stay branches. (Their answers are tested in conformance/ifconversion,
 * in every mode.)
 */
class IfConversionsTest {
  @TempDir Path dir;

  private static final String COLLATZ = """
      fn chain_length(n: int) -> int {
          let steps = 1;
          while n != 1 {
              if n % 2 == 0 { n = n / 2; } else { n = 3 * n + 1; }
              steps += 1;
          }
          return steps;
      }
      """;

  /** The step's if is one select of both arms' values. */
  @Test
  void theCollatzStepHasNoBranch() throws Exception {
    String listing = Listings.function(
        Listings.of(COLLATZ + "fn main() { print(chain_length(27)); }\n"), "chain_length", "main");
    assertEquals(1, Listings.count(listing, "= select "), listing);
    assertEquals(1, Listings.count(listing, "\\bcmov"), listing);
  }

  @Test
  void ifsThatCouldFailOrHaveEffectsStayBranches() throws Exception {
    String source = """
        fn divides(a: int, b: int) -> int { let r = 0; if a < b { r = a / b; } else { r = 1; } return r; }
        fn prints(a: int) -> int { let r = a; if a < 0 { print(a); } return r; }
        fn indexes(a: int[], i: int) -> int { let r = 0; if i < 3 { r = a[i]; } return r; }
        fn both(a: int, b: int) -> int { if a < b { a = 1; b = 2; } return a + b; }
        fn long(a: int, b: int) -> int {
            let r = 0;
            if a < b { r = ((((a * 3) + 1) * 5) + 7) * 9; } else { r = b; }
            return r;
        }
        fn floats(x: float, y: float) -> float { let r = x; if x < y { r = y; } return r; }
        fn calls(a: int) -> int { let r = 0; if a < 2 { r = long(a, 1); } return r; }
        fn main() { let a = new int[4]; print(divides(1, 2), prints(3), indexes(a, 1), both(1, 2), long(1, 2), floats(1.0, 2.0), calls(1)); }
        """;
    String listing = Listings.of(source);
    for (String[] f : new String[][] {{"divides", "prints"}, {"prints", "indexes"},
        {"indexes", "both"}, {"long", "floats"}, {"calls", "main"}}) {
      assertEquals(0, Listings.count(Listings.function(listing, f[0], f[1]), "= select "), f[0]);
    }
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertEquals("0 3 0 3 243 2.0 1\n", run.stdout());
  }

  @Test
  void twoIfsInARowAreBothConverted() throws Exception {
    String source = """
        fn two(a: int, b: int) -> int {
            if a < b { a = b + 1; } else { a = a - 1; }
            if a >= b { b = a * 2; } else { b = a; }
            return a * 1000 + b;
        }
        fn main() { print(two(1, 2), two(2, 1), two(5, 5)); }
        """;
    String listing = Listings.function(Listings.of(source), "two", "main");
    assertEquals(2, Listings.count(listing, "= select "), listing);
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertEquals("3006 1002 4004\n", run.stdout());
  }

  @Test
  void armsThatDivideGiveTheInterpretersAnswers() throws Exception {
    String source = """
        fn mixed(x: int) -> int { let r = 0; if x < 0 { r = x / 4; } else { r = x % 8; } return r; }
        fn both(x: int) -> int { let r = 0; if x < 0 { r = x % 4; } else { r = x % 8; } return r; }
        fn main() {
            print(mixed(-9), mixed(-8), mixed(13), mixed(-9223372036854775807 - 1), mixed(9223372036854775807));
            print(both(-9), both(13));
        }
        """;
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertEquals("-2 -2 5 -2305843009213693952 7\n-1 5\n", run.stdout());
  }
}
