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
    // the copy's store is proven: its index below the length, which fits after the base
    assertPasses(COUNTED, """
        memory $m 800
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = iconst 792
            v6 = icmp ule v0, v5 @2
            brif v6, block2, block8(v4) @2
        block2:
            v7 = load.i64 $m [v0] inbounds @1
            v8 = iconst 2147483647
            v9 = icmp ule v7, v8 @2
            brif v9, block3, block8(v4) @2
        block3:
            v10 = iconst 792
            v11 = isub v10, v0 @2
            v12 = iconst 3
            v13 = ushr v11, v12 @2
            v14 = icmp ule v7, v13 @2
            brif v14, block4, block8(v4) @2
        block4:
            v15 = icmp sle v2, v7 @2
            brif v15, block5, block8(v4) @2
        block5:
            v16 = icmp slt v4, v7 @2
            brif v16, block6, block8(v4) @2
        block6:
            v17 = iconst 0
            v18 = icmp sge v4, v17 @2
            brif v18, block7(v4), block8(v4) @2
        block7(v19: i64):
            store.i64 v19, $m [v0 + v19*8 + 8] inbounds @1
            v20 = iadd v19, v3
            v21 = icmp slt v20, v2 @2
            brif v21, block7(v20), block9 @2
        block8(v22: i64):
            v23 = load.i64 $m [v0] @1
            bounds_check v22, v23 @1
            store.i64 v22, $m [v0 + v22*8 + 8] @1
            v24 = iadd v22, v3
            v25 = icmp slt v24, v2 @2
            brif v25, block8(v24), block9 @2
        block9:
            return v3
        }
        """, LOOP_BCE);
  }

  @Test
  void guardsThatAnInvariantLengthFitsAfterItsBaseForTheAccessesItServes() {
    // the room after the base that the length word bounds; the access 16 bytes in
    // could pass the end of the array, so it stays checked
    assertPasses("""
        memory $m 800
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            v4 = load.i64 $m [v0]
            jump block1(v1)
        block1(v5: i64):
            bounds_check v5, v4 @1
            v6 = load.i64 $m [v0 + v5*8 + 8]
            v7 = load.i64 $m [v0 + v5*8 + 16]
            v8 = iadd v6, v7
            store.i64 v8, $m [v0 + v5*8 + 8]
            v9 = iadd v5, v3
            v10 = icmp slt v9, v2 @2
            brif v10, block1(v9), block2 @2
        block2:
            return v3
        }
        """, """
        memory $m 800
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            v4 = load.i64 $m [v0]
            jump block1(v1)
        block1(v5: i64):
            v6 = iconst 2147483647
            v7 = icmp ule v4, v6 @2
            brif v7, block2, block7(v5) @2
        block2:
            v8 = iconst 792
            v9 = isub v8, v0 @2
            v10 = iconst 3
            v11 = ushr v9, v10 @2
            v12 = icmp ule v4, v11 @2
            brif v12, block3, block7(v5) @2
        block3:
            v13 = icmp sle v2, v4 @2
            brif v13, block4, block7(v5) @2
        block4:
            v14 = icmp slt v5, v4 @2
            brif v14, block5, block7(v5) @2
        block5:
            v15 = iconst 0
            v16 = icmp sge v5, v15 @2
            brif v16, block6(v5), block7(v5) @2
        block6(v17: i64):
            v18 = load.i64 $m [v0 + v17*8 + 8] inbounds
            v19 = load.i64 $m [v0 + v17*8 + 16]
            v20 = iadd v18, v19
            store.i64 v20, $m [v0 + v17*8 + 8] inbounds
            v21 = iadd v17, v3
            v22 = icmp slt v21, v2 @2
            brif v22, block6(v21), block8 @2
        block7(v23: i64):
            bounds_check v23, v4 @1
            v24 = load.i64 $m [v0 + v23*8 + 8]
            v25 = load.i64 $m [v0 + v23*8 + 16]
            v26 = iadd v24, v25
            store.i64 v26, $m [v0 + v23*8 + 8]
            v27 = iadd v23, v3
            v28 = icmp slt v27, v2 @2
            brif v28, block7(v27), block8 @2
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
            v5 = iconst -1
            v6 = iadd v0, v5 @2
            v7 = iconst 2147483647
            v8 = icmp ule v6, v7 @2
            brif v8, block2, block7(v4) @2
        block2:
            v9 = iconst 2147483647
            v10 = icmp ule v3, v9 @2
            brif v10, block3, block7(v4) @2
        block3:
            v11 = icmp slt v2, v3 @2
            brif v11, block4, block7(v4) @2
        block4:
            v12 = iconst 0
            v13 = icmp sge v4, v12 @2
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
  void versionsALoopThatStoresOnALengthItsInvariantLoadPromisesUnchanged() {
    // the store may alias the length word, but the load's mark promises that its bytes stay
    assertPasses("""
        memory $m 800
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = load.i64 $m [v0] invariant @1
            bounds_check v5, v6 @1
            v7 = load.i64 $m [v0 + v5*8 + 8] @1
            store.i64 v7, $m [v3 + v5*8 + 8] @1
            v8 = iadd v5, v4
            v9 = icmp slt v8, v2 @2
            brif v9, block1(v8), block2 @2
        block2:
            return v4
        }
        """, """
        memory $m 800
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = iconst 792
            v7 = icmp ule v0, v6 @2
            brif v7, block2, block8(v5) @2
        block2:
            v8 = load.i64 $m [v0] inbounds invariant @1
            v9 = iconst 2147483647
            v10 = icmp ule v8, v9 @2
            brif v10, block3, block8(v5) @2
        block3:
            v11 = iconst 792
            v12 = isub v11, v0 @2
            v13 = iconst 3
            v14 = ushr v12, v13 @2
            v15 = icmp ule v8, v14 @2
            brif v15, block4, block8(v5) @2
        block4:
            v16 = icmp sle v2, v8 @2
            brif v16, block5, block8(v5) @2
        block5:
            v17 = icmp slt v5, v8 @2
            brif v17, block6, block8(v5) @2
        block6:
            v18 = iconst 0
            v19 = icmp sge v5, v18 @2
            brif v19, block7(v5), block8(v5) @2
        block7(v20: i64):
            v21 = load.i64 $m [v0 + v20*8 + 8] inbounds @1
            store.i64 v21, $m [v3 + v20*8 + 8] @1
            v22 = iadd v20, v4
            v23 = icmp slt v22, v2 @2
            brif v23, block7(v22), block9 @2
        block8(v24: i64):
            v25 = load.i64 $m [v0] invariant @1
            bounds_check v24, v25 @1
            v26 = load.i64 $m [v0 + v24*8 + 8] @1
            store.i64 v26, $m [v3 + v24*8 + 8] @1
            v27 = iadd v24, v4
            v28 = icmp slt v27, v2 @2
            brif v28, block8(v27), block9 @2
        block9:
            return v4
        }
        """, LOOP_BCE);
  }

  /**
   * A loop (by {@code v5}) around a loop without checks, both checks in its own block: one on
   * its induction variable, one on {@code v3}, defined outside the loop.
   */
  private static final String NEST = """
      memory $m 800
      function @f(i64, i64, i64, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64, v3: i64):
          v4 = iconst 1
          jump block1(v1)
      block1(v5: i64):
          v6 = load.i64 $m [v0] invariant @1
          bounds_check v3, v6 @1
          v7 = load.i64 $m [v0 + v3*8 + 8] @1
          bounds_check v5, v6 @2
          store.i64 v7, $m [v0 + v5*8 + 8] @2
          jump block2(v7)
      block2(v8: i64):
          v9 = iadd v8, v4
          v10 = icmp slt v9, v2
          brif v10, block2(v9), block3
      block3:
          v11 = iadd v5, v4
          v12 = icmp slt v11, v2 @3
          brif v12, block1(v11), block4 @3
      block4:
          return v4
      }
      """;

  @Test
  void versionsALoopAroundALoopForTheChecksOfItsOwnBlocks() {
    // the guard checks the invariant index below the length once; the copy of the whole nest
    // drops both checks and its accesses are proven
    assertPasses(NEST, """
        memory $m 800
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = iconst 792
            v7 = icmp ule v0, v6
            brif v7, block2, block11(v5)
        block2:
            v8 = load.i64 $m [v0] inbounds invariant @1
            v9 = iconst 2147483647
            v10 = icmp ule v8, v9
            brif v10, block3, block11(v5)
        block3:
            v11 = iconst 792
            v12 = isub v11, v0
            v13 = iconst 3
            v14 = ushr v12, v13
            v15 = icmp ule v8, v14
            brif v15, block4, block11(v5)
        block4:
            v16 = icmp ult v3, v8
            brif v16, block5, block11(v5)
        block5:
            v17 = icmp sle v2, v8
            brif v17, block6, block11(v5)
        block6:
            v18 = icmp slt v5, v8
            brif v18, block7, block11(v5)
        block7:
            v19 = iconst 0
            v20 = icmp sge v5, v19
            brif v20, block8(v5), block11(v5)
        block8(v21: i64):
            v22 = load.i64 $m [v0 + v3*8 + 8] inbounds @1
            store.i64 v22, $m [v0 + v21*8 + 8] inbounds @2
            jump block9(v22)
        block9(v23: i64):
            v24 = iadd v23, v4
            v25 = icmp slt v24, v2
            brif v25, block9(v24), block10
        block10:
            v26 = iadd v21, v4
            v27 = icmp slt v26, v2 @3
            brif v27, block8(v26), block14 @3
        block11(v28: i64):
            v29 = load.i64 $m [v0] invariant @1
            bounds_check v3, v29 @1
            v30 = load.i64 $m [v0 + v3*8 + 8] @1
            bounds_check v28, v29 @2
            store.i64 v30, $m [v0 + v28*8 + 8] @2
            jump block12(v30)
        block12(v31: i64):
            v32 = iadd v31, v4
            v33 = icmp slt v32, v2
            brif v33, block12(v32), block13
        block13:
            v34 = iadd v28, v4
            v35 = icmp slt v34, v2 @3
            brif v35, block11(v34), block14 @3
        block14:
            return v4
        }
        """, LOOP_BCE);
  }

  /** The versioned nest traps as the checked one where its invariant index is out of bounds. */
  @Test
  void trapsAsTheCheckedNestWhereTheInvariantIndexFails() {
    Module m = IrParser.parse(NEST.replace("function @f", """
        function @run(i64, i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
            store.i64 v4, $m [v0]
            v5 = call @f(v0, v1, v2, v3)
            return v5
        }
        function @f"""));
    for (Instance run : Engines.instancesOf(m)) {
      try (run) {
        run.memory("m").putLong(8 + 3 * 8, 7);
        assertEquals(1L, run.callRaw("run", 0, 0, 10, 3, 10));
        assertEquals(7L, run.memory("m").getLong(8 + 9 * 8));
        TrapException e = assertThrows(TrapException.class,
            () -> run.callRaw("run", 0, 0, 10, 10, 10));
        assertEquals(TrapKind.INDEX_OUT_OF_BOUNDS, e.kind());
        assertEquals(10, e.index());
        assertEquals(1, e.position());
      }
    }
  }

  @Test
  void versionsALoopAroundAnInnerLoopThatKeepsItsOwnCheck() {
    // the inner loop is no counted loop, so its check stays, in both copies of the outer loop;
    // the outer loop's check goes, and the guard's room check proves the inner load
    assertPasses("""
        memory $m 800
        function @nested(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = load.i64 $m [v0] invariant
            bounds_check v5, v6
            jump block2(v3)
        block2(v7: i64):
            bounds_check v7, v6
            v8 = load.i64 $m [v0 + v7*8 + 8]
            v9 = icmp slt v8, v2
            brif v9, block2(v8), block3
        block3:
            v10 = iadd v5, v4
            v11 = icmp slt v10, v2
            brif v11, block1(v10), block4
        block4:
            return v4
        }
        """, """
        memory $m 800
        function @nested(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = iconst 792
            v7 = icmp ule v0, v6
            brif v7, block2, block10(v5)
        block2:
            v8 = load.i64 $m [v0] inbounds invariant
            v9 = iconst 2147483647
            v10 = icmp ule v8, v9
            brif v10, block3, block10(v5)
        block3:
            v11 = iconst 792
            v12 = isub v11, v0
            v13 = iconst 3
            v14 = ushr v12, v13
            v15 = icmp ule v8, v14
            brif v15, block4, block10(v5)
        block4:
            v16 = icmp sle v2, v8
            brif v16, block5, block10(v5)
        block5:
            v17 = icmp slt v5, v8
            brif v17, block6, block10(v5)
        block6:
            v18 = iconst 0
            v19 = icmp sge v5, v18
            brif v19, block7(v5), block10(v5)
        block7(v20: i64):
            jump block8(v3)
        block8(v21: i64):
            bounds_check v21, v8
            v22 = load.i64 $m [v0 + v21*8 + 8] inbounds
            v23 = icmp slt v22, v2
            brif v23, block8(v22), block9
        block9:
            v24 = iadd v20, v4
            v25 = icmp slt v24, v2
            brif v25, block7(v24), block13
        block10(v26: i64):
            v27 = load.i64 $m [v0] invariant
            bounds_check v26, v27
            jump block11(v3)
        block11(v28: i64):
            bounds_check v28, v27
            v29 = load.i64 $m [v0 + v28*8 + 8]
            v30 = icmp slt v29, v2
            brif v30, block11(v29), block12
        block12:
            v31 = iadd v26, v4
            v32 = icmp slt v31, v2
            brif v32, block10(v31), block13
        block13:
            return v4
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
