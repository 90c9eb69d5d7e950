package dev.kiln.backend.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import org.junit.jupiter.api.Test;

/** What instruction selection records for later phases: IR text in, facts by linear index out. */
class LoweringTest {
  private static final String IR = """
      memory $a 64
      memory $b 64
      import @print(i64)
      function @f(i64) -> i64 {
      block0(v0: i64):
          v1 = load.i64 $b [v0]
          call @print(v1)
          v2 = iconst 8
          v3 = iadd v1, v2
          store.i64 v3, $b [v0]
          v4 = iconst 5000000000
          v5 = iadd v3, v4
          call @print(v5)
          v6 = load.i64 $a [v0]
          return v6
      }
      """;

  private static MachineFunction lower() {
    Function f = IrParser.parse(IR).functions().get(0);
    return Lowering.lower(f);
  }

  private static Value value(MachineFunction mf, int id) {
    return mf.value(id);
  }

  @Test
  void callsAreFoundAtTheirIndexesAfterImmediatesMoveToTheBlockStart() {
    MachineFunction mf = lower();
    // iconst 8 becomes an immediate and moves up; the calls' indexes are where they end up
    assertEquals(2, mf.callCount());
    for (int k = 0; k < mf.callCount(); k++) {
      assertEquals(Opcode.CALL, mf.at(mf.call(k)).opcode());
    }
    assertEquals(Opcode.ICONST, mf.at(1).opcode());
    assertEquals(3, mf.call(0));
  }

  @Test
  void eachIndexReadsItsOperandsThenItsEdgesArgumentsAfterImmediatesMove() {
    Function f = IrParser.parse("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd v0, v0
            v2 = iconst 3
            v3 = isub v1, v2
            v4 = iconst 7
            brif v3, block1(v1, v0), block1(v4, v3)
        block1(v5: i64, v6: i64):
            return v5
        }
        """).functions().get(0);
    MachineFunction mf = Lowering.lower(f);
    for (int i = 0; i < mf.size(); i++) {
      StringBuilder operands = new StringBuilder();
      for (int u = mf.firstUse(i); u < mf.firstEdgeArgument(i); u++) {
        operands.append(" v").append(mf.usedValue(u));
      }
      StringBuilder edges = new StringBuilder();
      for (int u = mf.firstEdgeArgument(i); u < mf.firstUse(i + 1); u++) {
        edges.append(" v").append(mf.usedValue(u));
      }
      StringBuilder expected = new StringBuilder();
      StringBuilder expectedEdges = new StringBuilder();
      if (mf.at(i) != null) {
        mf.at(i).args().forEach(v -> expected.append(" ").append(v));
        mf.at(i).targets().forEach(t -> t.args().forEach(v -> expectedEdges.append(" ").append(v)));
      }
      assertEquals(expected.toString(), operands.toString(), "operands at " + i);
      assertEquals(expectedEdges.toString(), edges.toString(), "edge arguments at " + i);
    }
    // the constant 3 moved up before the iadd; 7 is a branch argument and stays
    assertEquals(Opcode.ICONST, mf.at(1).opcode());
    assertEquals(" v3 v1 v0 v4 v3", usesOf(mf, 5));
  }

  private static String usesOf(MachineFunction mf, int i) {
    StringBuilder s = new StringBuilder();
    for (int u = mf.firstUse(i); u < mf.firstUse(i + 1); u++) {
      s.append(" v").append(mf.usedValue(u));
    }
    return s.toString();
  }

  @Test
  void constantsAreKnownByValueWhetherImmediateOrNot() {
    MachineFunction mf = lower();
    assertEquals(8, mf.constant(value(mf, 2)));
    assertEquals(5_000_000_000L, mf.constant(value(mf, 4)));
    assertEquals(0, mf.constant(value(mf, 3))); // not a constant
  }

  @Test
  void blocksAreNumberedInTheIrOrderWithTheirSuccessorsAndDefinitions() {
    Function f = IrParser.parse("""
        function @g(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            brif v0, block2(v1), block1
        block1:
            jump block2(v0)
        block2(v2: i64):
            return v2
        }
        """).functions().get(0);
    MachineFunction mf = Lowering.lower(f);
    assertEquals(0, mf.blockIndexAt(0));
    assertEquals(3, mf.blockIndexAt(1));
    assertEquals(5, mf.blockIndexAt(2));
    assertEquals(2, mf.successorCount(0));
    assertEquals(2, mf.successor(0, 0));
    assertEquals(1, mf.successor(0, 1));
    assertEquals(1, mf.successorCount(1));
    assertEquals(0, mf.successorCount(2));
    assertEquals(0, mf.definition(0)); // a parameter: its block's own slot
    assertEquals(1, mf.definition(1));
    assertEquals(5, mf.definition(2));
  }

  @Test
  void eachMemorysLoadsAndStoresAreCounted() {
    MachineFunction mf = lower();
    assertEquals(1, mf.memoryAccesses(0));
    assertEquals(2, mf.memoryAccesses(1));
  }

  @Test
  void valuesThatNoRegisterHoldsAreUnmaterialized() {
    Function f = IrParser.parse("""
        function @h(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 3
            v3 = ishl v0, v2
            v4 = iadd v3, v1
            v5 = iconst 7
            v6 = band v4, v5
            brif v6, block1, block2
        block1:
            v7 = icmp slt v4, v1
            brif v7, block2, block3
        block2:
            return v4
        block3:
            v8 = iconst 9
            v9 = iadd v0, v8
            v10 = iadd v9, v9
            return v10
        }
        """).functions().get(0);
    MachineFunction mf = Lowering.lower(f);
    // folded constants, a product the lea adds, a tested band, a fused compare
    for (int v : new int[] {2, 3, 5, 6, 7, 8}) {
      assertTrue(mf.isUnmaterialized(v), "v" + v);
    }
    // parameters, the lea's sum, a plain add read twice
    for (int v : new int[] {0, 1, 4, 9, 10}) {
      assertFalse(mf.isUnmaterialized(v), "v" + v);
    }
    assertEquals(mf.definition(4), mf.scalingAdd(mf.definition(3)));
  }

  @Test
  void instructionsThatTheirUserEmitsEmitNothingThemselves() {
    Function f = IrParser.parse("""
        memory $m 64
        function @k(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 5
            v3 = load.u8 $m [v2] inbounds
            v4 = iconst 1
            v5 = iadd v3, v4
            store.i8 v5, $m [v2] inbounds
            v6 = iconst 3
            v7 = ishl v0, v6
            v8 = iadd v7, v1
            v9 = load.i64 $m [v8]
            v10 = icmp slt v9, v1
            brif v10, block1, block2
        block1:
            return v8
        block2:
            return v1
        }
        """).functions().get(0);
    MachineFunction mf = Lowering.lower(f);
    // a byte add's load and add, a product the lea adds, a load compared in memory, a fused compare
    for (int v : new int[] {3, 5, 7, 9, 10}) {
      assertTrue(mf.isEmittedLater(mf.definition(v)), "v" + v);
    }
    // the byte add's store, the lea, the compare-and-branch
    int store = mf.definition(5) + 1;
    int brif = mf.definition(10) + 1;
    assertEquals(Opcode.STORE, mf.at(store).opcode());
    assertEquals(Opcode.BRIF, mf.at(brif).opcode());
    for (int i : new int[] {store, mf.definition(8), brif}) {
      assertFalse(mf.isEmittedLater(i), mf.at(i).toString());
    }
  }
}
