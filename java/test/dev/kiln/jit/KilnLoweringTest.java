package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.backend.CompileOptions;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.Module;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.KilnRuntimeError;
import dev.kiln.vm.Output;
import java.io.StringWriter;
import java.util.BitSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Kiln bytecode lowered to the IR: the shape of the module, and programs that must print and fail
 * exactly as in the interpreter.
 */
class KilnLoweringTest {
  private static final long HEAP_BYTES = 1 << 20;

  private static Program compile(String text) throws CompileErrors {
    return FrontEnd.compile(new Source("t.kiln", text));
  }

  /** Runs {@code program} with {@code executor}; its output, then its error if any. */
  private static String outcome(Program program, BiConsumer<Heap, Output> executor) {
    StringWriter text = new StringWriter();
    Output out = new Output(text);
    try (Heap heap = new Heap(HEAP_BYTES)) {
      executor.accept(heap, out);
    } catch (KilnRuntimeError e) {
      out.flush();
      return text + "error " + e.kind() + " at " + e.position() + ": " + e.getMessage();
    }
    out.flush();
    return text.toString();
  }

  /**
   * The common outcome of the interpreter and the back end, which must agree: compiled from the
   * first call or back edge, and handed over from the interpreter after each number of them up
   * to 40.
   */
  private static String run(String text) throws CompileErrors {
    Program p = compile(text);
    String expected = interpreted(p);
    for (long after = 0; after <= 40; after++) {
      assertEquals(expected, handedOverAfter(p, after),
          "the back end against the interpreter, compiled after " + after + " calls and back edges");
    }
    return expected;
  }

  private static String interpreted(Program p) {
    return outcome(p, (heap, out) -> new Interpreter(p, heap, out, Deadline.none()).run());
  }

  /** The outcome on the back end, handed over after {@code after} calls and back edges. */
  private static String handedOverAfter(Program p, long after) {
    return outcome(p, (heap, out) -> KilnJit.run(p, new CompileOptions(), heap, out,
        Deadline.none(), refusal -> fail(refusal), after));
  }

  @Test
  void lowersSlotsToVariablesAndBranchesToBlocksInBytecodeOrder() throws CompileErrors {
    Module m = KilnLowering.lower(compile("""
        fn count(n: int) -> int {
            let i = 0;
            while i < n { i += 1; }
            return i;
        }
        fn main() { print(count(3)); }
        """), HEAP_BYTES);
    // The loop's test is at the bottom: its block (block3) follows the body (block2) as in the
    // bytecode, so the branch back to the body is the back edge.
    assertEquals("""
        function @count(i64) -> i64 @0 {
        block0(v0: i64):
            jump block1
        block1:
            v1 = iconst 0 @0
            jump block3(v1) @1
        block2:
            v2 = iconst 1 @3
            v3 = iadd v4, v2 @3
            jump block3(v3) @3
        block3(v4: i64):
            v5 = icmp slt v4, v0 @4
            brif v5, block2, block4 @4
        block4:
            return v4 @5
        }
        """, IrPrinter.print(m.functions().get(0)));
  }

  @Test
  void aResumptionTakesTheFramesSlotsRawAndEntersAtTheLoopHeader() throws CompileErrors {
    Program p = compile("""
        fn count(n: int) -> int {
            let i = 0;
            while i < n { i += 1; }
            return i;
        }
        fn main() { print(count(3)); }
        """);
    // the loop's back edge, the last branch of count (function 0), and its target
    int branch = -1;
    for (int pc = p.function(0).entry(); pc < p.function(0).end(); pc += Op.length(p.code()[pc])) {
      branch = Op.isBranch(p.code()[pc]) ? pc : branch;
    }
    int header = Op.target(p.code(), branch);
    BitSet[] resumptions = {new BitSet(), null};
    resumptions[0].set(header);
    Module m = KilnLowering.lowerForHandOver(p, HEAP_BYTES, false, resumptions);
    // main's frame is the interpreter's: no function calls main, so main is left out
    assertEquals("count count.resume." + header,
        String.join(" ", m.functions().stream().map(f -> f.name()).toList()));
    // Slots n and i as raw bits, each also as an f64 (dead here), entering a copy of the loop at
    // its body, the target of the back edge from the test at the bottom; the loop's exit goes to
    // the function's own code, and what the copy does not reach (the code before the loop and the
    // function's own loop) is gone.
    assertEquals("""
        function @count.resume.%d(i64, i64) -> i64 @3 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            v3 = bitcast.f64 v0
            v4 = bitcast.f64 v1
            jump block2(v1)
        block1:
            return v7 @5
        block2(v5: i64):
            v6 = iconst 1 @3
            v7 = iadd v5, v6 @3
            v8 = icmp slt v7, v0 @4
            brif v8, block2(v7), block1 @4
        }
        """.formatted(header), IrPrinter.print(m.functions().get(1)));
  }

