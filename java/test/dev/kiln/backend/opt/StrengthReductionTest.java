package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.backend.Engines;
import dev.kiln.ir.Instance;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

class StrengthReductionTest {
  private static final Pass STRENGTH = new StrengthReduction();

  private static final long[] DIVISORS = {
    1, -1, 2, -2, 3, -3, 4, -4, 5, 6, 7, -7, 8, 10, -10, 12, 25, 64, -64, 100, 641, 1000,
    1_000_000_007, -1_000_000_007, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 32, (1L << 31) + 1,
    (1L << 32) + 1, 0x5555_5555_5555_5555L, 1L << 62, (1L << 62) + 1, Long.MAX_VALUE,
    Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, -(1L << 62), 0x8000_0000_0000_0001L,
    0xFFFF_FFFF_0000_0000L, -3_037_000_499L
  };
  private static final long[] DIVIDENDS = {
    0, 1, -1, 2, -2, 3, -3, 6, -6, 7, -7, 1000, -1000, 641, -641, Long.MAX_VALUE, Long.MIN_VALUE,
    Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 40,
    -(1L << 40), 1L << 62, -(1L << 62), 0x8000_0000_0000_0001L
  };
  private static final String[] OPS = {"sdiv", "srem", "udiv", "urem", "imul"};
  private static final LongBinaryOperator[] JAVA = {
    (x, d) -> x / d, (x, d) -> x % d, Long::divideUnsigned, Long::remainderUnsigned,
    (x, d) -> x * d
  };

  @Test
  void multipliesByPowersOfTwoWithShiftsAndByMinusOneWithANegation() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 8
            v2 = imul v0, v1
            v3 = iconst -1
            v4 = imul v3, v2
            v5 = iconst -4
            v6 = imul v4, v5
            v7 = iconst 10
            v8 = imul v7, v6
            v9 = imul v8, v7
            return v9
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 8
            v2 = iconst 3
            v3 = ishl v0, v2
            v4 = iconst -1
            v5 = ineg v3
            v6 = iconst -4
            v7 = iconst 2
            v8 = ishl v5, v7
            v9 = ineg v8
            v10 = iconst 10
            v11 = iconst 10
            v12 = imul v9, v11
            v13 = imul v12, v10
            return v13
        }
        """, STRENGTH);
  }

  @Test
  void dividesByAPowerOfTwoRoundingTowardZero() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst -8
            v2 = sdiv v0, v1
            v3 = iconst 8
            v4 = urem v2, v3
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst -8
            v2 = iconst 63
            v3 = sshr v0, v2
            v4 = iconst 61
            v5 = ushr v3, v4
            v6 = iadd v0, v5
            v7 = iconst 3
            v8 = sshr v6, v7
            v9 = ineg v8
            v10 = iconst 8
            v11 = iconst 7
            v12 = band v9, v11
            return v12
        }
        """, STRENGTH);
  }

  @Test
  void dividesByOtherConstantsWithAMagicMultiplier() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = sdiv v0, v1
            v3 = iconst 7
            v4 = udiv v2, v3
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = iconst 6148914691236517206
            v3 = smulhi v0, v2
            v4 = iconst 63
            v5 = ushr v3, v4
            v6 = iadd v3, v5
            v7 = iconst 7
            v8 = iconst 2635249153387078803
            v9 = umulhi v6, v8
            v10 = isub v6, v9
            v11 = iconst 1
            v12 = ushr v10, v11
            v13 = iadd v12, v9
            v14 = iconst 2
            v15 = ushr v13, v14
            return v15
        }
        """, STRENGTH);
  }

  @Test
  void leavesDivisionByZeroAndByVariablesAndMultiplicationOfConstants() {
    String kept = """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = sdiv v0, v2 @4
            v4 = urem v0, v1 @5
            v5 = iconst 6
            v6 = imul v2, v5
            v7 = imul v0, v5
            v8 = iconst 1
            v9 = imul v0, v8
            return v9
        }
        """;
    assertPasses(kept, kept, STRENGTH);
    Module m = IrParser.parse(kept);
    for (Instance run : Engines.instancesOf(m)) {
      try (run) {
        TrapException e = assertThrows(TrapException.class, () -> run.call("f", 5L, 1L));
        assertEquals(TrapKind.DIVISION_BY_ZERO, e.kind());
        assertEquals(4, e.position());
      }
    }
  }

  /**
   * Every operation by every divisor and edge or random dividend: the interpreter (unoptimized,
   * the reference), both compiled conventions (optimized) and Java agree.
   */
  @Test
  void dividesAndMultipliesLikeTheInterpreterForEdgeAndRandomOperands() {
    StringBuilder text = new StringBuilder();
    for (String op : OPS) {
      for (int d = 0; d < DIVISORS.length; d++) {
        text.append("function @").append(op).append(d).append("(i64) -> i64 {\n")
            .append("block0(v0: i64):\n    v1 = iconst ").append(DIVISORS[d])
            .append("\n    v2 = ").append(op).append(" v0, v1\n    return v2\n}\n");
      }
    }
    Module m = IrParser.parse(text.toString());
    Random random = new Random(12);
    List<Long> dividends = new ArrayList<>();
    for (long x : DIVIDENDS) {
      dividends.add(x);
    }
    for (int i = 0; i < 40; i++) {
      dividends.add(random.nextLong() >> random.nextInt(64));
    }
    List<Instance> engines = Engines.instancesOf(m);
    try {
      for (int o = 0; o < OPS.length; o++) {
        for (int d = 0; d < DIVISORS.length; d++) {
          String name = OPS[o] + d;
          for (long x : dividends) {
            long expected = JAVA[o].applyAsLong(x, DIVISORS[d]);
            for (Instance run : engines) {
              assertEquals(expected, run.callRaw(name, x), x + " " + OPS[o] + " " + DIVISORS[d]);
            }
          }
        }
      }
    } finally {
      engines.forEach(Instance::close);
    }
  }
}
