package dev.kiln.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.source.Source;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file that is mostly errors gets a report of bounded size, quickly: nesting past the limit is
 * one error, at most {@link Reporter#MAX_ERRORS} errors are shown and then a line saying the
 * compile stopped, and a very long line is echoed only around its caret.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DiagnosticLimitsTest {
  private static final int LEVELS = 20_000;

  private static CompileErrors compileErrors(String text) {
    return assertThrows(CompileErrors.class, () -> FrontEnd.compile(new Source("t.kiln", text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"if true {\n", "if false { } else {\n", "while true {\n", "{\n"})
  void nestingTooDeepIsReportedOnceForBlocks(String open) {
    String text = "fn main() {\n" + open.repeat(LEVELS) + "}\n".repeat(LEVELS) + "}\n";
    CompileErrors e = compileErrors(text);
    assertEquals(1, e.diagnostics().size(), e.format());
    assertTrue(e.diagnostics().get(0).message().startsWith("program nested too deeply"));
    assertEquals(Parser.MAX_NESTING + 1, new Source("t", text).line(e.diagnostics().get(0).offset()),
        "reported at the first level past the limit (line k opens level k: main's body is level 1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"new int[", "a[", "(", "-", "f("})
  void nestingTooDeepIsReportedOnceForExpressions(String open) {
    String close = open.equals("-") ? "" : open.equals("(") || open.equals("f(") ? ")" : "]";
    String text = "fn f(x: int) -> int { return x; }\nfn main() {\n  let a = new int[1];\n  let x = "
        + open.repeat(LEVELS) + "1" + close.repeat(LEVELS) + ";\n}\n";
    CompileErrors e = compileErrors(text);
    assertEquals(1, e.diagnostics().size(), e.diagnostics().toString());
    assertTrue(e.diagnostics().get(0).message().startsWith("program nested too deeply"));
  }

  @Test
  void theFunctionsAfterOneNestedTooDeeplyAreStillChecked() {
    String text = "fn deep() {\n" + "{".repeat(LEVELS) + "}".repeat(LEVELS) + "\n}\n"
        + "fn main() {\n  let y = ;\n}\n";
    CompileErrors e = compileErrors(text);
    assertEquals(2, e.diagnostics().size(), e.diagnostics().toString());
    assertTrue(e.diagnostics().get(1).message().startsWith("expected an expression"));
  }

  @Test
  void afterTheErrorLimitTheCompileStopsAndSaysSo() {
    String text = "fn main() { " + "let x = ; ".repeat(30_000) + "}\n";
    assertTrue(text.length() > 300_000);
    CompileErrors e = compileErrors(text);
    assertEquals(Reporter.MAX_ERRORS, e.diagnostics().size());
    assertTrue(e.stopped());
    String report = e.format();
    assertTrue(report.endsWith("t.kiln: error: too many errors; stopped after the first 100\n"), report);
    assertTrue(report.length() < 100 * 400, "each echoed line is cut around its caret: " + report.length());
  }

  @Test
  void megabytesOfStrayBytesGiveOneHundredErrors() {
    CompileErrors e = compileErrors("\0".repeat(3_000_000));
    assertEquals(Reporter.MAX_ERRORS, e.diagnostics().size());
    assertTrue(e.stopped());
    assertEquals("unexpected character '\\x00'", e.diagnostics().get(0).message());
  }

  @Test
  void exactlyTheLimitIsNotReportedAsStopped() {
    CompileErrors e = compileErrors("fn main() { " + "let x = ; ".repeat(Reporter.MAX_ERRORS) + "}\n");
    assertEquals(Reporter.MAX_ERRORS, e.diagnostics().size());
    assertTrue(!e.stopped() && !e.format().contains("too many errors"));
  }
}
