package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A division by 2^k on the path where a test found the dividend's low k bits zero is one {@code
 * sar} (the back end's LowBitFacts); everywhere else it keeps the bias that rounds negative dividends
 * toward zero. Every shape gives the interpreter's answers for both signs and the edge values.
 */
class ExactDivisionTest {
  @TempDir Path dir;

  private static final long[] VALUES = {
    0, 1, -1, 2, -2, 3, -3, 6, -6, 7, -7, 8, -8, 12, -12, 1024, -1024, -1025, 3L << 40,
    Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE + 8
  };

  private static String program() {
    StringBuilder sb = new StringBuilder("""
        fn halve(n: int) -> int { if n % 2 == 0 { n = n / 2; } else { n = 3 * n + 1; } return n; }
        fn taken(n: int) -> int { if n % 4 != 0 { return 0; } return n / 4; }
        fn jumpedTo(n: int) -> int { let r = 1; if n & 7 == 0 { r = n / 8; } else { r = n / 2; } return r; }
        fn wider(n: int) -> int { if n % 2 == 0 { return n / 4; } return n / 2; }
        fn masked(n: int) -> int { if n & 12 == 0 { return n / 4; } return -1; }
        fn written(n: int) -> int { if n % 2 == 0 { n = n + 1; return n / 2; } return 0; }
        fn joined(n: int) -> int {
            if n % 2 == 0 { print("even"); } else { n = n - 1; }
            return n / 2;
        }
        fn looped(n: int) -> int {
            let s = 0;
            while n % 2 == 0 && n != 0 { n = n / 2; s += 1; }
            return s * 1000 + n / 2;
        }
        fn main() {
        """);
    for (long v : VALUES) {
      String lit = v == Long.MIN_VALUE ? "(-9223372036854775807 - 1)" : "(" + v + ")";
      sb.append("    print(halve(%1$s), taken(%1$s), jumpedTo(%1$s), wider(%1$s), masked(%1$s), written(%1$s), joined(%1$s), looped(%1$s));\n".formatted(lit));
    }
    return sb.append("}\n").toString();
  }

  @Test
  void givesTheInterpretersAnswers() throws IOException {
    KilnCli run = BothModes.assertSame(dir, program(), 0);
    assertTrue(run.stdout().startsWith("even\n0 0 0 0 0 0 0 0\n"), run.stdout());
  }

  @Test
  void aDivisionOfAKnownMultipleIsOneShift() throws Exception {
    String listing = Listings.of(program());
    assertEquals(0, count(function(listing, "halve", "taken"), "shr"));
    assertEquals(0, count(function(listing, "taken", "jumpedTo"), "shr"));
    assertEquals(1, count(function(listing, "jumpedTo", "wider"), "shr")); // n / 2 after n & 7 != 0
    assertEquals(2, count(function(listing, "wider", "masked"), "shr")); // n / 4 knows 1 bit, n / 2 none
    assertEquals(1, count(function(listing, "masked", "written"), "shr")); // bits 2 and 3, not 0 and 1
    assertEquals(1, count(function(listing, "written", "joined"), "shr"));
    assertEquals(1, count(function(listing, "joined", "looped"), "shr"));
    assertEquals(1, count(function(listing, "looped", "main"), "shr")); // the loop's n / 2 is exact
  }

  private static String function(String listing, String name, String next) {
    return Listings.function(listing, name, next);
  }

  private static int count(String text, String mnemonic) {
    return Listings.count(text, "\\b" + mnemonic + "\\b");
  }
}
