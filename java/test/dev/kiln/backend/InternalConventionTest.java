package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import dev.kiln.runtime.CallingConvention;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The internal convention's register arguments: more i64 and f64 parameters than it has
 * registers for, interleaved, received from the entry stub, from a direct call and from
 * {@code call_indirect}, with the arguments rotated so that their moves form cycles.
 */
class InternalConventionTest {
  private static final int PAIRS = 9;

  static List<CallingConvention> conventions() {
    return List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64);
  }

  /** {@code @many}: the i64s weighted by 3, 5, 7, ... plus the f64s weighted by 1, 9, 25, ... */
  private static String module() {
    StringBuilder types = new StringBuilder();
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < 2 * PAIRS; i++) {
      String t = i % 2 == 0 ? "i64" : "f64";
      types.append(i > 0 ? ", " : "").append(t);
      params.append(i > 0 ? ", " : "").append("v").append(i).append(": ").append(t);
    }
    String sig = "(" + types + ") -> f64";
    StringBuilder body = new StringBuilder();
    int next = 2 * PAIRS;
    String sum = null;
    for (int i = 0; i < 2 * PAIRS; i += 2) {
      body.append("    v").append(next).append(" = iconst ").append(i + 3).append('\n');
      body.append("    v").append(next + 1).append(" = imul v").append(i).append(", v")
          .append(next).append('\n');
      String term = "v" + (next + 1);
      next += 2;
      if (sum != null) {
        body.append("    v").append(next).append(" = iadd ").append(sum).append(", ")
            .append(term).append('\n');
        term = "v" + next++;
      }
      sum = term;
    }
    body.append("    v").append(next).append(" = fcvt_from_sint ").append(sum).append('\n');
    String fsum = "v" + next++;
    for (int i = 1; i < 2 * PAIRS; i += 2) {
      body.append("    v").append(next).append(" = fconst ").append((double) (i * i))
          .append('\n');
      body.append("    v").append(next + 1).append(" = fmul v").append(i).append(", v")
          .append(next).append('\n');
      body.append("    v").append(next + 2).append(" = fadd ").append(fsum).append(", v")
          .append(next + 1).append('\n');
      fsum = "v" + (next + 2);
      next += 3;
    }
    body.append("    return ").append(fsum).append('\n');
    String many = "function @many" + sig + " {\nblock0(" + params + "):\n" + body + "}\n";
    return many + caller("direct", sig, params, 2, "call @many(") + caller("indirect", sig,
        params, 4, "call_indirect " + sig + ", v100(");
  }

  /** A function passing its parameters on, rotated by {@code by} places, to {@code call}. */
  private static String caller(String name, String sig, CharSequence params, int by,
      String call) {
    StringBuilder args = new StringBuilder();
    for (int i = 0; i < 2 * PAIRS; i++) {
      args.append(i > 0 ? ", " : "").append("v").append((i + by) % (2 * PAIRS));
    }
    return "function @" + name + sig + " {\nblock0(" + params + "):\n"
        + "    v100 = func_ref @many\n    v101 = " + call + args + ")\n    return v101\n}\n";
  }

  private static double many(Object[] args) {
    long ints = 0;
    for (int i = 0; i < args.length; i += 2) {
      ints += (long) args[i] * (i + 3);
    }
    double sum = ints;
    for (int i = 1; i < args.length; i += 2) {
      sum += (double) args[i] * (i * i);
    }
    return sum;
  }

  private static Object[] arguments(int rotate) {
    Object[] args = new Object[2 * PAIRS];
    for (int i = 0; i < args.length; i++) {
      int from = (i + rotate) % args.length;
      args[i] = from % 2 == 0 ? (Object) (long) (from * 11 + 1) : (Object) (from * 0.25 - 1);
    }
    return args;
  }

  @ParameterizedTest
  @MethodSource("conventions")
  void argumentsBeyondTheRegistersArriveInOrder(CallingConvention c) {
    Module m = IrParser.parse(module());
    try (CompiledModule run = Backend.compile(m, new CompileOptions().convention(c),
        new InstanceOptions())) {
      assertEquals(many(arguments(0)), run.call("many", arguments(0)));
      assertEquals(many(arguments(2)), run.call("direct", arguments(0)));
      assertEquals(many(arguments(4)), run.call("indirect", arguments(0)));
    }
  }
}
