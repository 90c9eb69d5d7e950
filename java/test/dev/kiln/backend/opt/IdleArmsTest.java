package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class IdleArmsTest {
  private static final Pass IDLE = new IdleArms();

  /**
   * Brainfuck's {@code [->>>+++<<<]} after a guard that puts [v0, v0 + 13] in the memory: if
   * the cell at v0 + 1 is not zero, add three times it to the cell at v0 + 4 and clear it. The
   * arm is {@code arm}; block1 branches on {@code condition}.
   */
  private static String multiply(String condition, String arm) {
    return """
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = iconst 50
            v2 = icmp ule v0, v1
            brif v2, block1, block3
        block1:
            v3 = load.u8 $m [v0 + 1] inbounds
            v9 = icmp ne v3, v1
            brif %s, block2, block3
        block2:
        %s
            jump block3
        block3:
            return
        }
        """.formatted(condition, arm.indent(4).stripTrailing());
  }

  private static final String ARM = """
      v4 = load.u8 $m [v0 + 4] inbounds
      v5 = iconst 3
      v6 = imul v3, v5
      v7 = iadd v4, v6
      store.i8 v7, $m [v0 + 4] inbounds
      v8 = iconst 0
      store.i8 v8, $m [v0 + 1] inbounds
      """;

  @Test
  void anArmThatWouldWriteBackWhatItReadWhenTheConditionIsZeroRunsWithoutTheBranch() {
    // with v3 = 0, v7 is v4 + 0 * 3: the cell at v0 + 4 as read, and the cell at v0 + 1 was 0
    assertPasses(multiply("v3", ARM), """
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = iconst 50
            v2 = icmp ule v0, v1
            brif v2, block1, block2
        block1:
            v3 = load.u8 $m [v0 + 1] inbounds
            v4 = icmp ne v3, v1
            v5 = load.u8 $m [v0 + 4] inbounds
            v6 = iconst 3
            v7 = imul v3, v6
            v8 = iadd v5, v7
            store.i8 v8, $m [v0 + 4] inbounds
            v9 = iconst 0
            store.i8 v9, $m [v0 + 1] inbounds
            jump block2
        block2:
            return
        }
        """, IDLE);
  }

  @Test
  void theJoinMayTakeTheConditionOnOneWayAndAConstantZeroOnTheOther() {
    // the cell's new value: 0 after the arm cleared it, the condition (so 0) the other way;
    // mem left the arm's as band 0, 255, which becomes a constant of its own
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 50
            v2 = iconst 0
            v3 = iconst 255
            v4 = band v2, v3
            v5 = icmp ule v0, v1
            brif v5, block1, block3(v2)
        block1:
            v6 = load.u8 $m [v0 + 1] inbounds
            brif v6, block2, block3(v6)
        block2:
            v7 = load.u8 $m [v0 + 4] inbounds
            v8 = iadd v7, v6
            store.i8 v8, $m [v0 + 4] inbounds
            store.i8 v2, $m [v0 + 1] inbounds
            jump block3(v4)
        block3(v9: i64):
            return v9
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 50
            v2 = iconst 0
            v3 = iconst 255
            v4 = band v2, v3
            v5 = icmp ule v0, v1
            brif v5, block1, block2(v2)
        block1:
            v6 = load.u8 $m [v0 + 1] inbounds
            v7 = load.u8 $m [v0 + 4] inbounds
            v8 = iadd v7, v6
            store.i8 v8, $m [v0 + 4] inbounds
            store.i8 v2, $m [v0 + 1] inbounds
            v9 = iconst 0
            jump block2(v9)
        block2(v10: i64):
            return v10
        }
        """, IDLE);
  }

  @Test
  void anArmThatWouldChangeMemoryOrTrapOrThatAGuardMayProveStaysBehindItsBranch() {
    for (String ir : new String[] {
        multiply("v3", ARM.replace("v6 = imul v3, v5", "v6 = iadd v3, v5")), // 3 more at v0 + 4
        multiply("v3", ARM.replace("v8 = iconst 0", "v8 = iconst 1")), // 1 where the 0 was
        multiply("v3", ARM.replace("[v0 + 4] inbounds", "[v0 + 4]")), // checked: may trap
        multiply("v3", ARM.replace("v8 = iconst 0\n", "v8 = iconst 0\ncall @f(v0)\n")),
        // idle whatever the condition, but a compare's edge may be the guard of the arm's accesses
        multiply("v9", "v4 = load.u8 $m [v0 + 4] inbounds\nstore.i8 v4, $m [v0 + 4] inbounds"),
    }) {
      assertPasses(ir, ir, IDLE);
    }
  }
}
