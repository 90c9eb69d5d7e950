package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code x % 2^k == 0} and {@code x & m == 0} compile to one {@code test} when the remainder or
 * mask is used by nothing else, and give the interpreter's answers for every sign and edge value,
 * including where the same temporary is reused later, the result stays live, or the operand is
 * itself a temporary computed just before.
 */
class ZeroTestFusionTest {
  @TempDir Path dir;

  private static final long[] VALUES = {
    0, 1, -1, 2, -2, 3, -3, 6, -6, 1024, -1024, 1 << 30, -(1 << 30), 3L << 40,
    Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1
  };

  private static String program() {
    StringBuilder sb = new StringBuilder("""
        fn even(x: int) -> bool { if x % 2 == 0 { return true; } return false; }
        fn checks(x: int) -> int {
            let c = 0;
            if x % 4 == 0 { c += 1; }
            if x % 1024 != 0 { c += 10; }
            if x % 1073741824 == 0 { c += 100; }
            if x & 6 == 0 { c += 1000; }
            if x & -8 != 0 { c += 10000; }
            let r = x % 8;
            if r == 0 { c += 100000; }
            return c + r;
        }
        fn computed(a: int, b: int) -> int {
            let c = 0;
            if ((a + b) & 4) == 0 { c = 1; }
            if ((a * b) % 8) != 0 { c += 10; }
            return c;
        }
        fn halvings(x: int) -> int {
            let n = 0;
            while x != 0 && x % 2 == 0 { x = x / 2; n += 1; }
            return n;
        }
        fn main() {
        """);
    for (long v : VALUES) {
      String lit = v == Long.MIN_VALUE ? "(-9223372036854775807 - 1)" : Long.toString(v);
      sb.append("    print(even(").append(lit).append("), checks(").append(lit).append("), halvings(")
          .append(lit).append("), computed(").append(lit).append(", 3));\n");
    }
    return sb.append("}\n").toString();
  }

  @Test
  void givesTheInterpretersAnswers() throws IOException {
    KilnCli run = BothModes.assertSame(dir, program(), 0);
    assertTrue(run.stdout().startsWith("true 101101 0 1\n"), run.stdout()); // 0 passes every == 0 test
  }

  @Test
  void aRemainderOnlyComparedWithZeroIsOneTest() throws Exception {
    String listing = Listings.of(program());
    String even = Listings.function(listing, "even", "checks");
    assertEquals(1, Listings.count(even, "\\btest +\\w+,0x1\\b"), even);
    assertFalse(even.contains("sar"), even);
    String checks = Listings.function(listing, "checks", "computed");
    assertEquals(5, Listings.count(checks, "\\btest +\\w+,0x"), checks); // r = x % 8 stays a value
  }
}
