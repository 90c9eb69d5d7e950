package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loop conditions the JIT may copy to the loop's entry and back edge: with zero tests, float
 * comparisons and for-loop counters, an array access whose bounds check fails in a copy (same
 * error, same position, the output before it kept), and values handed between the copied
 * instructions.
 */
class TailCopiesTest {
  @TempDir Path dir;

  private static final String FUNCTIONS = """
      fn steps(n: int) -> int {
          let s = 1;
          // The else-block writes n twice.
          while n != 1 { if n % 2 == 0 { n = n / 2; } else { n = 3 * n; n += 1; } s += 1; }
          return s;
      }
      fn scan(a: int[], n: int) -> int {
          let i = 0;
          let s = 0;
          while i < n {
              if i % 3 == 0 { s += 1; } else { s -= 1; s -= 1; } // a branch: two writes
              let t = a[i];
              s += t;
              i += 1;
          }
          return s;
      }
      fn halvings(x: float, y: float) -> int {
          let k = 0;
          while x != y { if k > 40 { break; } x = x * 0.5; k += 1; }
          return k;
      }
      fn counted(n: int) -> int {
          let s = 0;
          for i in 0..n { if i & 1 == 0 { s += i; } else { s -= 1; } }
          return s;
      }
      fn evens(n: int) -> int {
          let k = 0;
          while n % 2 == 0 && n != 0 { n = n / 2; k += 1; }
          return k;
      }
      """;

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 4, 5})
  void givesTheInterpretersOutcome(int scanned) throws IOException {
    String source = FUNCTIONS + """
        fn main() {
            let a = new int[4];
            for k in 0..4 { a[k] = k * 7; }
            print(steps(27), steps(1), halvings(1.0, 0.0), halvings(0.0 / 0.0, 1.0), halvings(8.0, 1.0));
            print(counted(10), counted(-3), evens(96), evens(-40), evens(0), evens(7));
            print(scan(a, %d));
        }
        """.formatted(scanned);
    KilnCli run = BothModes.assertSame(dir, source, scanned > 4 ? 3 : 0);
    assertTrue(run.stdout().startsWith("112 1 41 41 3\n15 0 5 3 0 0\n"), run.stdout());
    assertEquals(scanned > 4, run.stderr().contains("p.kiln:12:18: runtime error: index out of bounds"),
        run.stderr());
  }

}
