package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class LoopRoomGuardsTest {
  private static final Pass LOOP_ROOM = new LoopRoomGuards();

  /**
   * {@code while a[i] < x { i += 1 }; return i}: a scan whose index is checked each iteration
   * against the length loaded before the loop, and used after it.
   */
  private static final String SCAN = """
      memory $m 800
      function @f(i64, i64, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64):
          v3 = load.i64 $m [v0]
          v4 = iconst 1
          jump block1(v1)
      block1(v5: i64):
          bounds_check v5, v3 @1
          v6 = load.i64 $m [v0 + v5*8 + 8] @2
          v7 = iadd v5, v4
          v8 = icmp slt v6, v2 @3
          brif v8, block1(v7), block2
      block2:
          return v5
      }
      """;

  @Test
  void versionsALoopBehindGuardsThatItsCheckedArrayFitsAfterItsBase() {
    // the copy's load is proven; the index leaves both versions through a new block
    assertPasses(SCAN, """
        memory $m 800
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = iconst 792
            v7 = isub v6, v0
            v8 = iconst 3
            v9 = ushr v7, v8
            v10 = icmp ule v3, v9
            brif v10, block2(v5), block3(v5)
        block2(v11: i64):
            bounds_check v11, v3 @1
            v12 = load.i64 $m [v0 + v11*8 + 8] inbounds @2
            v13 = iadd v11, v4
            v14 = icmp slt v12, v2 @3
            brif v14, block2(v13), block4(v11)
        block3(v15: i64):
            bounds_check v15, v3 @1
            v16 = load.i64 $m [v0 + v15*8 + 8] @2
            v17 = iadd v15, v4
            v18 = icmp slt v16, v2 @3
            brif v18, block3(v17), block4(v15)
        block4(v19: i64):
            jump block5
        block5:
            return v19
        }
        """, LOOP_ROOM);
  }

  @Test
  void keepsLoopsWhoseArrayOrExitItCannotGuardOnce() {
    String kept = """
        memory $m 800
        function @twoExits(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            bounds_check v5, v3
            v6 = load.i64 $m [v0 + v5*8 + 8]
            brif v6, block2, block3
        block2:
            v7 = iadd v5, v4
            v8 = icmp slt v7, v2
            brif v8, block1(v7), block3
        block3:
            return v4
        }
        function @lengthInLoop(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 1
            jump block1(v1)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            bounds_check v4, v5
            store.i64 v4, $m [v0 + v4*8 + 8]
            v6 = iadd v4, v3
            v7 = icmp slt v6, v2
            brif v7, block1(v6), block2
        block2:
            return v3
        }
        function @unchecked(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            v4 = iconst 1
            jump block1(v1)
        block1(v5: i64):
            v6 = load.i64 $m [v0 + v5*8 + 8]
            v7 = iadd v5, v4
            v8 = icmp slt v6, v2
            brif v8, block1(v7), block2
        block2:
            return v5
        }
        """;
    assertPasses(kept, kept, LOOP_ROOM);
  }
}
