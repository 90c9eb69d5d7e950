package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.Engines;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instance;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import org.junit.jupiter.api.Test;

class InductionProductsTest {
  private static final Pass PRODUCTS = new InductionProducts();
  private static final Pass DCE = new DeadCodeElimination();

  @Test
  void aProductOfTheInnerCounterAndTheOuterOneBecomesAParameterSteppedByTheOuterOne() {
    // i * j in the j loop: 0 on entry (j starts at 0), plus i per step of j, stepped at the top
    // of the header for the back edge; dce then removes the multiply
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1, v1)
        block1(v2: i64, v3: i64):
            jump block2(v1, v3)
        block2(v4: i64, v5: i64):
            v6 = imul v2, v4 @1
            v7 = iadd v5, v6 @2
            v8 = iconst 1
            v9 = iadd v4, v8 @3
            v10 = icmp slt v9, v0 @3
            brif v10, block2(v9, v7), block3 @3
        block3:
            v11 = iadd v2, v8 @4
            v12 = icmp slt v11, v0 @4
            brif v12, block1(v11, v7), block4 @4
        block4:
            return v7
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1, v1)
        block1(v2: i64, v3: i64):
            v4 = iconst 0
            jump block2(v1, v3, v4)
        block2(v5: i64, v6: i64, v7: i64):
            v8 = iadd v7, v2 @1
            v9 = iadd v6, v7 @2
            v10 = iconst 1
            v11 = iadd v5, v10 @3
            v12 = icmp slt v11, v0 @3
            brif v12, block2(v11, v9, v8), block3 @3
        block3:
            v13 = iadd v2, v10 @4
            v14 = icmp slt v13, v0 @4
            brif v14, block1(v13, v9), block4 @4
        block4:
            return v9
        }
        """, PRODUCTS, DCE);
  }

  @Test
  void anInvariantTimesACounterSteppingByTwoStartsAtTheProductAndStepsByTwiceTheInvariant() {
    // the invariant first; the entry product and the step c * 2 are computed once, before the
    // loop
    assertPasses("""
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            jump block1(v0, v0)
        block1(v3: i64, v4: i64):
            v5 = imul v1, v3 @1
            v6 = iadd v4, v5 @2
            v7 = iconst 2
            v8 = iadd v3, v7 @3
            v9 = icmp slt v8, v2 @3
            brif v9, block1(v8, v6), block2 @3
        block2:
            return v6
        }
        """, """
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = imul v0, v1 @1
            v4 = iconst 2
            v5 = imul v1, v4 @1
            jump block1(v0, v0, v3)
        block1(v6: i64, v7: i64, v8: i64):
            v9 = iadd v8, v5 @1
            v10 = iadd v7, v8 @2
            v11 = iconst 2
            v12 = iadd v6, v11 @3
            v13 = icmp slt v12, v2 @3
            brif v13, block1(v12, v10, v9), block2 @3
        block2:
            return v10
        }
        """, PRODUCTS, DCE);
  }

  @Test
  void aProductThatAddressesMemoryOrSteppingUnevenlyStays() {
    // the load's index is a product (in-bounds proofs read it); the second loop's counter steps
    // by 1 on one back edge and by 2 on the other
    String text = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            jump block1(v2, v2)
        block1(v3: i64, v4: i64):
            v5 = imul v3, v1 @1
            v6 = load.u8 $m [v5] @2
            v7 = iadd v4, v6 @2
            v8 = iconst 1
            v9 = iadd v3, v8 @3
            v10 = icmp slt v9, v0 @3
            brif v10, block1(v9, v7), block2(v2) @3
        block2(v11: i64):
            v12 = imul v11, v1 @4
            v13 = iconst 1
            v14 = iadd v11, v13 @5
            v15 = iconst 2
            v16 = iadd v11, v15 @5
            brif v12, block2(v14), block3 @5
        block3:
            v17 = icmp slt v11, v0 @6
            brif v17, block2(v16), block4 @6
        block4:
            return v7
        }
        """;
    assertPasses(text, text, PRODUCTS);
  }

  @Test
  void aLoopKeepsItsProductsBeyondTheFourthAsMultiplies() {
    // five products of i with five invariants: four become parameters, the fifth stays
    StringBuilder text = new StringBuilder("""
        function @f(i64, i64, i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
            v6 = iconst 0
            jump block1(v6, v6)
        block1(v7: i64, v8: i64):
        """);
    String sum = "v8";
    for (int k = 1; k <= 5; k++) {
      text.append("    v").append(10 + k).append(" = imul v7, v").append(k).append('\n');
      text.append("    v").append(20 + k).append(" = iadd ").append(sum).append(", v")
          .append(10 + k).append('\n');
      sum = "v" + (20 + k);
    }
    text.append("""
            v30 = iconst 1
            v31 = iadd v7, v30
            v32 = icmp slt v31, v0
            brif v32, block1(v31, v25), block2
        block2:
            return v25
        }
        """);
    Module m = IrParser.parse(text.toString());
    Function f = m.functions().get(0);
    PRODUCTS.run(f);
    DCE.run(f);
    m.verify();
    assertEquals(Thresholds.REDUCED_PRODUCTS_PER_LOOP + 2, f.blocks().get(1).params().size());
    assertEquals(1, m.toString().split("imul", -1).length - 1, m.toString());
  }

  @Test
  void wrappingProductsAndNegativeStepsGiveTheSameSumsInEveryEngine() {
    // c * i wraps past 2^63 as i climbs; the inner counter runs down by 3 from a product
    String text = """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            jump block1(v2, v2)
        block1(v3: i64, v4: i64):
            v5 = imul v3, v0 @1
            v6 = iconst 3
            v7 = imul v3, v6 @1
            jump block2(v7, v4)
        block2(v8: i64, v9: i64):
            v10 = imul v8, v5 @2
            v11 = bxor v9, v10 @2
            v12 = iconst -3
            v13 = iadd v8, v12 @3
            v14 = icmp sgt v13, v2 @3
            brif v14, block2(v13, v11), block3 @3
        block3:
            v15 = iconst 1
            v16 = iadd v3, v15 @4
            v17 = icmp slt v16, v1 @4
            brif v17, block1(v16, v11), block4 @4
        block4:
            return v11
        }
        """;
    Long expected = null;
    for (Instance run : Engines.instancesOf(IrParser.parse(text))) {
      try (run) {
        long sum = (Long) run.call("f", 0x7fff_ffff_ffffL, 50L);
        if (expected == null) {
          expected = sum;
        }
        assertEquals(expected, sum);
      }
    }
  }
}
