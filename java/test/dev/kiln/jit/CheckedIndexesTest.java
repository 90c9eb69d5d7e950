package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An access to an element that the same array and index passed a bounds check for on the way
 * there is not checked again; one after a write of the index or the
 * array, or after a join, is. Errors keep their position and the output before them.
 */
class CheckedIndexesTest {
  @TempDir Path dir;

  private static final String FUNCTIONS = """
      fn swap(a: int[], i: int, j: int) { let t = a[i]; a[i] = a[j]; a[j] = t; }
      fn bump(v: float[], m: float[], i: int, j: int) {
          v[i] -= m[j] * 2.0;
          v[j] += m[j] * m[i];
      }
      fn moved(a: int[], i: int) -> int {
          let s = a[i];
          i = i + 2;
          return s + a[i];
      }
      fn swapped(a: int[], b: int[], i: int) -> int {
          let s = a[i];
          a = b;
          return s + a[i];
      }
      fn joined(a: int[], i: int, c: bool) -> int {
          let s = a[i];
          if c { i += 3; }
          return s + a[i];
      }
      """;

  /**
   * Each call, and whether it raises an index error: the same message and position in both modes
   * ({@link BothModes} compares stderr too), with the output before it.
   */
  @ParameterizedTest
  @CsvSource({
    "'swap(a, 1, 2)', false", "'swap(a, 1, 4)', true", "'swap(a, -1, 2)', true",
    "'bump(v, m, 0, 2)', false", "'bump(v, m, 0, 4)', true", "'bump(v, m, 4, 0)', true",
    "'moved(a, 1)', false", "'moved(a, 2)', true",
    "'swapped(a, b, 2)', false", "'swapped(a, b, 3)', true",
    "'joined(a, 0, false)', false", "'joined(a, 0, true)', false", "'joined(a, 1, true)', true",
  })
  void givesTheInterpretersOutcome(String call, boolean fails) throws IOException {
    boolean voidCall = call.startsWith("swap(") || call.startsWith("bump(");
    String source = FUNCTIONS + """
        fn main() {
            let a = new int[4];
            let b = new int[3];
            let v = new float[4];
            let m = new float[4];
            for k in 0..4 { a[k] = k * 10; v[k] = float(k); m[k] = 0.5 * float(k); }
            print("before");
            %s
            print(a[0], a[1], a[2], a[3], v[0], v[1], v[2], v[3]);
        }
        """.formatted(voidCall ? call + ";" : "print(" + call + ");");
    KilnCli run = BothModes.assertSame(dir, source, fails ? 3 : 0);
    assertTrue(run.stdout().startsWith("before\n"), run.stdout());
    assertEquals(fails, run.stderr().contains("runtime error: index out of bounds"), run.stderr());
  }

  @Test
  void aRepeatedAccessIsCheckedOnce() throws Exception {
    String listing = Listings.of(FUNCTIONS + """
        fn main() {
            let a = new int[4];
            let v = new float[4];
            let m = new float[4];
            swap(a, 1, 2);
            bump(v, m, 0, 2);
            print(moved(a, 1), swapped(a, new int[3], 2), joined(a, 0, false));
        }
        """);
    assertEquals(2, checks(listing, "swap", "bump")); // a[i] and a[j], loaded and then stored
    assertEquals(4, checks(listing, "bump", "moved")); // v[i], m[j], v[j], m[i]
    assertEquals(2, checks(listing, "moved", "swapped"));
    assertEquals(2, checks(listing, "swapped", "joined"));
    assertEquals(2, checks(listing, "joined", "main"));
  }

  /** The bounds checks in function {@code name}: compares of an index with a length. */
  private static int checks(String listing, String name, String next) {
    return Listings.count(Listings.function(listing, name, next), "\\bjae\\b");
  }
}
