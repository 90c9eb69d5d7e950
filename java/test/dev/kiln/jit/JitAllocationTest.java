package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.backend.CompileOptions;
import dev.kiln.bytecode.Program;
import dev.kiln.cli.KilnCli;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Output;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays in compiled code ({@link BothModes}): made by the {@code Heap} through an upcall. A
 * function that allocates but returns no array frees its arrays on return (a load of the heap's
 * mark at entry, a store of it before each return). So memory is reused exactly as the
 * interpreter reuses it, zero-filled, while the cap still counts every array, and the errors
 * (negative size, out of memory) are the interpreter's.
 */
class JitAllocationTest {
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

  private static final String SMALL = """
      fn small(n: int, i: int) -> int {
          let a = new int[n];
          let old = a[n - 1];
          a[n - 1] = i;
          return old + len(a);
      }
      """;

  @Test
  void smallArraysAreZeroWhenReusedAndTheBoundaryLengthsAgree() throws IOException {
    // Lengths 1 to 20, both ways, into memory the calls before used.
    KilnCli run = BothModes.assertSame(dir, SMALL + """
        fn main() {
            let s = 0;
            for r in 0..50 { for n in 1..21 { s += small(n, r + 7); } }
            let empty = new int[0];
            print(s, len(empty), len(new float[16]), len(new float[17]));
        }
        """, 0);
    assertEquals("10500 0 16 17\n", run.stdout()); // 50 rounds of 1 + 2 + ... + 20
  }

  @Test
  void aNegativeSizeIsTheInterpretersError() throws IOException {
    KilnCli run = BothModes.assertSame(dir, SMALL + """
        fn main() {
            print(small(3, 1));
            print(small(3 - 4, 1));
        }
        """, 3);
    assertEquals("3\n", run.stdout());
    assertTrue(run.stderr().contains("2:13: runtime error: negative array size"), run.stderr());
  }

  @Test
  void smallArraysCountAgainstTheCapToo() throws IOException {
    // 8 elements and a length word are 72 bytes: the 14,564th array passes 1 MiB.
    KilnCli run = BothModes.assertSame(dir, """
        fn main() {
            let s = 0;
            for i in 0..20000 {
                let a = new int[8];
                a[7] = i;
                s += a[7];
                if i % 1000 == 0 { print(i); }
            }
            print(s);
        }
        """, 3, "--max-memory=1");
    assertTrue(run.stdout().endsWith("14000\n"), run.stdout());
    assertTrue(run.stderr().contains("4:17: runtime error: out of memory"), run.stderr());
  }

  @Test
  void theHeapTakesBackWhatCompiledCodeAllocated() throws Exception {
    // Four arrays: 8 + 8 * 100 + 3 * (8 + 8 * 4) bytes.
    Program program = FrontEnd.compile(new Source("p.kiln", """
        fn main() {
            let big = new int[100];
            let a = new int[4]; let b = new float[4]; let c = new int[4];
            print(len(a) + len(b) + len(c) + len(big));
        }
        """));
    StringWriter printed = new StringWriter();
    try (Heap heap = new Heap(1 << 20)) {
      KilnJit.run(program, new CompileOptions(), heap, new Output(printed), Deadline.none(),
          refusal -> fail(refusal), 0);
      assertEquals((1 << 20) - 3 * 40 - 808, heap.budget());
      assertEquals(3 * 40 + 808, heap.mark());
      assertEquals(3 * 40 + 808, heap.dirty());
    }
  }

  @Test
  void marksAreALoadAndAStoreNotUpcalls() throws Exception {
    String scratch = Listings.function(
        Listings.of(FUNCTIONS + "fn main() { print(twice(3)); }\n"), "scratch", "twice");
    assertEquals(1, Listings.count(scratch, "call +rax"), scratch); // new's upcall only
    assertEquals(1, Listings.count(scratch, "= load.i64 \\$heap_state "), scratch);
    assertEquals(1, Listings.count(scratch, "store.i64 \\w+, \\$heap_state "), scratch);
  }
}
