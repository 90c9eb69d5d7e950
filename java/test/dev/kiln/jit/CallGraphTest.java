package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import org.junit.jupiter.api.Test;

/** What the call graph tells the generator: leaves, functions on cycles, upcall reach, arguments passed. */
class CallGraphTest {
  private static final String PROGRAM = """
      fn leaf(x: int) -> int { return x + 1; }
      fn rec(n: int) -> int { if n == 0 { return 0; } return rec(n - 1); }
      fn ping(n: int) -> int { if n == 0 { return 0; } return pong(n - 1); }
      fn pong(n: int) -> int { return ping(n) + leaf(n); }
      fn printer(x: int) { print(x); }
      fn viaPrinter(x: int) -> int { printer(x); return leaf(x); }
      fn five(a: int, b: int, c: int, d: int, e: int) -> int { return a + b + c + d + e; }
      fn callsFive(x: int) -> int { return leaf(x) + five(x, x, x, x, x); }
      fn main() {
          print(rec(3) + ping(2) + viaPrinter(1));
      }
      """;

  private static String describe(Program program, CallGraph g, int f) {
    return program.function(f).name() + (g.isLeaf(f) ? " leaf" : "") + (g.isRecursive(f) ? " recursive" : "")
        + (g.makesUpcalls(f) ? " upcalls" : "") + (g.reachesUpcall(f) ? " reaches-upcall" : "")
        + " args " + g.maxCallArgs(f);
  }

  @Test
  void classifiesEachFunction() throws Exception {
    Program program = FrontEnd.compile(new Source("p.kiln", PROGRAM));
    CallGraph g = CallGraph.of(program);
    StringBuilder sb = new StringBuilder();
    for (int f = 0; f < program.functions().size(); f++) {
      sb.append(describe(program, g, f)).append('\n');
    }
    assertEquals("""
        leaf leaf args 0
        rec recursive args 1
        ping recursive args 1
        pong recursive args 1
        printer leaf upcalls reaches-upcall args 0
        viaPrinter reaches-upcall args 1
        five leaf args 0
        callsFive args 5
        main upcalls reaches-upcall args 1
        """, sb.toString());
  }

  @Test
  void aLongChainOfCallsIsNoCycleAndNeedsNoDeepJavaStack() throws Exception {
    StringBuilder sb = new StringBuilder();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      sb.append("fn f").append(i).append("() -> int { return f").append(i + 1).append("(); }\n");
    }
    sb.append("fn f").append(n).append("() -> int { return 1; }\n");
    sb.append("fn main() { print(f0()); }\n");
    Program program = FrontEnd.compile(new Source("p.kiln", sb.toString()));
    CallGraph g = CallGraph.of(program);
    for (int f = 0; f < program.functions().size(); f++) {
      assertEquals(false, g.isRecursive(f), program.function(f).name());
    }
  }

  /**
   * The graph after inlining, which reads only the rewritten functions again, says what a graph
   * read from the whole inlined program says: here viaPrinter inlines printer (now making upcalls
   * itself) and leaf (now a leaf), pong inlines leaf, and rec inlines itself; random programs too.
   */
  @Test
  void theGraphAfterInliningIsTheInlinedProgramsGraph() throws Exception {
    for (long seed = 0; seed <= 20; seed++) {
      String source = seed == 0 ? PROGRAM : RandomProgramGenerator.generate(seed);
      Inlined inlined = Inliner.inline(FrontEnd.compile(new Source("p.kiln", source)));
      Program program = inlined.program();
      CallGraph read = CallGraph.of(program);
      for (int f = 0; f < program.functions().size(); f++) {
        assertEquals(describe(program, read, f), describe(program, inlined.calls(), f), source);
      }
    }
    Inlined inlined = Inliner.inline(FrontEnd.compile(new Source("p.kiln", PROGRAM)));
    assertEquals("viaPrinter leaf upcalls reaches-upcall args 0",
        describe(inlined.program(), inlined.calls(), 5));
  }
}
