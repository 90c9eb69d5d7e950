package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The accesses whose bytes a dominating access checked already, found by place. */
class DominatingChecksTest {
  private static final String TEXT = """
      memory $m 64
      function @f(i64) -> i64 {
      block0(v0: i64):
          v1 = load.i64 $m [v0 + 8]
          v2 = load.u8 $m [v0 + 8]
          v3 = iconst 4
          v4 = load.i16 $m [v3]
          brif v1, block1, block2
      block1:
          v5 = iconst 4
          v6 = load.u8 $m [v5 + 1]
          v7 = load.i64 $m [v5]
          store.i64 v6, $m [v0 + 8]
          return v7
      block2:
          v8 = load.i64 $m [v0 + 16]
          return v8
      block3:
          v9 = load.i64 $m [v0 + 8]
          return v9
      }
      """;

  @Test
  void anAccessInsideTheBytesOfADominatingOneAtTheSameAddressIsCovered() {
    Function f = IrParser.parse(TEXT).functions().get(0);
    Block entry = f.blocks().get(0);
    Block then = f.blocks().get(1);
    Block other = f.blocks().get(2);
    Block unreachable = f.blocks().get(3);
    DominatingChecks checks = DominatingChecks.of(f, new DominatorTree(f));
    assertFalse(checks.covered(entry, 0), "the first check of its address");
    assertTrue(checks.covered(entry, 1), "one byte of the eight checked just before");
    assertFalse(checks.covered(then, 1), "[v5 + 1] is not the address [v3]");
    assertFalse(checks.covered(then, 2), "eight bytes where two were checked");
    assertTrue(checks.covered(then, 3), "a store inside a dominating load's bytes");
    assertFalse(checks.covered(other, 0), "another offset");
    assertFalse(checks.covered(unreachable, 0), "no path to it passed a check");
    assertEquals(1, checks.nextCovered(entry, 0));
    assertEquals(1, checks.nextCovered(entry, 1));
    assertEquals(-1, checks.nextCovered(entry, 2));
    assertEquals(3, checks.nextCovered(then, 0));
    assertEquals(-1, checks.nextCovered(other, 0));
    assertEquals(-1, checks.nextCovered(unreachable, 0));
  }

  @Test
  void aConstantBaseCountsAsItsValueWhateverInstructionDefinesIt() {
    Function f = IrParser.parse("""
        memory $m 64
        function @f() -> i64 {
        block0:
            v0 = iconst 4
            v1 = load.i64 $m [v0]
            jump block1
        block1:
            v2 = iconst 4
            v3 = load.u16 $m [v2 + 0]
            return v3
        }
        """).functions().get(0);
    DominatingChecks checks = DominatingChecks.of(f, new DominatorTree(f));
    assertTrue(checks.covered(f.blocks().get(1), 1));
  }

  @Test
  void aBaseThatStepsFromAnotherByConstantsCountsAsThatOneWithTheStepsInItsOffset() {
    Function f = IrParser.parse("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0 + 2]
            v2 = iconst 3
            v3 = iadd v0, v2
            jump block1
        block1:
            v4 = load.u8 $m [v3 - 1]
            v5 = iconst -1
            v6 = iadd v3, v5
            v7 = load.u8 $m [v6]
            v8 = load.u8 $m [v3]
            v9 = iadd v0, v0
            v10 = load.u8 $m [v9 - 2]
            return v10
        }
        """).functions().get(0);
    DominatingChecks checks = DominatingChecks.of(f, new DominatorTree(f));
    Block b = f.blocks().get(1);
    assertTrue(checks.covered(b, 0), "[v3 - 1] is [v0 + 2]");
    assertTrue(checks.covered(b, 3), "[v6] is [v0 + 2], two steps down");
    assertFalse(checks.covered(b, 4), "[v3] is [v0 + 3], not checked");
    assertFalse(checks.covered(b, 6), "v9 adds no constant");
  }
}
