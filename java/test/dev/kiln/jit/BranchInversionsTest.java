package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code if c { break; }} and {@code if c { continue; }} are a conditional branch over a jump,
 * a branch the JIT may invert: for every kind of condition, NaN operands of float comparisons
 * included, the loops stop where the interpreter's do.
 */
class BranchInversionsTest {
  @TempDir Path dir;

  private static final String FUNCTIONS = """
      fn ints(n: int, m: int) -> int {
          let k = 0;
          while true { k += 1; if k * k >= n { break; } if k > m { break; } }
          return k;
      }
      fn floats(x: float, y: float) -> int {
          let k = 0;
          while k < 100 {
              k += 1;
              if x < y { break; }
              if !(x <= y) { if x == y { break; } }
              if x != y { if k > 50 { break; } }
              x = x * 0.5;
          }
          return k;
      }
      fn flags(b: bool, n: int) -> int {
          let s = 0;
          for i in 0..n { if b { continue; } if i & 3 == 0 { continue; } s += i; }
          let t = 0;
          for i in 0..n { t += i; if t > 20 { break; } }
          return s * 1000 + t;
      }
      """;

  @Test
  void givesTheInterpretersAnswers() throws IOException {
    String source = FUNCTIONS + """
        fn main() {
            print(ints(50, 100), ints(50, 3), ints(-1, 0));
            print(floats(1.0, 2.0), floats(8.0, 1.0), floats(0.0 / 0.0, 1.0), floats(1.0, 0.0 / 0.0));
            print(floats(-0.0, 0.0), floats(1.0 / 0.0, 1.0 / 0.0), flags(true, 9), flags(false, 9));
        }
        """;
    KilnCli run = BothModes.assertSame(dir, source, 0);
    assertTrue(run.stdout().startsWith("8 4 1\n"), run.stdout());
  }

}
