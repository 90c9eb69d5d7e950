package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IR test file: a module and, in comments, what running it must give, checked in file order on
 * one instance (memory written by one line is seen by the next):
 *
 * <pre>
 * ; run: @sum(10) == 45            the call returns 45 (f64: 1.5, -0.0, inf, nan; bits compared)
 * ; run: @reset()                  the call returns normally
 * ; trap: @g(0) division_by_zero at 12     the call traps: kind, [user code], [at position]
 * ; output: 45                     one line of what the calls print, in order
 * </pre>
 */
record IrTestFile(String name, String text, List<String> directives, String expectedOutput) {
  private static final Pattern RUN =
      Pattern.compile("; run: @([A-Za-z_][\\w.]*)\\((.*)\\)(?:\\s*==\\s*(\\S+))?\\s*");
  private static final Pattern TRAP = Pattern.compile(
      "; trap: @([A-Za-z_][\\w.]*)\\((.*)\\)\\s+([a-z_]+)(?:\\s+(-?\\d+))?(?:\\s+at\\s+(\\d+))?\\s*");

  static IrTestFile load(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> directives = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String l = line.strip();
      if (l.startsWith("; run:") || l.startsWith("; trap:")) {
        directives.add(l);
      } else if (l.startsWith("; output:")) {
        output.append(l.substring("; output:".length()).replaceFirst("^ ", "")).append('\n');
      }
    }
    return new IrTestFile(file.getFileName().toString(), text, directives, output.toString());
  }

  /** Runs every directive on one instance made by {@code mode}. */
  void check(BiFunction<Module, InstanceOptions, Instance> mode) {
    Module module = IrParser.parse(text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StandardImports io = new StandardImports(new ByteArrayInputStream(new byte[0]), out);
    try (Instance instance = mode.apply(module, io.bind(module, new InstanceOptions()))) {
      for (String d : directives) {
        Matcher run = RUN.matcher(d);
        Matcher trap = TRAP.matcher(d);
        if (run.matches()) {
          Object result = instance.call(run.group(1), arguments(run.group(2)));
          if (run.group(3) != null) {
            assertSame(literal(run.group(3)), result, name + ": " + d);
          }
        } else if (trap.matches()) {
          TrapException e = assertThrows(TrapException.class,
              () -> instance.call(trap.group(1), arguments(trap.group(2))), name + ": " + d);
          assertEquals(trap.group(3), e.kind().spelling(), name + ": " + d + ": " + e.getMessage());
          if (trap.group(4) != null) {
            assertEquals(Long.parseLong(trap.group(4)), e.code(), name + ": " + d);
          }
          int position = trap.group(5) == null ? Instruction.NO_POSITION
              : Integer.parseInt(trap.group(5));
          assertEquals(position, e.position(), name + ": " + d + ": " + e.getMessage());
        } else {
          fail(name + ": cannot read the directive '" + d + "'");
        }
      }
    }
    io.flush();
    assertEquals(expectedOutput, out.toString(StandardCharsets.UTF_8), name + ": output");
  }

  private static void assertSame(Object expected, Object actual, String message) {
    if (expected instanceof Double e && actual instanceof Double a) {
      assertTrue(e.isNaN() ? a.isNaN()
              : Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(a),
          message + ": expected " + e + " but was " + a);
    } else {
      assertEquals(expected, actual, message);
    }
  }

  private static Object[] arguments(String list) {
    if (list.isBlank()) {
      return new Object[0];
    }
    String[] parts = list.split(",");
    Object[] args = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      args[i] = literal(parts[i].strip());
    }
    return args;
  }

  /** {@code 45}, {@code -0x10}, {@code 1.5}, {@code -0.0}, {@code inf}, {@code nan}. */
  static Object literal(String s) {
    switch (s) {
      case "nan":
        return Double.NaN;
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    boolean negative = s.startsWith("-");
    String digits = negative ? s.substring(1) : s;
    if (digits.startsWith("0x")) {
      long v = Long.parseUnsignedLong(digits.substring(2), 16);
      return negative ? -v : v;
    }
    if (s.contains(".") || s.contains("E") || s.contains("e")) {
      return Double.parseDouble(s);
    }
    return Long.parseLong(s);
  }
}
