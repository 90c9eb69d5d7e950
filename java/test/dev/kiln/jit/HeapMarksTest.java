package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.KilnCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function that allocates but returns no array frees its arrays on return ({@code HEAP_MARK}
 * at entry, {@code HEAP_FREE} before each return). In compiled code both are one move of the
 * mark kept in the context block, not an upcall, and the {@code new} upcall between them hands
 * the mark to the heap and takes the new one back: memory is reused exactly as the interpreter
 * reuses it, zero-filled, while the cap still counts every array.
 */
class HeapMarksTest {
  @TempDir Path dir;

  private static final String FUNCTIONS = """
      fn scratch(i: int) -> int {
          let a = new int[1000];
          let old = a[i % 1000];
          a[i % 1000] = i;
          a[999] = a[999] + 1;
          return old + a[999];
      }
      fn twice(i: int) -> int {
          let b = new float[3];
          return scratch(i) + scratch(i + 1) + len(b);
      }
      """;

  @Test
  void reusedMemoryIsZeroAgainInBothModes() throws IOException {
    // 3,000 calls of 8 KB arrays: 24 MB made in all, within a 64 MiB cap, in ~8 KB of memory.
    KilnCli run = BothModes.assertSame(dir, FUNCTIONS + """
        fn main() {
            let s = 0;
            for i in 0..1000 { s += twice(i) + scratch(i); }
            print(s);
        }
        """, 0, "--max-memory=64");
    // With every array zero when made, scratch(j) is 1, or j + 1 when j % 1000 == 999 (its two
    // stores hit the same element): 1999 for each of the three sweeps, plus 3 per twice().
    assertEquals("8997\n", run.stdout());
  }

  @Test
  void theCapStillCountsEveryArray() throws IOException {
    // 200 calls of 8 KB arrays is ~1.6 MB made: past a 1 MiB cap, although at most 8 KB is live.
    KilnCli run = BothModes.assertSame(dir, FUNCTIONS + """
        fn main() {
            let s = 0;
            for i in 0..200 { s += scratch(i); }
            print(s);
        }
        """, 3, "--max-memory=1");
    assertTrue(run.stderr().contains("2:13: runtime error: out of memory"), run.stderr());
  }

  @Test
  void marksAreMovesNotUpcalls() throws Exception {
    String scratch = Listings.function(Listings.of(FUNCTIONS + "fn main() {}\n"), "scratch", "twice");
    assertEquals(1, Listings.count(scratch, "call   QWORD PTR"), scratch); // new's upcall only
    assertEquals(1, Listings.count(scratch, "QWORD PTR \\[r13\\+0x48\\]    ; \\d+ HEAP_MARK"), scratch);
    assertEquals(1, Listings.count(scratch, "mov    QWORD PTR \\[r13\\+0x48\\],\\w+    ; \\d+ HEAP_FREE"),
        scratch);
  }
}
