package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.backend.Engines;
import dev.kiln.ir.Instance;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import org.junit.jupiter.api.Test;

class LoopBoundsChecksTest {
  private static final Pass LOOP_BCE = new LoopBoundsChecks();

  /** {@code for i in start..n { a[i] = i }}, the array's length word at {@code [a]}. */
  private static final String COUNTED = """
      memory $m 800
      function @f(i64, i64, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64):
          v3 = iconst 1
          jump block1(v1)
      block1(v4: i64):
          v5 = load.i64 $m [v0] @1
          bounds_check v4, v5 @1
          store.i64 v4, $m [v0 + v4*8 + 8] @1
          v6 = iadd v4, v3
          v7 = icmp slt v6, v2 @2
          brif v7, block1(v6), block2 @2
      block2:
          return v3
      }
      """;

  @Test
  void versionsACountedLoopOnTheLengthLoadedOnceBehindAGuard() {
    assertPasses(COUNTED, """
        memory $m 800
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = iconst 792
            v6 = icmp ule v0, v5 @2
            brif v6, block2, block7(v4) @2
        block2:
            v7 = load.i64 $m [v0] inbounds @1
            v8 = iconst 0
            v9 = icmp sge v4, v8 @2
            brif v9, block3, block7(v4) @2
        block3:
            v10 = iconst 2147483647
            v11 = icmp ule v7, v10 @2
            brif v11, block4, block7(v4) @2
        block4:
            v12 = icmp sle v2, v7 @2
            brif v12, block5, block7(v4) @2
        block5:
            v13 = icmp slt v4, v7 @2
            brif v13, block6(v4), block7(v4) @2
        block6(v14: i64):
            store.i64 v14, $m [v0 + v14*8 + 8] @1
            v15 = iadd v14, v3
            v16 = icmp slt v15, v2 @2
            brif v16, block6(v15), block8 @2
        block7(v17: i64):
            v18 = load.i64 $m [v0] @1
            bounds_check v17, v18 @1
            store.i64 v17, $m [v0 + v17*8 + 8] @1
            v19 = iadd v17, v3
            v20 = icmp slt v19, v2 @2
            brif v20, block7(v19), block8 @2
        block8:
            return v3
        }
        """, LOOP_BCE);
  }

  @Test
  void versionsAHeaderTestedLoopWithAnInvariantStepGuardedPositiveAndSmall() {
    assertPasses("""
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            jump block1(v1)
        block1(v4: i64):
            v5 = icmp sle v4, v2 @2
            brif v5, block2, block3 @2
        block2:
            bounds_check v4, v3 @1
            v6 = iadd v4, v0
            jump block1(v6)
        block3:
            return v1
        }
        """, """
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            jump block1(v1)
        block1(v4: i64):
            v5 = iconst 0
            v6 = icmp sge v4, v5 @2
            brif v6, block2, block7(v4) @2
        block2:
            v7 = iconst -1
            v8 = iadd v0, v7 @2
            v9 = iconst 2147483647
            v10 = icmp ule v8, v9 @2
            brif v10, block3, block7(v4) @2
        block3:
            v11 = iconst 2147483647
            v12 = icmp ule v3, v11 @2
            brif v12, block4, block7(v4) @2
        block4:
            v13 = icmp slt v2, v3 @2
            brif v13, block5(v4), block7(v4) @2
        block5(v14: i64):
            v15 = icmp sle v14, v2 @2
            brif v15, block6, block9 @2
        block6:
            v16 = iadd v14, v0
            jump block5(v16)
        block7(v17: i64):
            v18 = icmp sle v17, v2 @2
            brif v18, block8, block9 @2
        block8:
            bounds_check v17, v3 @1
            v19 = iadd v17, v0
            jump block7(v19)
        block9:
            return v1
        }
        """, LOOP_BCE);
  }

