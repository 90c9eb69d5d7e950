package dev.kiln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Output;
import dev.kiln.vm.RuntimeErrorKind;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Semantics of the interpreter, program by program. */
class InterpreterTest {
  private final StringWriter stdout = new StringWriter();

  private Program compile(String text) throws CompileErrors {
    return FrontEnd.compile(new Source("t.kiln", text));
  }

  private String run(String text) throws CompileErrors {
    runWith(compile(text), 1L << 30, Deadline.none());
    return stdout.toString();
  }

  private String runMain(String body) throws CompileErrors {
    return run("fn main() {\n" + body + "\n}\n");
  }

  private void runWith(Program p, long memory, Deadline deadline) {
    Output out = new Output(stdout);
    try (Heap heap = new Heap(memory)) {
      new Interpreter(p, heap, out, deadline).run();
    } finally {
      out.flush();
    }
  }

  private KilnRuntimeError failure(String text) throws CompileErrors {
    Program p = compile(text);
    return assertThrows(KilnRuntimeError.class, () -> runWith(p, 1L << 30, Deadline.none()));
  }

  @Test
  void integerArithmeticWrapsAndDividesTowardZero() throws CompileErrors {
    assertEquals(
        "3 -1 -3 1 -9223372036854775808 -9223372036854775808 0\n",
        runMain(
            "let m = -9223372036854775808; let x = 9223372036854775807;"
                + " print(7 / 2, -7 % 3, -7 / 2, 7 % -3, x + 1, m / -1, m % -1);"));
  }

  @Test
  void shiftsTakeTheCountMod64() throws CompileErrors {
    assertEquals("2 -4 15 2 -6 6 1\n",
        runMain("let s = 65; print(1 << s, -8 >> 1, -8 >>> 60, 1 << 65, ~5, 5 ^ 3, 3 & 5);"));
  }

  @Test
  void floatsFollowIeeeAndPrintLikeJava() throws CompileErrors {
    assertEquals(
        "Infinity -0.0 NaN false true false 1.0E10 0.1 3.0\n",
        runMain(
            "let z = 0.0; let n = z / z;"
                + " print(1.0 / z, -z, n, n == n, n != n, n < 1.0, 1e10, 0.1, 1.5 * 2.0);"));
  }

  @Test
  void nanComparisonsInBranchesMatchComparisonsAsValues() throws CompileErrors {
    assertEquals(
        "ok1\nok2\nok3\n",
        runMain(
            "let n = 0.0 / 0.0;"
                + " if !(n < 1.0) { print(\"ok1\"); }"
                + " if n >= 1.0 { print(\"bad\"); } else { print(\"ok2\"); }"
                + " if n != n { print(\"ok3\"); }"));
  }

  @Test
  void conversionsTruncateAndSaturate() throws CompileErrors {
    assertEquals(
        "0 9223372036854775807 -9223372036854775808 -2 3.0\n",
        runMain("print(int(0.0 / 0.0), int(1e300), int(-1e300), int(-2.9), float(3));"));
  }

  @Test
  void shortCircuitAndEvaluationOrder() throws CompileErrors {
    assertEquals(
        "a\nb\nfalse true\n",
        run(
            "fn t(s: int, v: bool) -> bool { if s == 1 { print(\"a\"); } else { print(\"b\"); }"
                + " return v; }\n"
                + "fn main() { print(t(1, false) && t(2, true), t(2, true) || t(1, false)); }"));
  }

  @Test
  void forBoundsAreEvaluatedOnceAndTheVariableIsFresh() throws CompileErrors {
    assertEquals(
        "0 1 2\n10\n11\n12\n",
        runMain(
            "let n = 3; let a = 0; let b = 0; let c = 0;"
                + " for i in 0..n { n = 100; if i == 0 { a = i; } if i == 1 { b = i; } c = i; }"
                + " print(a, b, c);"
                + " for i in 0..3 { i = i + 10; print(i); }"));
  }

  @Test
  void whileBreakContinueAndShadowing() throws CompileErrors {
    assertEquals(
        "25 2\n",
        runMain(
            "let s = 0; let i = 0; let x = 1;"
                + " while true { i += 1; if i > 9 { break; } if i % 2 == 0 { continue; } s += i; }"
                + " { let x = 2; print(s, x); }"));
  }

  @Test
  void arraysAreZeroFilledAndPassedByReference() throws CompileErrors {
    assertEquals(
        "0 0.0 3\n7 2.5\n",
        run(
            "fn fill(a: int[]) { a[1] = 7; }\n"
                + "fn main() { let a = new int[3]; let f = new float[2];"
                + " print(a[0], f[1], len(a)); fill(a); f[0] += 2.5; print(a[1], f[0]); }"));
  }

  @Test
  void recursionReachesTenThousandFrames() throws CompileErrors {
    assertEquals(
        "10000\n",
        run("fn d(n: int) -> int { if n == 0 { return 0; } return 1 + d(n - 1); }\n"
            + "fn main() { print(d(10000)); }"));
  }

  @Test
  void runtimeErrorsCarryKindAndPosition() throws CompileErrors {
    KilnRuntimeError e = failure("fn main() {\n let z = 0;\n print(1 / z);\n}");
    assertEquals(RuntimeErrorKind.DIVISION_BY_ZERO, e.kind());
    Program p = compile("fn main() {\n let z = 0;\n print(1 / z);\n}");
    assertEquals(3, p.line(e.position()));
    assertEquals(10, p.column(e.position()));
    assertEquals("index out of bounds: index 3, length 3",
        failure("fn main() { let a = new int[3]; a[3] = 1; }").getMessage());
    assertEquals("index out of bounds: index -1, length 3",
        failure("fn main() { let a = new int[3]; print(a[-1]); }").getMessage());
    assertEquals("negative array size: -4",
        failure("fn main() { let a = new float[-4]; }").getMessage());
    assertEquals("assertion failed", failure("fn main() { assert(1 > 2); }").getMessage());
    assertEquals("stack overflow",
        failure("fn f(n: int) -> int { return f(n + 1); }\nfn main() { print(f(0)); }")
            .getMessage());
  }

  @Test
  void memoryCapAndTimeLimit() throws CompileErrors {
    Program big = compile("fn main() { let a = new int[1000000]; }");
    KilnRuntimeError oom =
        assertThrows(KilnRuntimeError.class, () -> runWith(big, 1 << 20, Deadline.none()));
    assertEquals(RuntimeErrorKind.OUT_OF_MEMORY, oom.kind());
    Program endless = compile("fn main() { let i = 0; while true { i += 1; } }");
    KilnRuntimeError slow =
        assertThrows(KilnRuntimeError.class, () -> runWith(endless, 1 << 20, Deadline.after(0.05)));
    assertEquals(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, slow.kind());
  }

  @Test
  void outputBeforeAnErrorIsKept() throws CompileErrors {
    assertThrows(KilnRuntimeError.class, () -> runMain("print(1); assert(false);"));
    assertEquals("1\n", stdout.toString());
  }
}