  @Test
  void mainIsInTheHandedOverModuleOnlyWhenAFunctionCallsIt() throws CompileErrors {
    // main calls itself through again() until the stack overflows: compiled code calls main
    String out = run("""
        fn again(n: int) { if n > 0 { main(); } }
        fn main() { print(7); again(1); }
        """);
    assertTrue(out.startsWith("7\n7\n7\n") && out.endsWith("stack overflow"), out);
  }

  @Test
  void onlyTheFunctionsMainReachesAreLowered() throws CompileErrors {
    Module m = KilnLowering.lower(compile("""
        fn leaf(n: int) -> int { return n + 1; }
        fn unused(n: int) -> int { return leaf(n) * 2; }
        fn middle(n: int) -> int { return leaf(n) + leaf(n + 1); }
        fn also_unused() { print(unused(1)); }
        fn main() { print(middle(3)); }
        """), HEAP_BYTES);
    StringBuilder names = new StringBuilder();
    m.functions().forEach(f -> names.append(f.name()).append(' '));
    assertEquals("leaf middle main ", names.toString(), "in the program's order");
    assertEquals("9\n", run("""
        fn leaf(n: int) -> int { return n + 1; }
        fn unused(n: int) -> int { return leaf(n) * 2; }
        fn middle(n: int) -> int { return leaf(n) + leaf(n + 1); }
        fn main() { print(middle(3)); }
        """));
  }

  @Test
  void aWriteDefinesTheOtherKindsViewOnlyWhereALaterReadUsesIt() throws CompileErrors {
    Module m = KilnLowering.lower(compile("""
        fn scale(a: float[], i: int, k: float) -> float {
            let x = a[i];
            a[i] = x * k;
            let n = 2;
            return x + 1.5;
        }
        fn main() { let a = new float[3]; print(scale(a, 1, 2.0)); }
        """), HEAP_BYTES);
    // The constant 1.5 and the element loaded are read as floats (bitcast.f64), the product is
    // stored as bits (bitcast.i64); the float parameter, the int 2 and the sum need no other view.
    assertEquals("""
        function @scale(i64, i64, f64) -> f64 {
        block0(v0: i64, v1: i64, v2: f64):
            jump block1
        block1:
            v3 = iconst 4609434218613702656
            v4 = bitcast.f64 v3
            v5 = load.i64 $heap [v0] invariant @1
            bounds_check v1, v5 @1
            v6 = load.i64 $heap [v0 + v1*8 + 8] @1
            v7 = bitcast.f64 v6 @1
            v8 = fmul v7, v2 @2
            v9 = bitcast.i64 v8 @2
            v10 = load.i64 $heap [v0] invariant @3
            bounds_check v1, v10 @3
            store.i64 v9, $heap [v0 + v1*8 + 8] @3
            v11 = iconst 2 @4
            v12 = fadd v7, v4 @5
            return v12 @5
        }
        """, IrPrinter.print(m.functions().get(0)));
  }

  @Test
  void aSlotHoldingAFloatThenAnIntIsReadAsTheKindItsOpcodeNames() throws CompileErrors {
    // Temporaries are reused across kinds; arrays, moves and calls do not say the kind.
    assertEquals("2.5 3 0.75 true 7\n", run("""
        fn half(x: float) -> float { return x / 2.0; }
        fn main() {
            let a = new float[2];
            a[0] = half(5.0);
            a[1] = half(1.5);
            let b = new int[1];
            b[0] = 3;
            let f = a[0];
            let g = a[1];
            print(f, b[0], g, f > g, len(a) + len(b) * 5);
        }
        """));
  }

