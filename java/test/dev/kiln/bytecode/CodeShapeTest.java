package dev.kiln.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import org.junit.jupiter.api.Test;

/** The code generator picks the compact instruction forms the interpreter and JIT rely on. */
class CodeShapeTest {
  private static String listing(String text) throws CompileErrors {
    return Disassembler.listing(FrontEnd.compile(new Source("t.kiln", text)));
  }

  @Test
  void countingLoopIsOneFusedInstructionPerIteration() throws CompileErrors {
    String l = listing("fn main() { let s = 0; for i in 0..100 { s = s + i; } print(s); }");
    assertTrue(l.contains("ADD_I       r0, r0, r1"), l);
    assertTrue(l.contains("FOR_I_IMM   r1, #100"), l);
  }

  @Test
  void comparisonsBranchDirectlyWithImmediates() throws CompileErrors {
    String l = listing("fn f(n: int) -> int { if n < 2 { return n; } return n - 1; }\nfn main() { }");
    assertTrue(l.contains("J_GE_I_IMM  r0, #2"), l);
    assertTrue(l.contains("ADD_I_IMM   r1, r0, #-1"), l);
  }

  @Test
  void anIntLiteralALoopNeedsInASlotIsLoadedOnceAtEntry() throws CompileErrors {
    String l =
        listing(
            "fn main() {\n  let a = new int[10];\n  let m = 0;\n"
                + "  while m < 10 { a[m] = 7; m += 3; }\n  if m > 1 { a[0] = 5; }\n}");
    // 7 is stored in the loop: one CONST_I before any other code, none in the loop.
    assertTrue(l.startsWith("fn #0 main() -> void    ; frame 5 slots\n  0000  CONST_I     r0, #7\n  0003  CONST_I     r2, #10\n"), l);
    assertEquals(1, l.split("#7", -1).length - 1, l);
    assertTrue(l.contains("ASTORE      r1, r2, r0, @4:19"), l);
    // 0 and 5 are used outside loops: loaded where they are used; 3 and the bound 10 fold.
    assertTrue(l.contains("CONST_I     r3, #0") && l.contains("CONST_I     r4, #5"), l);
    assertTrue(l.contains("ADD_I_IMM   r2, r2, #3") && l.contains("J_LT_I_IMM  r2, #10"), l);
  }

  @Test
  void failingInstructionsCarryTheirSourcePosition() throws CompileErrors {
    String l = listing("fn main() {\n  let a = new int[2];\n  print(a[1] / a[0]);\n}");
    assertTrue(l.contains("NEW_ARRAY   r0, r1, @2:11"), l);
    assertTrue(l.contains("ALOAD       r2, r0, r3, @3:10"), l);
    assertTrue(l.contains("DIV_I") && l.contains("@3:14"), l);
  }

  @Test
  void aFunctionThatMakesArraysButReturnsNoneFreesThemOnEveryReturn() throws CompileErrors {
    String l =
        listing(
            "fn f(n: int) -> int {\n  let a = new int[n];\n  if n > 3 { return 1; }\n  return len(a);\n}\n"
                + "fn g(n: int) -> int[] { return new int[n]; }\n"
                + "fn h(n: int) -> float { let b = g(n); return 0.5; }\n"
                + "fn k(n: int) -> int { return n + 1; }\n"
                + "fn main() { let a = new int[2]; print(f(2), len(g(3)), h(4), k(5)); }");
    String f = l.substring(l.indexOf("fn #0"), l.indexOf("fn #1"));
    // The mark is taken at entry into a slot of its own; both returns free back to it.
    assertTrue(f.contains("0000  HEAP_MARK   r1\n"), f);
    assertEquals(2, f.split("HEAP_FREE   r1\n  [0-9]+  RET ", -1).length - 1, f);
    // Arrays from a callee count too; a function returning an array, one making none, and main
    // (nothing runs after it) are left alone.
    String h = l.substring(l.indexOf("fn #2"), l.indexOf("fn #3"));
    assertTrue(h.contains("HEAP_MARK") && h.contains("HEAP_FREE"), h);
    String rest = l.substring(l.indexOf("fn #1"), l.indexOf("fn #2")) + l.substring(l.indexOf("fn #3"));
    assertTrue(!rest.contains("HEAP_MARK") && !rest.contains("HEAP_FREE"), rest);
  }

  @Test
  void everyOpcodeHasANameAndShape() {
    for (int op = 0; op < Op.COUNT; op++) {
      assertTrue(Op.length(op) >= 1);
      assertTrue(Op.shape(op).matches("[dsikctfpn]*"), Op.name(op));
    }
    assertEquals("FOR_I", Op.name(Op.FOR_I));
    assertTrue(Op.isBranch(Op.J_NLE_F));
  }

  @Test
  void thePositionOperandIsThePInTheShape() {
    for (int op = 0; op < Op.COUNT; op++) {
      assertEquals(Op.shape(op).indexOf('p'), Op.positionOperand(op), Op.name(op));
    }
    assertEquals(3, Op.positionOperand(Op.DIV_I));
    assertEquals(-1, Op.positionOperand(Op.ADD_I));
  }

  @Test
  void positionsOfARangeAreThoseOfEachPc() throws CompileErrors {
    Program p = FrontEnd.compile(new Source("t.kiln", """
        fn f(n: int) -> int {
            let s = 0;
            for i in 0..n { if i % 3 == 0 { s += i / 2; } else { s -= 1; } }
            while s > 100 { s = s / 2; }
            return s;
        }
        fn main() { print(f(10)); print(f(1000)); }
        """));
    int end = p.code().length;
    for (int from = 0; from <= end; from += 7) {
      int[] positions = p.positionsAt(from, end);
      for (int pc = from; pc < end; pc++) {
        assertEquals(p.positionAt(pc), positions[pc - from], "pc " + pc);
      }
    }
    assertEquals(0, p.positionsAt(end, end).length);
  }
}
