package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small ifs that set one variable compile to both arms and a cmov ({@link IfConversions}): the
 * Collatz step has no branch left, a variable in its frame cell is selected through a register,
 * and ifs that could fail, have effects, write two variables or have long arms stay branches.
 * (Their answers are tested in conformance/ifconversion, in both modes.)
 */
class IfConversionsTest {
  @TempDir Path dir;

  /** A conditional jump: a line whose instruction is j followed by a condition. */
  private static final Pattern CONDITIONAL_JUMP = Pattern.compile("(?m)^\\s+\\w+:\\s+(?:[0-9a-f]{2} )+\\s*j(?!mp)[a-z]+ ");

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

  @Test
  void theCollatzStepHasNoBranch() throws Exception {
    String listing = Listings.function(Listings.of(COLLATZ + "fn main() {}\n"), "chain_length", "main");
    int from = listing.indexOf("(if-converted)");
    int select = listing.indexOf("(if-converted: select)");
    assertTrue(from >= 0 && select > from, listing);
    int end = listing.indexOf('\n', listing.indexOf("cmovne", select));
    String converted = listing.substring(listing.lastIndexOf('\n', from), end);
    assertEquals(3, Listings.count(converted, "\\(if-converted\\)"), converted); // 3 * n is folded
    assertFalse(CONDITIONAL_JUMP.matcher(converted).find(), converted);
    assertEquals(1, Listings.count(listing, "cmov"), listing);
    // Left: the loop's entry test, its poll and its back edge.
    assertEquals(3, Listings.count(listing, CONDITIONAL_JUMP.pattern()), listing);
  }

  @Test
  void aVariableInItsFrameCellIsSelectedThroughARegister() throws Exception {
    StringBuilder source = new StringBuilder("fn crowded(x: int, y: int) -> int {\n");
    StringBuilder loop = new StringBuilder("    for t in 0..3 {");
    StringBuilder sum = new StringBuilder("x + y");
    for (int k = 0; k < 20; k++) {
      source.append("    let v").append(k).append(" = x * ").append(k + 2).append(";\n");
      sum.append(" + v").append(k);
      if (k < 18) {
        loop.append(" v").append(k).append(" += t;"); // busier than v18 and v19: in registers
      }
    }
    source.append(loop).append(" }\n").append("""
            if x < y { v18 = v1 - v2; } else { v18 = v3 + 1; }
            if x > y { v19 = v19 << 2; }
        """).append("    return ").append(sum).append(";\n}\nfn main() {}\n");
    String listing = Listings.of(source.toString());
    assertTrue(listing.contains("r20=mem r21=mem"), listing); // v18 and v19
    assertEquals(2, Listings.count(listing, "if-converted: select"), listing);
    // The triangle keeps the old value by a cmov from the frame cell (always valid to read).
    assertTrue(Pattern.compile("cmovle r\\w+,QWORD PTR \\[rsp").matcher(listing).find(), listing);
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
    assertEquals(0, Listings.count(Listings.withoutInlining(source), "cmov"));
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertEquals("0 3 0 3 243 2.0 1\n", run.stdout());
  }

  @Test
  void anIfWhoseJumpWouldBeATailCopyIsConvertedAndSoIsTheIfAfter() throws Exception {
    String source = """
        fn two(a: int, b: int) -> int {
            if a < b { a = b + 1; } else { a = a - 1; }
            if a >= b { b = a * 2; } else { b = a; }
            return a * 1000 + b;
        }
        fn main() { print(two(1, 2), two(2, 1), two(5, 5)); }
        """;
    String listing = Listings.function(Listings.withoutInlining(source), "two", "main");
    assertEquals(2, Listings.count(listing, "if-converted: select"), listing);
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertEquals("3006 1002 4004\n", run.stdout());
  }

  @Test
  void anArmThatNeedsBothScratchRegistersIsComputedFirst() throws Exception {
    String source = """
        fn mixed(x: int) -> int { let r = 0; if x < 0 { r = x / 4; } else { r = x % 8; } return r; }
        fn both(x: int) -> int { let r = 0; if x < 0 { r = x % 4; } else { r = x % 8; } return r; }
        fn main() {
            print(mixed(-9), mixed(-8), mixed(13), mixed(-9223372036854775807 - 1), mixed(9223372036854775807));
            print(both(-9), both(13));
        }
        """;
    String listing = Listings.withoutInlining(source);
    String mixed = Listings.function(listing, "mixed", "both");
    // The remainder, the arm the branch jumps to, uses rcx and rdx: it goes first, into rdx...
    int remainder = mixed.indexOf("REM_I_IMM (if-converted)");
    assertTrue(remainder >= 0 && remainder < mixed.indexOf("DIV_I_IMM (if-converted)"), mixed);
    // ...but two remainders would leave no register to hold the first one's value in.
    assertEquals(0, Listings.count(Listings.function(listing, "both", "main"), "cmov"));
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertEquals("-2 -2 5 -2305843009213693952 7\n-1 5\n", run.stdout());
  }
}