  @Test
  void errorsKeepTheInterpretersKindAndPosition() throws CompileErrors {
    assertTrue(run("fn main() { let z = 0; print(1); print(7 / z); }")
        .endsWith("division by zero"));
    assertTrue(run("fn main() { let a = new int[3]; a[1] = 2; print(a[-1]); }")
        .endsWith("index out of bounds: index -1, length 3"));
    assertTrue(run("fn main() { assert(1 == 2); }").endsWith("assertion failed"));
    assertTrue(run("fn main() { let n = -2; let a = new int[n]; }")
        .endsWith("negative array size: -2"));
    assertTrue(run("""
        fn down(n: int) -> int { return down(n + 1) + 1; }
        fn main() { print(down(0)); }
        """).endsWith("stack overflow"));
  }

  @Test
  void aProgramHandedOverInsideRecursionsAndLoopsGoesOnWhereTheInterpreterWas()
      throws CompileErrors {
    // Each frame on the interpreter's stack goes on in compiled code from its next loop header
    // (or after its call returns); the arrays and the output it made are compiled code's.
    Program p = compile("""
        fn down(n: int, a: int[]) -> int {
            if n == 0 { return 0; }
            let s = 0;
            for i in 0..len(a) { s += a[i] * n; }
            a[n % len(a)] += 1;
            return down(n - 1, a) + s;
        }
        fn main() {
            let a = new int[5];
            for k in 0..3 { print(down(3000, a)); }
            let z = new float[3];
            let i = 0;
            while i < 200000 { z[i % 3] = z[i % 3] + 0.5; i += 1; }
            print(z[0], z[1], z[2], a[0]);
        }
        """);
    String expected = interpreted(p);
    assertTrue(expected.endsWith("33333.5 33333.5 33333.0 1800\n"), expected);
    for (long after : new long[] {100, 2999, 10_000, 25_000, 100_000, 1_000_000}) {
      assertEquals(expected, handedOverAfter(p, after), "handed over after " + after);
    }
  }

  @Test
  void aRecursionHandedOverDeepOverflowsAtTheSameDepth() throws CompileErrors {
    Program p = compile("""
        fn down(n: int) -> int {
            if n % 20000 == 0 { print(n); }
            return down(n + 1) + 1;
        }
        fn main() { print(down(0)); }
        """);
    String expected = interpreted(p);
    assertTrue(expected.endsWith("stack overflow"), expected);
    for (long after : new long[] {5, 9_000, 60_000}) {
      assertEquals(expected, handedOverAfter(p, after), "handed over after " + after);
    }
  }

  @Test
  void aFunctionWhoseFramesAreBigOverflowsAtTheSameDepth() throws CompileErrors {
    // 40 locals and their temporaries: several levels a frame, so fewer frames fit.
    StringBuilder locals = new StringBuilder();
    for (int k = 0; k < 40; k++) {
      locals.append("let x").append(k).append(" = n + ").append(k).append(";\n");
    }
    String out = run("fn deep(n: int) -> int {\n" + locals
        + "if n % 10000 == 0 { print(n); }\nreturn deep(n + 1) + x39;\n}\n"
        + "fn main() { print(deep(0)); }\n");
    assertTrue(out.startsWith("0\n10000\n") && !out.contains("50000")
        && out.endsWith("stack overflow"), out);
  }