  @Test
  void keepsLoopsWhoseIndexOrLengthItCannotBound() {
    String kept = """
        memory $m 800
        function @down(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst -1
            jump block1(v1)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            bounds_check v4, v5
            v6 = iadd v4, v3
            v7 = icmp slt v6, v2
            brif v7, block1(v6), block2
        block2:
            return v3
        }
        function @data(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            bounds_check v4, v5
            v6 = load.i64 $m [v0 + v4*8 + 8]
            v7 = iadd v4, v3
            v8 = icmp slt v6, v2
            brif v8, block1(v7), block2
        block2:
            return v3
        }
        function @moving(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1, v0)
        block1(v4: i64, v5: i64):
            v6 = load.i64 $m [v5]
            bounds_check v4, v6
            v7 = load.i64 $m [v5 + v4*8 + 8]
            v8 = iadd v4, v3
            v9 = icmp slt v8, v2
            brif v9, block1(v8, v7), block2
        block2:
            return v3
        }
        function @other(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = load.i64 $m [v0]
            bounds_check v5, v6
            store.i64 v5, $m [v3 + v5*8 + 8]
            v7 = iadd v5, v4
            v8 = icmp slt v7, v2
            brif v8, block1(v7), block2
        block2:
            return v4
        }
        function @word(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            bounds_check v4, v5
            store.i64 v4, $m [v0 + v4*8]
            v6 = iadd v4, v3
            v7 = icmp slt v6, v2
            brif v7, block1(v6), block2
        block2:
            return v3
        }
        function @calls(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            bounds_check v4, v5
            v6 = call @down(v0, v4, v2)
            v7 = iadd v4, v3
            v8 = icmp slt v7, v2
            brif v8, block1(v7), block2
        block2:
            return v3
        }
        function @escapes(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            bounds_check v4, v5
            v6 = iadd v4, v3
            v7 = icmp slt v6, v2
            brif v7, block1(v6), block2
        block2:
            return v5
        }
        function @counter(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            bounds_check v4, v0
            v5 = iadd v4, v3
            v6 = icmp slt v5, v2
            brif v6, block1(v5), block2
        block2:
            return v4
        }
        function @before(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            bounds_check v4, v0
            v5 = icmp slt v4, v2
            brif v5, block2, block3
        block2:
            v6 = iadd v4, v3
            jump block1(v6)
        block3:
            return v3
        }
        """;
    assertPasses(kept, kept, LOOP_BCE);
  }

  /**
   * The versioned loop traps as the unversioned one: after the same stores, at the same index
   * and position, when the bound exceeds the length, the start is negative or the length word
   * lies past the memory's end.
   */
  @Test
  void trapsAsTheCheckedLoopWhereverTheGuardFails() {
    Module m = IrParser.parse(COUNTED.replace("function @f", """
        function @run(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            store.i64 v3, $m [v0]
            v4 = call @f(v0, v1, v2)
            return v4
        }
        function @f"""));
    for (Instance run : Engines.instancesOf(m)) {
      try (run) {
        assertEquals(1L, run.callRaw("run", 0, 2, 10, 10));
        assertEquals(9L, run.memory("m").getLong(80));
        TrapException e = assertThrows(TrapException.class,
            () -> run.callRaw("run", 0, 3, 12, 10));
        assertEquals(TrapKind.INDEX_OUT_OF_BOUNDS, e.kind());
        assertEquals(10, e.index());
        assertEquals(1, e.position());
        e = assertThrows(TrapException.class, () -> run.callRaw("run", 0, -1, 5, 10));
        assertEquals(-1, e.index());
        e = assertThrows(TrapException.class, () -> run.callRaw("run", 400, 0, 60, 60));
        assertEquals(TrapKind.MEMORY_OUT_OF_BOUNDS, e.kind());
        assertEquals(800, e.index());
        assertEquals(48L, run.memory("m").getLong(400 + 8 + 48 * 8));
        e = assertThrows(TrapException.class, () -> run.callRaw("run", 792, 0, 1, 1));
        assertEquals(TrapKind.MEMORY_OUT_OF_BOUNDS, e.kind());
        assertEquals(800, e.index());
      }
    }
  }
}
