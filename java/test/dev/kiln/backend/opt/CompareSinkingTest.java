package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.Engines;
import dev.kiln.ir.Instance;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareSinkingTest {
  private static final Pass SINK = new CompareSinking();

  private static void assertUnchanged(String ir) {
    assertPasses(ir, ir, SINK);
  }

  @Test
  void aCompareTwoBranchesShareGetsACopyBeforeEach() {
    // value numbering merged the loop's entry test with the later test of the same condition
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp sge v0, v1
            brif v2, block2, block1
        block1:
            v3 = iadd v0, v1
            brif v2, block2, block3(v3)
        block2:
            return v0
        block3(v4: i64):
            return v4
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp sge v0, v1
            brif v2, block2, block1
        block1:
            v3 = iadd v0, v1
            v4 = icmp sge v0, v1
            brif v4, block2, block3(v3)
        block2:
            return v0
        block3(v5: i64):
            return v5
        }
        """, SINK);
  }

  @Test
  void aCompareAnotherInstructionFollowsMovesToItsBranch() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            v3 = iconst 0
            brif v2, block1(v3), block1(v0)
        block1(v4: i64):
            return v4
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = icmp slt v0, v1
            brif v3, block1(v2), block1(v0)
        block1(v4: i64):
            return v4
        }
        """, SINK);
  }

  @Test
  void aCopyInAnotherBlockGetsItsOwnConstants() {
    // as remat left them: the constant of a copy lives in the copy's block, not across blocks
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = icmp sge v1, v0
            brif v2, block2, block1
        block1:
            brif v2, block2, block2
        block2:
            return v0
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = icmp sge v1, v0
            brif v2, block2, block1
        block1:
            v3 = iconst 0
            v4 = icmp sge v3, v0
            brif v4, block2, block2
        block2:
            return v0
        }
        """, SINK);
  }

  @Test
  void twoSelectsOnOneCompareEachGetTheirOwn() {
    // a loop keeping the longest chain and its start: both selects take the same condition
    assertPasses("""
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = icmp sle v0, v1
            v5 = select v4, v1, v0
            v6 = select v4, v3, v2
            v7 = iadd v5, v6
            return v7
        }
        """, """
        function @f(i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = icmp sle v0, v1
            v5 = select v4, v1, v0
            v6 = icmp sle v0, v1
            v7 = select v6, v3, v2
            v8 = iadd v5, v7
            return v8
        }
        """, SINK);
  }

  @Test
  void anOrderedFloatCompareIsCopiedAsAnIntegerOneIs() {
    assertPasses("""
        function @f(f64, f64) -> i64 {
        block0(v0: f64, v1: f64):
            v2 = fcmp lt v0, v1
            v3 = iconst 7
            v4 = iconst 9
            v5 = select v2, v3, v4
            brif v2, block1(v5), block1(v3)
        block1(v6: i64):
            return v6
        }
        """, """
        function @f(f64, f64) -> i64 {
        block0(v0: f64, v1: f64):
            v2 = iconst 7
            v3 = iconst 9
            v4 = fcmp lt v0, v1
            v5 = select v4, v2, v3
            v6 = fcmp lt v0, v1
            brif v6, block1(v5), block1(v2)
        block1(v7: i64):
            return v7
        }
        """, SINK);
  }

  @Test
  void compiledCodeWithSharedComparesComputesWhatTheInterpreterDoes() {
    // @f(n, k): the longest run below n that k's selects keep, its entry test shared with the
    // loop's exit test and its selects sharing one compare, as gvn and ifconv leave them
    String ir = """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = icmp sge v2, v0
            brif v3, block3(v2), block1(v2, v2, v2)
        block1(v4: i64, v5: i64, v6: i64):
            v7 = iconst 1
            v8 = iadd v4, v7
            v9 = bxor v4, v1
            v10 = icmp sle v9, v5
            v11 = select v10, v5, v9
            v12 = select v10, v6, v4
            v13 = icmp slt v8, v0
            brif v13, block1(v8, v11, v12), block2(v11, v12)
        block2(v14: i64, v15: i64):
            v16 = iadd v14, v15
            brif v3, block3(v2), block3(v16)
        block3(v17: i64):
            return v17
        }
        """;
    Module m = IrParser.parse(ir);
    m.verify();
    try (Instance reference = Interpreter.instantiate(m)) {
      List<Instance> engines = Engines.instancesOf(IrParser.parse(ir));
      try {
        for (long[] args : new long[][] {{0, 5}, {-3, 1}, {1, 0}, {100, 37}, {1000, -1}}) {
          long expected = reference.callRaw("f", args);
          for (Instance run : engines) {
            assertEquals(expected, run.callRaw("f", args), "f(" + args[0] + ", " + args[1] + ")");
          }
        }
      } finally {
        engines.forEach(Instance::close);
      }
    }
  }

  @Test
  void aCompareRightBeforeItsOnlyBranchStays() {
    assertUnchanged("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            brif v2, block1(v0), block1(v1)
        block1(v3: i64):
            return v3
        }
        """);
  }

  @Test
  void aCompareAlsoUsedAsAValueStays() {
    // its 0 or 1 is computed anyway; a copy would only keep its operands alive longer
    assertUnchanged("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            v3 = iadd v2, v0
            brif v2, block1(v3), block1(v1)
        block1(v4: i64):
            return v4
        }
        """);
  }

  @Test
  void anUnorderedEqualityCompareStays() {
    // fcmp eq needs the parity flag too, so no branch fuses with it
    assertUnchanged("""
        function @f(f64, f64) -> i64 {
        block0(v0: f64, v1: f64):
            v2 = fcmp eq v0, v1
            v3 = iconst 7
            brif v2, block1(v3), block1(v3)
        block1(v4: i64):
            return v4
        }
        """);
  }
}