  @Test
  void aCallThatAllocatesTakesAndReleasesItsMarkAndAllocatesSmallArraysInPlace()
      throws CompileErrors {
    String fill = """
        fn fill(n: int) -> int {
            let a = new int[n];
            a[n - 1] = n;
            return a[n - 1];
        }
        fn main() {
            let s = 0;
            for i in 1..100 { s += fill(i); }
            print(s);
        }
        """;
    // The mark is the top word of $heap_state, read at entry and written back at the return. An
    // array of at most 16 elements is bumped from that state when the budget holds it and a
    // guard on the top (in the verifier's form) proves its length word and all 16 element words,
    // which are all written, inside the heap: no loop and no check.
    assertEquals("""
        function @fill(i64) -> i64 {
        block0(v0: i64):
            jump block1
        block1:
            v1 = iconst 0
            v2 = load.i64 $heap_state [v1]
            v3 = iconst 16 @1
            v4 = icmp ule v0, v3 @1
            brif v4, block2, block5 @1
        block2:
            v5 = iconst 0 @1
            v6 = load.i64 $heap_state [v5 + 16] @1
            v7 = iconst 1 @1
            v8 = iadd v0, v7 @1
            v9 = iconst 3 @1
            v10 = ishl v8, v9 @1
            v11 = icmp sge v6, v10 @1
            brif v11, block3, block5 @1
        block3:
            v12 = load.i64 $heap_state [v5] @1
            v13 = iconst 1048440 @1
            v14 = icmp ule v12, v13 @1
            brif v14, block4, block5 @1
        block4:
            v15 = iadd v12, v10 @1
            v16 = load.i64 $heap_state [v5 + 8] @1
            v17 = isub v6, v10 @1
            store.i64 v17, $heap_state [v5 + 16] @1
            store.i64 v15, $heap_state [v5] @1
            v18 = icmp ult v16, v15 @1
            v19 = select v18, v15, v16 @1
            store.i64 v19, $heap_state [v5 + 8] @1
            store.i64 v0, $heap [v12] inbounds @1
            v20 = iconst 0 @1
            store.i64 v20, $heap [v12 + 8] inbounds @1
            store.i64 v20, $heap [v12 + 16] inbounds @1
            store.i64 v20, $heap [v12 + 24] inbounds @1
            store.i64 v20, $heap [v12 + 32] inbounds @1
            store.i64 v20, $heap [v12 + 40] inbounds @1
            store.i64 v20, $heap [v12 + 48] inbounds @1
            store.i64 v20, $heap [v12 + 56] inbounds @1
            store.i64 v20, $heap [v12 + 64] inbounds @1
            store.i64 v20, $heap [v12 + 72] inbounds @1
            store.i64 v20, $heap [v12 + 80] inbounds @1
            store.i64 v20, $heap [v12 + 88] inbounds @1
            store.i64 v20, $heap [v12 + 96] inbounds @1
            store.i64 v20, $heap [v12 + 104] inbounds @1
            store.i64 v20, $heap [v12 + 112] inbounds @1
            store.i64 v20, $heap [v12 + 120] inbounds @1
            store.i64 v20, $heap [v12 + 128] inbounds @1
            jump block6(v12) @1
        block5:
            v21 = iconst 1 @1
            v22 = call @kiln.new_array(v0, v21) @1
            jump block6(v22) @1
        block6(v23: i64):
            v24 = iconst -1 @2
            v25 = iadd v0, v24 @2
            v26 = load.i64 $heap [v23] invariant @3
            bounds_check v25, v26 @3
            store.i64 v0, $heap [v23 + v25*8 + 8] @3
            v27 = iconst -1 @4
            v28 = iadd v0, v27 @4
            v29 = load.i64 $heap [v23] invariant @5
            bounds_check v28, v29 @5
            v30 = load.i64 $heap [v23 + v28*8 + 8] @5
            v31 = iconst 0 @4
            store.i64 v2, $heap_state [v31] @4
            return v30 @4
        }
        """, IrPrinter.print(KilnLowering.lower(compile(fill), HEAP_BYTES).functions().get(0)));
    assertEquals("4950\n", run(fill));
  }

  @Test
  void outOfMemoryIsTheHeapsError() throws CompileErrors {
    assertTrue(run("fn main() { print(1); let a = new int[1000000]; }").endsWith("out of memory"));
  }

  @Test
  void printsAreBufferedAndAllAppearInOrderBeforeAnError() throws CompileErrors {
    // 6,000 records: the buffer fills and is formatted several times, and once more at the error.
    String out = run("""
        fn main() {
            for i in 0..1500 { print(i, 0.5, true, "x"); }
            let z = 0;
            print(1 / z);
        }
        """);
    assertTrue(out.startsWith("0 0.5 true x\n1 0.5 true x\n"), out);
    assertTrue(out.endsWith("1499 0.5 true x\nerror DIVISION_BY_ZERO at 5: division by zero"), out);
  }
}
