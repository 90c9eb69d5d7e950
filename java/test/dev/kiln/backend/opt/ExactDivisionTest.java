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

/**
 * {@code strength} with what dominating branches know ({@link LowBitFacts}): a division by 2^k of
 * a multiple of 2^k is a plain shift, its remainder 0, and a remainder by 2^k only compared with
 * 0 is a {@code band}.
 */
class ExactDivisionTest {
  private static final Pass STRENGTH = new StrengthReduction();

  /** collatz's step: n / 2 where n % 2 == 0 decided the path. */
  private static final String HALVE_IF_EVEN = """
      function @f(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 2
          v2 = srem v0, v1
          v3 = iconst 0
          v4 = icmp ne v2, v3
          brif v4, block2, block1
      block1:
          v5 = sdiv v0, v1
          return v5
      block2:
          return v0
      }
      """;

  @Test
  void dividesAMultipleFoundByARemainderTestWithAShiftAndTestsTheRemainderWithBand() {
    assertPasses(HALVE_IF_EVEN, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 2
            v2 = iconst 1
            v3 = band v0, v2
            v4 = iconst 0
            v5 = icmp ne v3, v4
            brif v5, block2, block1
        block1:
            v6 = iconst 1
            v7 = sshr v0, v6
            return v7
        block2:
            return v0
        }
        """, STRENGTH);
  }

  @Test
  void aBandTestOnTheEqualSideAndDeeperInTheDominatorTreeGivesTheFactToo() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 7
            v3 = band v2, v0
            v4 = iconst 0
            v5 = icmp eq v4, v3
            brif v5, block1, block3
        block1:
            v6 = icmp slt v1, v4
            brif v6, block2, block3
        block2:
            v7 = iconst -8
            v8 = sdiv v0, v7
            v9 = iconst 4
            v10 = srem v0, v9
            v11 = iadd v8, v10
            return v11
        block3:
            return v1
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 7
            v3 = band v2, v0
            v4 = iconst 0
            v5 = icmp eq v4, v3
            brif v5, block1, block3
        block1:
            v6 = icmp slt v1, v4
            brif v6, block2, block3
        block2:
            v7 = iconst -8
            v8 = iconst 3
            v9 = sshr v0, v8
            v10 = ineg v9
            v11 = iconst 4
            v12 = iconst 0
            v13 = iadd v10, v12
            return v13
        block3:
            return v1
        }
        """, STRENGTH);
  }

  @Test
  void notOnTheSideWhereTheBitsAreNotZeroNorAfterAJoinNorForMoreBitsThanTested() {
    String ir = """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 2
            v3 = srem v0, v2
            v4 = iconst 0
            v5 = icmp eq v3, v4
            brif v5, block1, block2
        block1:
            v6 = iconst 4
            v7 = sdiv v0, v6
            jump block3(v7)
        block2:
            v8 = sdiv v0, v2
            jump block3(v8)
        block3(v9: i64):
            v10 = sdiv v0, v2
            v11 = iadd v9, v10
            return v11
        }
        """;
    Module optimized = optimized(ir);
    String text = optimized.toString();
    assertEquals(3, text.split("ushr").length - 1, "each division rounds toward zero: " + text);
    assertSameResults(ir, -7, -6, -4, -1, 0, 1, 2, 4, 6, 7, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Test
  void aRemainderUsedOtherwiseThanComparedWithZeroKeepsItsSign() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 4
            v2 = srem v0, v1
            v3 = iconst 0
            v4 = icmp eq v2, v3
            brif v4, block1, block2
        block1:
            return v3
        block2:
            return v2
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 4
            v2 = iconst 63
            v3 = sshr v0, v2
            v4 = iconst 62
            v5 = ushr v3, v4
            v6 = iadd v0, v5
            v7 = iconst -4
            v8 = band v6, v7
            v9 = isub v0, v8
            v10 = iconst 0
            v11 = icmp eq v9, v10
            brif v11, block1, block2
        block1:
            return v10
        block2:
            return v9
        }
        """, STRENGTH);
  }

  @Test
  void exactQuotientsAgreeWithTheInterpreterForNegativeAndExtremeMultiples() {
    assertSameResults(HALVE_IF_EVEN, -8, -6, -3, -2, -1, 0, 1, 2, 3, 6, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1);
    String byMin = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst -9223372036854775808
            v2 = srem v0, v1
            v3 = iconst 0
            v4 = icmp eq v2, v3
            brif v4, block1, block2
        block1:
            v5 = sdiv v0, v1
            return v5
        block2:
            return v3
        }
        """;
    assertSameResults(byMin, Long.MIN_VALUE, 0, 1, -1, Long.MAX_VALUE);
  }

  private static Module optimized(String ir) {
    Module m = IrParser.parse(ir);
    m.verify();
    for (var f : m.functions()) {
      STRENGTH.run(f);
    }
    m.verify();
    return m;
  }

  /** Runs {@code @f} unoptimized in the interpreter and optimized in every engine. */
  private static void assertSameResults(String ir, long... args) {
    Module plain = IrParser.parse(ir);
    Module optimized = optimized(ir);
    int arity = plain.functions().get(0).signature().params().size();
    try (Instance reference = Interpreter.instantiate(plain)) {
      List<Instance> engines = Engines.instancesOf(optimized);
      try {
        for (long x : args) {
          long[] call = arity == 1 ? new long[] {x} : new long[] {x, -1};
          long expected = reference.callRaw("f", call);
          for (Instance run : engines) {
            assertEquals(expected, run.callRaw("f", call), "f(" + x + ")");
          }
        }
      } finally {
        engines.forEach(Instance::close);
      }
    }
  }
}
