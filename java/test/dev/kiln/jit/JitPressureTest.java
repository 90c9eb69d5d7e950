package dev.kiln.jit;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs that stress what random programs rarely reach: more live values than registers (so
 * spilled slots, and slots sharing registers), values live across calls and upcalls in every
 * register of both pools, and division by every kind of constant. The JIT must print what the
 * interpreter prints, in both conventions.
 */
class JitPressureTest {
  @TempDir Path dir;

  /** 30 ints and 20 floats, all live across a call and a print, then all summed. */
  private static String manyLiveValues() {
    StringBuilder sb = new StringBuilder("fn id(x: int, y: float) -> int { print(x, y); return x; }\n");
    sb.append("fn main() {\n");
    for (int i = 0; i < 30; i++) {
      sb.append("    let i").append(i).append(" = ").append(i * 7919 - 100000).append(";\n");
    }
    for (int i = 0; i < 20; i++) {
      sb.append("    let f").append(i).append(" = ").append(i).append(".25;\n");
    }
    sb.append("    let a = new int[3];\n");
    sb.append("    let r = id(i3, f7) + id(i29, f19);\n");
    StringBuilder ints = new StringBuilder("r");
    StringBuilder floats = new StringBuilder("0.0");
    for (int i = 0; i < 30; i++) {
      ints.append(" + i").append(i);
    }
    for (int i = 0; i < 20; i++) {
      floats.append(" + f").append(i);
    }
    sb.append("    print(").append(ints).append(", ").append(floats).append(", len(a));\n}\n");
    return sb.toString();
  }

  /** Every constant divisor shape (powers of two, negative, magic) over edge dividends. */
  private static String constantDivisions() {
    long[] dividends = {0, 1, -1, 7, -7, 1000000007, Long.MAX_VALUE, Long.MIN_VALUE + 1};
    int[] divisors = {1, -1, 2, -2, 3, -3, 7, 8, 10, 64, -64, 1 << 30, 641, 1000000007, Integer.MIN_VALUE};
    StringBuilder sb = new StringBuilder("fn main() {\n");
    for (long x : dividends) {
      sb.append("    let x").append(x < 0 ? "m" + (-x) : x).append(" = ").append(x).append(";\n");
      String v = "x" + (x < 0 ? "m" + (-x) : x);
      for (int d : divisors) {
        sb.append("    print(").append(v).append(" / ").append(d).append(", ").append(v).append(" % ")
            .append(d).append(", ").append(v).append(" * ").append(d).append(");\n");
      }
    }
    sb.append("    let m = -9223372036854775808;\n");
    sb.append("    print(m / -1, m % -1, m / 2, m % 2, m / 3, m % 3, m * -1);\n}\n");
    return sb.toString();
  }

  @Test
  void manyLiveValuesSurviveCallsAndUpcalls() throws IOException {
    assertSameInAllModes(manyLiveValues());
  }

  @Test
  void divisionByConstantsMatchesTheInterpreter() throws IOException {
    assertSameInAllModes(constantDivisions());
  }

  /**
   * Float temporaries handed from one instruction to the next in xmm0: results of calls, loads,
   * conversions and arithmetic feeding arithmetic (either operand), stores, prints and returns,
   * with slots the front end reuses for indexes (so some results live in general registers).
   */
  @Test
  void floatTemporariesHandedOverMatchTheInterpreter() throws IOException {
    assertSameInAllModes("""
        fn half(x: float) -> float { return x * 0.5; }
        fn mix(s: float[], i: int, j: int) -> float {
            let d = s[i] - s[j];
            let e = s[i + 1] * s[j + 1] / half(d * d + s[i + 2] * s[j + 2]);
            s[i + 3] = -(e + float(i)) * half(s[j]);
            return half(e) + s[i + 3] - float(j * 3);
        }
        fn main() {
            let s = new float[12];
            for k in 0..12 { s[k] = float(k * k - 20) / 3.0; }
            let t = 0.0;
            for k in 0..8 { t += mix(s, k, (k * 5) % 8); print(t, s[k + 3]); }
            print(half(t) * half(-t), 1.0 / half(0.0), int(half(t) - mix(s, 1, 2)));
        }
        """);
  }

  private void assertSameInAllModes(String source) throws IOException {
    BothModes.assertSame(dir, source, 0);
  }
}
