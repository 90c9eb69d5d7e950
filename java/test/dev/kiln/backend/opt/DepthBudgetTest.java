package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DepthBudgetTest {
  /** A function of one level and one of two, called by the functions under test. */
  private static final String CALLEES = """
      function @g(i64) -> i64 {
      block0(v0: i64):
          return v0
      }
      function @g2(i64) -> i64 levels 2 {
      block0(v0: i64):
          return v0
      }
      import @java(i64) -> i64
      """;

  /** The positions of the {@code depth_enter}s of {@code @f} that the budget covers, in order. */
  private static List<Integer> covered(String f) {
    Module m = IrParser.parse(CALLEES + f);
    m.verify();
    Function fn = m.functions().stream().filter(g -> g.name().equals("f")).findFirst()
        .orElseThrow();
    DepthBudget budget = DepthBudget.of(fn);
    List<Integer> positions = new ArrayList<>();
    for (Block b : fn.blocks()) {
      for (Instruction inst : b.instructions()) {
        if (inst.opcode() == Opcode.DEPTH_ENTER && budget.covers(inst)) {
          positions.add(inst.position());
        }
      }
    }
    return positions;
  }

  @Test
  void aCallThatReturnedCoversItsSiblingsLevelsButNoMore() {
    assertEquals(List.of(5), covered("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @3
            v1 = iconst 1
            depth_leave v1
            v2 = call @g(v0) @4
            depth_enter 1 @5
            depth_leave v1
            depth_enter 2 @6
            v3 = iconst 2
            depth_leave v3
            return v2
        }
        """));
  }

  @Test
  void aCallOfTwoLevelsCoversTwoAndAnImportCoversNothing() {
    assertEquals(List.of(5), covered("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v1 = call @g2(v0) @4
            depth_enter 2 @5
            v2 = iconst 2
            depth_leave v2
            return v1
        block2:
            v3 = call @java(v0) @6
            depth_enter 1 @7
            v4 = iconst 1
            depth_leave v4
            return v3
        }
        """));
  }

  @Test
  void aProbeCoversTheProbeAfterItAndAClaimUsesUpWhatIsKnown() {
    assertEquals(List.of(5, 7), covered("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 2 @4
            v1 = iconst 2
            depth_leave v1
            depth_enter 1 @5
            v2 = call @g(v0) @6
            depth_enter 1 @7
            depth_enter 1 @8
            v3 = iconst 1
            depth_leave v3
            depth_leave v3
            depth_leave v3
            return v2
        }
        """));
  }

  @Test
  void aJoinKnowsTheLeastOfItsPredecessorsAndALeaveOfAVariableNothing() {
    assertEquals(List.of(6), covered("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            v2 = call @g(v0) @4
            jump block3(v2)
        block2:
            v3 = call @g2(v0) @5
            jump block3(v3)
        block3(v4: i64):
            depth_enter 1 @6
            depth_leave v1
            depth_enter 2 @7
            v5 = iconst 2
            depth_leave v5
            depth_leave v0
            brif v4, block4, block5
        block4:
            depth_enter 1 @8
            depth_leave v1
            return v4
        block5:
            return v0
        }
        """));
  }

  /** The first pass over the loop knows the level the call before it left; the second does not. */
  @Test
  void aLoopTakingALevelEachTimeRoundKnowsNothingInside() {
    assertEquals(List.of(), covered("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @g(v0) @4
            v2 = iconst 0
            jump block1(v0, v2)
        block1(v3: i64, v4: i64):
            brif v3, block2, block3
        block2:
            depth_enter 1 @5
            v5 = iconst 1
            v6 = isub v3, v5
            v7 = iadd v4, v5
            jump block1(v6, v7)
        block3:
            depth_leave v4
            return v1
        }
        """));
  }
}
