package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class IfConversionTest {
  private static final Pass IFCONV = new IfConversion();

  /** A function branching on {@code a < b} to the two arms given, which meet at block3. */
  private static String diamond(String yes, String no) {
    return """
        memory $m 64
        import @f64(i64) -> i64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            brif v2, block1, block2
        block1:
        %s
        block2:
        %s
        block3(v9: i64):
            return v9
        }
        """.formatted(yes.indent(4).stripTrailing(), no.indent(4).stripTrailing());
  }

  private static void assertUnchanged(String ir) {
    assertPasses(ir, ir, IFCONV);
  }

  @Test
  void aMinimumWithoutArmsBecomesASelect() {
    assertPasses("""
        function @min(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            brif v2, block1(v0), block1(v1)
        block1(v3: i64):
            return v3
        }
        """, """
        function @min(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = icmp slt v0, v1
            v3 = select v2, v0, v1
            jump block1(v3)
        block1(v4: i64):
            return v4
        }
        """, IFCONV);
  }

  @Test
  void anArmsParametersAreTheValuesItsBranchPasses() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1(v1), block2(v0, v1)
        block1(v2: i64):
            v3 = iadd v2, v0
            jump block2(v2, v3)
        block2(v4: i64, v5: i64):
            v6 = iadd v4, v5
            return v6
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iadd v1, v0
            v3 = select v0, v1, v0
            v4 = select v0, v2, v1
            jump block1(v3, v4)
        block1(v5: i64, v6: i64):
            v7 = iadd v5, v6
            return v7
        }
        """, IFCONV);
  }

  @Test
  void theConditionOnOneWayAndZeroOnTheOtherIsOneValueNotASelect() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            brif v0, block1(v2, v0, v0), block1(v0, v2, v1)
        block1(v3: i64, v4: i64, v5: i64):
            v6 = iadd v3, v4
            v7 = iadd v6, v5
            return v7
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = select v0, v0, v1
            jump block1(v2, v0, v3)
        block1(v4: i64, v5: i64, v6: i64):
            v7 = iadd v4, v5
            v8 = iadd v7, v6
            return v8
        }
        """, IFCONV);
  }

  @Test
  void aDiamondWithSmallPureArmsIsHoistedAndSelected() {
    assertPasses(diamond("""
        v3 = iconst 1
        v4 = iadd v0, v3
        jump block3(v4)""", """
        v5 = imul v1, v1
        jump block3(v5)"""), """
        memory $m 64
        import @f64(i64) -> i64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 1
            v3 = iadd v0, v2
            v4 = imul v1, v1
            v5 = icmp slt v0, v1
            v6 = select v5, v3, v4
            jump block3(v6)
        block3(v7: i64):
            return v7
        }
        """, IFCONV);
  }

  @Test
  void theArmsGoBeforeTheBitTestOfTheConditionUnlessTheyUseIt() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v3 = iconst 0
            v2 = band v0, v1
            v4 = icmp ne v2, v3
            brif v4, block1, block2
        block1:
            v5 = iadd v0, v1
            jump block3(v5)
        block2:
            v6 = sshr v0, v1
            jump block3(v6)
        block3(v7: i64):
            return v7
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iconst 0
            v3 = iadd v0, v1
            v4 = sshr v0, v1
            v5 = band v0, v1
            v6 = icmp ne v5, v2
            v7 = select v6, v3, v4
            jump block3(v7)
        block3(v8: i64):
            return v8
        }
        """, IFCONV);
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v3 = iconst 0
            v2 = band v0, v1
            v4 = icmp ne v2, v3
            brif v4, block1, block2
        block1:
            v5 = iadd v2, v1
            jump block3(v5)
        block2:
            jump block3(v0)
        block3(v6: i64):
            return v6
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iconst 0
            v3 = band v0, v1
            v4 = icmp ne v3, v2
            v5 = iadd v3, v1
            v6 = select v4, v5, v0
            jump block3(v6)
        block3(v7: i64):
            return v7
        }
        """, IFCONV);
  }

  @Test
  void aTriangleAndTheValuesBothWaysPassAlikeNeedOnlyTheSelectsThatDiffer() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1, block2(v0, v1)
        block1:
            v2 = bxor v0, v1
            jump block2(v0, v2)
        block2(v3: i64, v4: i64):
            v5 = iadd v3, v4
            return v5
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = bxor v0, v1
            v3 = select v0, v2, v1
            jump block2(v0, v3)
        block2(v4: i64, v5: i64):
            v6 = iadd v4, v5
            return v6
        }
        """, IFCONV);
  }

  @Test
  void floatValuesAreSelectedToo() {
    assertPasses("""
        function @f(f64, f64) -> f64 {
        block0(v0: f64, v1: f64):
            v2 = fcmp lt v0, v1
            brif v2, block1, block2(v1)
        block1:
            v3 = fadd v0, v1
            jump block2(v3)
        block2(v4: f64):
            return v4
        }
        """, """
        function @f(f64, f64) -> f64 {
        block0(v0: f64, v1: f64):
            v2 = fcmp lt v0, v1
            v3 = fadd v0, v1
            v4 = select v2, v3, v1
            jump block2(v4)
        block2(v5: f64):
            return v5
        }
        """, IFCONV);
  }

  @Test
  void notAnArmThatMayTrapOrHasAnEffect() {
    assertUnchanged(diamond("""
        v3 = load.i64 $m [v0]
        jump block3(v3)""", """
        jump block3(v1)"""));
    assertUnchanged(diamond("""
        v3 = sdiv v0, v1
        jump block3(v3)""", """
        jump block3(v1)"""));
    assertUnchanged(diamond("""
        store.i64 v1, $m [v0]
        jump block3(v1)""", """
        jump block3(v0)"""));
    assertUnchanged(diamond("""
        v3 = call @f64(v0)
        jump block3(v3)""", """
        jump block3(v0)"""));
    assertUnchanged(diamond("""
        trapnz v0, 3
        jump block3(v1)""", """
        jump block3(v0)"""));
  }

  @Test
  void notACostlyOrLargeArm() {
    // a division by a constant cannot trap but costs more than a mispredicted branch
    assertUnchanged(diamond("""
        v3 = iconst 7
        v4 = sdiv v0, v3
        jump block3(v4)""", """
        jump block3(v1)"""));
    assertUnchanged(diamond("""
        v3 = iadd v0, v1
        v4 = iadd v3, v1
        v5 = iadd v4, v1
        v6 = iadd v5, v1
        v7 = iadd v6, v1
        jump block3(v7)""", """
        jump block3(v1)"""));
  }

  @Test
  void notAnArmWithAnotherPredecessorNorOneThatLeadsElsewhere() {
    assertUnchanged("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1, block2
        block1:
            brif v1, block2, block3(v0)
        block2:
            jump block3(v1)
        block3(v2: i64):
            return v2
        }
        """);
    assertUnchanged("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1, block2
        block1:
            return v0
        block2:
            return v1
        }
        """);
  }

  @Test
  void notALoopExitBranch() {
    assertUnchanged("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            brif v1, block2, block3
        block2:
            v2 = iconst 1
            v3 = isub v1, v2
            jump block1(v3)
        block3:
            return v1
        }
        """);
  }
}
