package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Float arguments and results between compiled functions: every mix of int and float parameters, stack arguments, guard clauses of float functions,
 * results used as arguments at once, and bit patterns (-0.0, NaN, infinities) arrive intact.
 */
class FloatConventionTest {
  @TempDir Path dir;

  private static final String PROGRAM = """
      fn mix(a: float, n: int, b: float, m: int, c: float) -> float {
          return a * 2.0 + float(n) - b / 4.0 + float(m) * c;
      }
      fn second(n: int, b: float) -> float { return b - float(n); }
      fn swapped(a: float, b: float) -> float { return b / a; }
      fn guarded(n: int, m: int, b: float) -> float { if n < 1 { return b; } return guarded(n - 1, m, b * 3.0); }
      fn constant(n: int, b: float) -> float { if n > m2() { return 0.0; } return b; }
      fn m2() -> int { return 2; }
      fn first(a: float) -> float { if a != a { return -1.0; } return a; }
      fn sign(x: float) -> int { if x < 0.0 { return -1; } if x > 0.0 { return 1; } return 0; }
      fn depth(a: float, b: float, d: int) -> float {
          if d <= 0 { return a - b; }
          return depth(b, a + 1.0, d - 1) * 0.5;
      }
      fn main() {
          print(mix(1.5, 2, 8.0, 3, -0.5), second(4, 0.25), swapped(4.0, 1.0));
          print(guarded(3, 0, 1.5), constant(3, 2.5), constant(1, 2.5));
          print(first(0.0 / 0.0), first(-0.0), first(1.0 / 0.0), first(-(1.0 / 0.0)));
          print(swapped(swapped(2.0, 3.0), first(7.0)), depth(1.0, 2.0, 5), depth(depth(0.5, 0.25, 2), -0.0, 3));
          print(sign(-0.0), sign(first(-(0.0 / 0.0))), 1.0 / first(-0.0));
      }
      """;

  @Test
  void givesTheInterpretersAnswers() throws IOException {
    KilnCli run = BothModes.assertSame(dir, PROGRAM, 0);
    assertTrue(run.stdout().startsWith("1.5 -3.75 0.25\n40.5 0.0 2.5\n-1.0 -0.0 Infinity -Infinity\n"),
        run.stdout());
  }

}
