package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An array element compared at once by a branch is compared in memory: with a register, a
 * folded constant, an immediate and a spilled operand, with the array and the index in registers
 * or spilled, and with the index out of bounds (the load's error, at its position).
 */
class LoadComparesTest {
  @TempDir Path dir;

  private static final String FUNCTIONS = """
      fn scan(a: int[], p: int) -> int {
          let i = 0;
          while a[i] < p { i += 1; }
          let z = 0;
          for k in 0..len(a) { if a[k] == 0 { z += 1; } if a[k] > 30 { z += 100; } }
          let c = 25;
          if a[1] >= c { z += 1000; }
          return i * 10000 + z;
      }
      fn crowded(a: int[], i: int, v1: int, v2: int) -> int {
          let v3 = v1 * 3; let v4 = v2 + v3; let v5 = v4 ^ v1; let v6 = v5 - v2; let v7 = v6 * 7;
          let v8 = v7 + v4; let v9 = v8 | v3; let v10 = v9 - v1; let v11 = v10 + v6; let v12 = v11 ^ v5;
          let n = 0;
          if a[i] < v12 { n += 1; }
          if a[i + 1] != v7 { n += 2; }
          return n + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11 + v12;
      }
      """;

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 3})
  void givesTheInterpretersOutcome(int index) throws IOException {
    String source = FUNCTIONS + """
        fn main() {
            let a = new int[4];
            a[0] = 5; a[1] = 0; a[2] = 40; a[3] = 10;
            print(scan(a, 20), scan(a, 3));
            print(crowded(a, %d, 3, -4));
        }
        """.formatted(index);
    KilnCli run = BothModes.assertSame(dir, source, index == 3 ? 3 : 0);
    assertTrue(run.stdout().startsWith("20101 101\n"), run.stdout());
    assertEquals(index == 3, run.stderr().contains("index out of bounds: index 4, length 4"), run.stderr());
  }

  @Test
  void theLoadIsFoldedIntoTheCompare() throws Exception {
    // while a[i] < p, in both copies of the loop's test (before the loop and at its back edge)
    String scan = Listings.function(Listings.of(FUNCTIONS + """
        fn main() { let a = new int[4]; print(scan(a, 20), crowded(a, 0, 3, -4)); }
        """), "scan", "crowded");
    assertEquals(2, Listings.count(scan, "cmp +QWORD PTR \\[r13\\+\\w+\\*1\\+0x[08]\\],\\w+"), scan);
  }
}
