package dev.kiln.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.bytecode.Op;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fused instruction pairs: where they are made, and that they run exactly as the pairs do. */
class SuperinstructionsTest {
  /** Every fused sequence, each computing something printed. */
  private static final String ALL_PAIRS =
      // ADD_I_IMM, CALL and ADD_I, RET
      "fn down(n: int) -> int { if n < 1 { return 0; } return n + down(n - 1); }\n"
          + "fn main() {\n"
          + "  let x = 1.5; let y = 2.0; let z = 0.5;\n"
          + "  let p = x * y * z;\n" // MUL_F, MUL_F (and that MUL_F with the next)
          + "  let q = x * y + z;\n" // MUL_F, ADD_F
          + "  let r = x * y - z;\n" // MUL_F, SUB_F
          + "  let d = x * x - y * z;\n" // MUL_F, MUL_F, SUB_F
          + "  let e = x * x + y * z;\n" // MUL_F, MUL_F, ADD_F
          + "  let s = 0; let n = 10;\n"
          + "  for i in 0..n { s += i; }\n" // ADD_I, FOR_I
          + "  let j = 0;\n"
          + "  while j < n { j += 3; }\n" // ADD_I_IMM, J_LT_I
          + "  let k = 0;\n"
          + "  while k < n && k >= 0 { k += 4; }\n" // ADD_I_IMM, J_GE_I (the loop's exit test)
          + "  print(p, q, r, d, e, s, j, k, down(5));\n"
          + "}\n";

  private final StringWriter stdout = new StringWriter();

  private static Program compile(String text) throws CompileErrors {
    return FrontEnd.compile(new Source("t.kiln", text));
  }

  private String run(Program program, Deadline deadline) {
    Output out = new Output(stdout);
    try (Heap heap = new Heap(1 << 20)) {
      new Interpreter(program, heap, out, deadline).run();
    } finally {
      out.flush();
    }
    return stdout.toString();
  }

  @Test
  void everySequenceIsFusedInThePrivateCopyOnly() throws CompileErrors {
    Program program = compile(ALL_PAIRS);
    int[] original = program.code().clone();
    int[] fused = Superinstructions.fuse(program);
    List<Integer> made = new ArrayList<>();
    for (int pc = 0; pc < original.length; pc += Op.length(original[pc])) {
      if (fused[pc] != original[pc]) {
        made.add(fused[pc]);
        // The operands of both instructions are left in place (the second opcode may begin a
        // fused sequence of its own).
        int second = pc + Op.length(original[pc]);
        for (int k = pc + 1; k < second + Op.length(original[second]); k++) {
          if (k != second) {
            assertEquals(original[k], fused[k]);
          }
        }
      }
    }
    assertEquals(
        Set.of(Superinstructions.MUL_F_MUL_F, Superinstructions.MUL_F_ADD_F,
            Superinstructions.MUL_F_SUB_F, Superinstructions.MUL_F_MUL_F_ADD_F,
            Superinstructions.MUL_F_MUL_F_SUB_F, Superinstructions.ADD_I_FOR_I,
            Superinstructions.ADD_I_IMM_J_LT_I, Superinstructions.ADD_I_IMM_J_GE_I,
            Superinstructions.ADD_I_IMM_CALL, Superinstructions.ADD_I_RET),
        new HashSet<>(made));
    assertArrayEquals(original, program.code());
    // Fused opcodes are no opcodes of the bytecode.
    assertTrue(Op.COUNT <= Collections.min(made));
  }

  @Test
  void fusedPairsComputeWhatThePairsCompute() throws CompileErrors {
    assertEquals("1.5 3.5 2.5 1.25 3.25 45 12 12 15\n", run(compile(ALL_PAIRS), Deadline.none()));
  }

  @Test
  void aBranchToTheSecondInstructionOfAPairRunsItAlone() throws CompileErrors {
    // The body ends with "i += 1" right before the loop's test; continue jumps to the test alone.
    String text =
        "fn main() {\n"
            + "  let i = 0; let n = 10; let s = 0;\n"
            + "  while i < n { if i == 3 { i += 4; continue; } s += i; i += 1; }\n"
            + "  print(i, s);\n"
            + "}\n";
    assertEquals("10 27\n", run(compile(text), Deadline.none()));
  }

  @Test
  void errorsAndPollsInAPairKeepTheirPositions() throws CompileErrors {
    // The fused back edge polls the time limit, reported at the loop's condition.
    Program endless =
        compile("fn main() {\n  let i = 0; let n = 1;\n  while i < n { i += 0; }\n}\n");
    KilnRuntimeError slow =
        assertThrows(KilnRuntimeError.class, () -> run(endless, Deadline.after(0.05)));
    assertEquals(RuntimeErrorKind.TIME_LIMIT_EXCEEDED, slow.kind());
    assertEquals(3, endless.line(slow.position()));
    assertEquals(11, endless.column(slow.position()));
    // The fused call fails at the call when the recursion is too deep.
    Program deep = compile("fn f(n: int) -> int {\n  return f(n - 1);\n}\nfn main() { print(f(0)); }\n");
    KilnRuntimeError overflow = assertThrows(KilnRuntimeError.class, () -> run(deep, Deadline.none()));
    assertEquals(RuntimeErrorKind.STACK_OVERFLOW, overflow.kind());
    assertEquals(2, deep.line(overflow.position()));
    assertEquals(10, deep.column(overflow.position()));
  }
}
