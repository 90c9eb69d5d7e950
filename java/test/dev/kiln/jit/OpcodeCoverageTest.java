package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.asm.Assembler;
import dev.kiln.bytecode.CodeBuilder;
import dev.kiln.bytecode.Label;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.bytecode.ValueKind;
import dev.kiln.runtime.CallingConvention;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every opcode of {@link Op} has a translation: a new opcode without one fails here (the
 * generator throws on an opcode it does not know) before any program needs it.
 */
class OpcodeCoverageTest {
  @TestFactory
  Stream<DynamicTest> everyOpcodeCompiles() {
    return IntStream.range(0, Op.COUNT)
        .mapToObj(op -> DynamicTest.dynamicTest(Op.name(op), () -> {
          Program program = programWith(op);
          for (CallingConvention convention : List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64)) {
            Assembler a = assertDoesNotThrow(
                () -> KilnCodeGenerator.generate(program, convention, 0x1000, false).assembler());
            byte[] code = a.finish();
            // The instruction is at pc 0 and is marked; it produced code unless it is a no-op jump.
            assertTrue(a.position(0) > 0 && a.position(0) < code.length, Op.name(op));
          }
        }));
  }

  /** {@code fn main() { OP with operands of its shape; return; }} with a 4-slot frame. */
  private static Program programWith(int op) {
    CodeBuilder b = new CodeBuilder();
    b.beginFunction();
    Label top = new Label();
    b.bind(top);
    String shape = Op.shape(op);
    int[] operands = new int[shape.length()];
    for (int k = 0; k < shape.length(); k++) {
      operands[k] = switch (shape.charAt(k)) {
        case 'd' -> 1;
        case 's' -> 2 + (k % 2);
        case 'i' -> 3;
        case 'k' -> b.constant(0x4004000000000000L);
        case 'c' -> b.string("text");
        case 'f' -> 0;
        case 'p' -> b.position(1, 1);
        case 'n' -> 1;
        default -> -1; // 't', passed as the label
      };
    }
    if (Op.isBranch(op)) {
      b.emitBranch(op, top, java.util.Arrays.copyOf(operands, operands.length - 1));
    } else {
      b.emit(op, operands);
    }
    b.emit(Op.RET_VOID);
    b.endFunction("main", 4, List.<ValueKind>of(), ValueKind.VOID);
    return b.build(0);
  }
}
