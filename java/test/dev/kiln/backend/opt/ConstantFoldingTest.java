package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class ConstantFoldingTest {
  private static final Pass FOLD = new ConstantFolding();

  @Test
  void foldsArithmeticOnConstants() {
    assertPasses("""
        function @f() -> i64 {
        block0:
            v0 = iconst 6
            v1 = iconst 7
            v2 = imul v0, v1
            v3 = iconst -9223372036854775808
            v4 = iconst -1
            v5 = sdiv v3, v4
            v6 = iadd v2, v5
            return v6
        }
        """, """
        function @f() -> i64 {
        block0:
            v0 = iconst 6
            v1 = iconst 7
            v2 = iconst 42
            v3 = iconst -9223372036854775808
            v4 = iconst -1
            v5 = iconst -9223372036854775808
            v6 = iconst -9223372036854775766
            return v6
        }
        """, FOLD);
  }

  @Test
  void keepsADivisionByZeroThatTraps() {
    String trapping = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = sdiv v0, v1
            v3 = urem v0, v1
            return v0
        }
        """;
    assertPasses(trapping, trapping, FOLD, new DeadCodeElimination());
  }

  @Test
  void neverFoldsFloatArithmeticToANaNNorSimplifiesFloatIdentities() {
    String floats = """
        function @f(f64) -> f64 {
        block0(v0: f64):
            v1 = fconst 0.0
            v2 = fdiv v1, v1
            v3 = fadd v0, v1
            v4 = fmul v0, v1
            v5 = fadd v2, v3
            v6 = fadd v5, v4
            return v6
        }
        """;
    assertPasses(floats, floats, FOLD);
    assertPasses("""
        function @f() -> f64 {
        block0:
            v0 = fconst 0.0
            v1 = fneg v0
            v2 = fconst 1.5
            v3 = fmul v1, v2
            return v3
        }
        """, """
        function @f() -> f64 {
        block0:
            v0 = fconst 0.0
            v1 = fconst -0.0
            v2 = fconst 1.5
            v3 = fconst -0.0
            return v3
        }
        """, FOLD);
  }

  @Test
  void replacesIntegerIdentitiesByTheirOperand() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = iconst 1
            v4 = iconst -1
            v5 = iconst 64
            v6 = iadd v0, v2
            v7 = imul v3, v6
            v8 = band v7, v4
            v9 = bor v8, v2
            v10 = bxor v9, v2
            v11 = ishl v10, v5
            v12 = sdiv v11, v3
            v13 = isub v1, v1
            v14 = imul v1, v2
            v15 = iadd v12, v13
            v16 = iadd v15, v14
            return v16
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = iconst 1
            v4 = iconst -1
            v5 = iconst 64
            v6 = iconst 0
            v7 = iconst 0
            return v0
        }
        """, FOLD);
  }

  @Test
  void foldsABranchOnAConstantMakingALoopUnreachable() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            brif v1, block1(v0), block2
        block1(v2: i64):
            v3 = iconst 1
            v4 = isub v2, v3
            brif v4, block1(v4), block2
        block2:
            return v0
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1
        block1:
            return v0
        }
        """, FOLD);
  }

  @Test
  void propagatesABlockParameterEveryEdgeGivesTheSameConstant() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 5
            brif v0, block1(v1), block2
        block1(v2: i64):
            v3 = iconst 1
            v4 = iadd v2, v3
            v5 = isub v4, v3
            brif v0, block1(v5), block2
        block2:
            v6 = iconst 5
            jump block3(v6)
        block3(v7: i64):
            return v7
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 5
            brif v0, block1(v1), block2
        block1(v2: i64):
            v3 = iconst 5
            v4 = iconst 1
            v5 = iconst 6
            v6 = iconst 5
            brif v0, block1(v6), block2
        block2:
            v7 = iconst 5
            jump block3(v7)
        block3(v8: i64):
            v9 = iconst 5
            return v9
        }
        """, FOLD);
  }

  @Test
  void keepsAParameterThatDiffersAlongSomeEdge() {
    String varying = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 5
            v2 = iconst 6
            brif v0, block1(v1), block1(v2)
        block1(v3: i64):
            return v3
        }
        """;
    assertPasses(varying, varying, FOLD);
  }
}
