package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.CompileOptions;
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
 * Every opcode of {@link Op} has a lowering to the IR that the back end compiles, for both calling
 * conventions: a new opcode without one fails here (the lowering throws on an opcode it does not
 * know) before any program needs it.
 */
class OpcodeCoverageTest {
  @TestFactory
  Stream<DynamicTest> everyOpcodeCompiles() {
    return IntStream.range(0, Op.COUNT)
        .mapToObj(op -> DynamicTest.dynamicTest(Op.name(op), () -> {
          Program program = programWith(op);
          for (CallingConvention convention : List.of(CallingConvention.SYSTEM_V, CallingConvention.WINDOWS_X64)) {
            String listing = assertDoesNotThrow(() -> KilnJit.asmListing(program, 1 << 20,
                new CompileOptions().convention(convention)));
            assertTrue(listing.contains("; function @main "), listing);
          }
        }));
  }

  /**
   * {@code fn main() { OP with operands of its shape; return; }} with a 4-slot frame; for {@code
   * RET}, which returns a value, {@code fn f() -> int { RET }} and a main that calls it.
   */
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
    if (op != Op.RET) {
      b.emit(Op.RET_VOID);
      b.endFunction("main", 4, List.<ValueKind>of(), ValueKind.VOID);
      return b.build(0);
    }
    b.endFunction("f", 4, List.<ValueKind>of(), ValueKind.INT);
    b.beginFunction();
    b.emit(Op.CALL, 0, 0, 1, b.position(1, 1));
    b.emit(Op.RET_VOID);
    b.endFunction("main", 2, List.<ValueKind>of(), ValueKind.VOID);
    return b.build(1);
  }
}
