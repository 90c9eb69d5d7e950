package dev.kiln.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.bytecode.Disassembler;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Syntax and semantic errors: messages, positions, recovery. */
class FrontEndTest {
  static List<String> errors(String text) {
    CompileErrors e =
        assertThrows(CompileErrors.class, () -> FrontEnd.compile(new Source("t.kiln", text)));
    Source s = new Source("t.kiln", text);
    return e.diagnostics().stream()
        .map(d -> s.line(d.offset()) + ":" + s.column(d.offset()) + ": " + d.message())
        .collect(Collectors.toList());
  }

  static String main(String body) {
    return "fn main() {\n" + body + "\n}\n";
  }

  @Test
  void errorFormatHasFileLineColumnSourceAndCaret() {
    CompileErrors e =
        assertThrows(
            CompileErrors.class,
            () -> FrontEnd.compile(new Source("dir/x.kiln", "fn main() {\n\tlet y = z;\n}\n")));
    assertEquals(
        "dir/x.kiln:2:10: error: undefined variable 'z'\n\tlet y = z;\n\t        ^\n", e.format());
  }

  @Test
  void parserRecoversAndReportsEverySyntaxError() {
    List<String> errs = errors("fn main() {\n let a = 1\n let b = ;\n print(a b);\n}\nfn f( {\n}\n");
    assertEquals(4, errs.size(), errs.toString());
    assertTrue(errs.get(0).startsWith("3:2: expected ';'"), errs.toString());
    assertTrue(errs.get(1).startsWith("3:10: expected an expression"), errs.toString());
    assertTrue(errs.get(2).startsWith("4:10: expected ')'"), errs.toString());
    assertTrue(errs.get(3).startsWith("6:7: expected identifier"), errs.toString());
  }

  @Test
  void eachSourcePositionHasOneEntryWhateverAsksForIt() throws CompileErrors {
    Program p = FrontEnd.compile(new Source("t.kiln", "fn f(a: int[], n: int) -> int {\n"
        + "  let s = 0;\n  for i in 0..n { s += a[i] / n; }\n  while s > n { s = s % n; }\n"
        + "  return s / n;\n}\n" + main("let a = new int[4];\nprint(f(a, 3), f(a, 2));")));
    Map<String, Integer> entries = new HashMap<>();
    int[] code = p.code();
    for (int pc = 0; pc < code.length; pc += Op.length(code[pc])) {
      String shape = Op.shape(code[pc]);
      List<Integer> positions = new ArrayList<>(List.of(p.positionAt(pc)));
      for (int k = 0; k < shape.length(); k++) {
        if (shape.charAt(k) == 'p') {
          positions.add(code[pc + 1 + k]);
        }
      }
      for (int i : positions) {
        Integer first = entries.putIfAbsent(p.line(i) + ":" + p.column(i), i);
        assertEquals(first == null ? i : first, i, "line:column " + p.line(i) + ":" + p.column(i));
      }
    }
    assertTrue(entries.size() > 8, entries.toString());
  }

  @Test
  void comparisonsDoNotChain() {
    assertTrue(errors(main("let b = 1 < 2 < 3;")).get(0).contains("cannot be chained"));
  }

  @Test
  void deepNestingIsAnErrorNotACrash() {
    String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
    assertTrue(errors(main("let x = " + deep + ";")).get(0).contains("nested too deeply"));
  }

  @Test
  void moderatelyDeepNestingCompiles() throws CompileErrors {
    String deep = "(".repeat(5_000) + "1" + ")".repeat(5_000);
    FrontEnd.compile(new Source("t.kiln", main("print(" + deep + ");")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "let x = 1 + 2.0;|2:13: type mismatch: expected int, found float",
        "print(y);|2:7: undefined variable 'y'",
        "if 1 { }|2:4: type mismatch: expected bool, found int",
        "while 1.5 { }|2:7: type mismatch: expected bool, found float",
        "break;|2:1: 'break' outside of a loop",
        "continue;|2:1: 'continue' outside of a loop",
        "let x = 1; let x = 2;|2:16: variable 'x' is already declared in this block",
        "let x = 9223372036854775808;|2:9: integer literal out of range",
        "let x = 1.5 % 2.0;|2:13: operator '%' cannot be applied to float",
        "let x = !3;|2:9: operator '!' cannot be applied to int",
        "let b = true < false;|2:14: operator '<' cannot be applied to bool",
        "let a = new int[3]; let b = a == a;|2:31: operator '==' cannot be applied to int[]",
        "f();|2:1: undefined function 'f'",
        "let s = \"x\";|2:9: a string literal can only be an argument of print",
        "print();|2:1: print needs at least one argument",
        "let a = new int[2]; print(a);|2:27: cannot print a value of type int[]",
        "let x = int(3);|2:13: type mismatch: expected float, found int",
        "let x = len(3);|2:13: type mismatch: expected an array, found int",
        "let x = 3; x[0] = 1;|2:13: cannot index a value of type int",
        "let x: float = 1;|2:16: type mismatch: expected float, found int",
        "let x = 1; x += 0.5;|2:17: type mismatch: expected int, found float",
        "1 + 2;|2:1: only a call or an assignment can be a statement",
        "let b = 1 && true;|2:11: operator '&&' cannot be applied to int",
      })
  void semanticErrors(String body, String expected) {
    List<String> errs = errors(main(body));
    assertTrue(errs.get(0).startsWith(expected), errs.toString());
  }

  @Test
  void allSemanticErrorsOfAFileAreReported() {
    assertEquals(3, errors(main("let a = x;\nlet b = y;\nlet c = 1 + 1.0;")).size());
  }

  @Test
  void functionLevelRules() {
    assertTrue(errors("fn f() -> int { }").toString().contains("no 'main' function"));
    assertTrue(
        errors("fn main(x: int) { }").get(0).contains("'main' must take no parameters"));
    assertTrue(
        errors("fn f(x: int) -> int { if x > 0 { return 1; } }\nfn main() { }")
            .get(0)
            .contains("missing return: function 'f' must return int on every path"));
    assertTrue(errors("fn f() { }\nfn f() { }\nfn main() { }").get(0).contains("already defined"));
    assertTrue(errors("fn f(a: int, a: int) { }\nfn main() { }").get(0).contains("parameter 'a'"));
    assertTrue(
        errors("fn f(a: int) { let a = 2; }\nfn main() { }").get(0).contains("already declared"));
    assertTrue(
        errors("fn f(a: int, b: float) { }\nfn main() { f(1); f(1.0, 2.0); }")
            .toString()
            .contains("wrong number of arguments to 'f': expected 2, found 1"));
    assertTrue(errors("fn f() { }\nfn main() { let x = f(); }").get(0).contains("returns nothing"));
    assertTrue(errors("fn f() -> int { return; }\nfn main() { }").get(0).contains("missing return value"));
  }

  @Test
  void returnOnEveryPathIncludingEndlessLoops() throws CompileErrors {
    FrontEnd.compile(
        new Source(
            "t.kiln",
            "fn f(x: int) -> int { if x > 0 { return 1; } else if x < 0 { return 2; } else { return 3; } }\n"
                + "fn g() -> int { while true { } }\n"
                + "fn main() { print(f(1), g()); }"));
    assertTrue(
        errors("fn g() -> int { while true { break; } }\nfn main() { }")
            .get(0)
            .contains("missing return"));
  }

  @Test
  void negatedMinimumIntLiteralIsLegal() throws CompileErrors {
    Program p =
        FrontEnd.compile(new Source("t.kiln", main("print(-9223372036854775808);")));
    assertTrue(Disassembler.listing(p).contains("-9223372036854775808"));
  }
}
