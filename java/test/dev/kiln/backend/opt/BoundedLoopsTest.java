package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class BoundedLoopsTest {
  /** The numbers of the headers of the bounded loops of the function of {@code ir}. */
  private static String bounded(String ir) {
    Module m = IrParser.parse(ir);
    m.verify();
    Function f = m.functions().get(0);
    BitSet headers = BoundedLoops.headers(f);
    StringBuilder s = new StringBuilder();
    for (var b : f.blocks()) {
      if (headers.get(b.id())) {
        s.append(s.length() == 0 ? "" : " ").append("block").append(b.number());
      }
    }
    return s.toString();
  }

  /** Brainfuck's {@code [>>>>>>>>>]} on a tape of {@code cells}: a checked load per iteration. */
  private static String scan(int cells, String step) {
    return """
        memory $tape %d
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $tape [v1]
            v3 = iconst %s
            v4 = iadd v1, v3
            brif v2, block1(v4), block2
        block2:
            return v1
        }
        """.formatted(cells, step);
  }

  @Test
  void aLoopMovingAPointerByAConstantThatItsChecksKeepInTheMemoryIsBounded() {
    assertEquals("block1", bounded(scan(30000, "9")));
    assertEquals("block1", bounded(scan(30000, "-1")));
    // 2^20 iterations at most
    assertEquals("block1", bounded(scan(1 << 20, "1")));
    assertEquals("", bounded(scan((1 << 20) + 2, "1")));
    assertEquals("", bounded(scan(30000, "0"))); // stays: may loop for ever
  }

  @Test
  void aGuardBoundsTheVersionItEntersAndTheChecksTheOther() {
    // RegionGuards' shape: the guard's true edge to unchecked accesses, its false edge to checked
    String versions = """
        memory $tape 30000
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst -9
            v3 = iadd v1, v2
            v4 = iconst 29980
            v5 = icmp ule v3, v4
            brif v5, block2, block3
        block2:
            v6 = load.u8 $tape [v1 + 1] inbounds
            store.i8 v6, $tape [v1 + 2] inbounds
            jump block4
        block3:
            v7 = load.u8 $tape [v1 + 1]
            store.i8 v7, $tape [v1 + 2]
            jump block4
        block4:
            v8 = iadd v1, v2
            v9 = load.u8 $tape [v8]
            brif v9, block1(v8), block5
        block5:
            return v1
        }
        """;
    assertEquals("block1", bounded(versions));
  }

  @Test
  void thePointerMayReachTheCheckedVersionAsAParameterOfABlockEnteredByOneEdge() {
    // StridedLoopUnrolling's shape: the guard's false edge passes the pointer to the original
    // block, which checks, steps once and goes back to the guard
    assertEquals("block1", bounded("""
        memory $tape 30000
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 18
            v3 = iadd v1, v2
            v4 = iconst 29980
            v5 = icmp ule v1, v4
            brif v5, block2, block3(v1)
        block2:
            v6 = load.u8 $tape [v1 + 9] inbounds
            v7 = load.u8 $tape [v1 + 18] inbounds
            v8 = iadd v6, v7
            brif v8, block1(v3), block4
        block3(v9: i64):
            v10 = load.u8 $tape [v9]
            v11 = iconst 9
            v12 = iadd v9, v11
            brif v10, block1(v12), block4
        block4:
            return v1
        }
        """));
  }

  @Test
  void aWayRoundTheLoopThatKeepsNoAccessInTheMemoryLeavesItUnbounded() {
    String oneWay = """
        memory $tape 30000
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            brif v1, block2, block3
        block2:
            v3 = load.u8 $tape [v2]
            jump block4(v3)
        block3:
            v4 = iconst 1
            jump block4(v4)
        block4(v5: i64):
            v6 = iconst 1
            v7 = iadd v2, v6
            brif v5, block1(v7), block5
        block5:
            return v2
        }
        """;
    assertEquals("", bounded(oneWay));
    // a check on the other way too
    assertEquals("block1", bounded(oneWay.replace("v4 = iconst 1", "v4 = load.u8 $tape [v2 + 5]")));
  }

  @Test
  void aLoopWhoseBackEdgesMoveThePointerBothWaysIsNot() {
    assertEquals("", bounded("""
        memory $tape 30000
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            v3 = load.u8 $tape [v2]
            v4 = iconst 1
            v5 = iadd v2, v4
            v6 = iconst -1
            v7 = iadd v2, v6
            brif v3, block1(v5), block2
        block2:
            brif v1, block1(v7), block3
        block3:
            return v2
        }
        """));
  }
}
