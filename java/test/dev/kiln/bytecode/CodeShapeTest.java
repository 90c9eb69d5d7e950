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
  void everyOpcodeHasANameAndShape() {
    for (int op = 0; op < Op.COUNT; op++) {
      assertTrue(Op.length(op) >= 1);
      assertTrue(Op.shape(op).matches("[dsikctfpn]*"), Op.name(op));
    }
    assertEquals("FOR_I", Op.name(Op.FOR_I));
    assertTrue(Op.isBranch(Op.J_NLE_F));
  }
}
