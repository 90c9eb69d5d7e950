package dev.kiln.backend.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import org.junit.jupiter.api.Test;

/** Accesses move onto the newest value of their base or index: IR text in, IR text out. */
class AddressRebasingTest {
  private static void assertRebases(String before, String after) {
    Module module = IrParser.parse(before);
    module.verify();
    for (Function f : module.functions()) {
      AddressRebasing.run(f);
    }
    assertEquals(IrParser.parse(after).toString(), module.toString());
  }

  @Test
  void aLoopThatBumpsItsPointerTestsTheNewPointerSoTheOldOneDiesAtTheBump() {
    assertRebases("""
        memory $t 100
        function @f(i64) {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = load.u8 $t [v1 + 1]
            v4 = iadd v3, v2
            store.i8 v4, $t [v1 + 1]
            v5 = iadd v1, v2
            v6 = load.u8 $t [v1 + 1]
            brif v6, block1(v5), block2
        block2:
            return
        }
        """, """
        memory $t 100
        function @f(i64) {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = load.u8 $t [v1 + 1]
            v4 = iadd v3, v2
            store.i8 v4, $t [v1 + 1]
            v5 = iadd v1, v2
            v6 = load.u8 $t [v5]
            brif v6, block1(v5), block2
        block2:
            return
        }
        """);
  }

  @Test
  void movesThroughAChainOfConstantStepsAndKeepsTheInBoundsMark() {
    assertRebases("""
        memory $t 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 50
            v2 = icmp ule v0, v1
            brif v2, block1, block2
        block1:
            v3 = iconst 2
            v4 = iadd v0, v3
            v5 = iconst 3
            v6 = isub v4, v5
            v7 = load.u8 $t [v0 + 4] inbounds
            return v6
        block2:
            return v0
        }
        """, """
        memory $t 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 50
            v2 = icmp ule v0, v1
            brif v2, block1, block2
        block1:
            v3 = iconst 2
            v4 = iadd v0, v3
            v5 = iconst 3
            v6 = isub v4, v5
            v7 = load.u8 $t [v6 + 5] inbounds
            return v6
        block2:
            return v0
        }
        """);
  }

  @Test
  void anIndexMovesByItsScale() {
    assertRebases("""
        memory $t 800
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2
            v4 = load.i64 $t [v0 + v1*8 + 16]
            v5 = iadd v4, v3
            return v5
        }
        """, """
        memory $t 800
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2
            v4 = load.i64 $t [v0 + v3*8 + 8]
            v5 = iadd v4, v3
            return v5
        }
        """);
  }

  @Test
  void staysWhereTheNewValueIsDeadOrACheckWouldNeedAnOffset() {
    String unchanged = """
        memory $t 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iadd v0, v1
            v3 = iadd v2, v2
            v4 = load.u8 $t [v0 + 1]
            v5 = iadd v4, v3
            v6 = iconst 7
            v7 = iadd v0, v6
            v8 = load.u8 $t [v0]
            v9 = iadd v8, v7
            return v9
        }
        """;
    // v2 is dead after v3, so [v0 + 1] keeps v0; [v0] is checked and would need an offset
    assertRebases(unchanged, unchanged);
  }
}
