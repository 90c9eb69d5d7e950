package dev.kiln.backend.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.IrParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which functions keep rsp aligned at their calls: those whose calls may reach the host. */
class AlignedFramesTest {
  private static boolean[] aligned(String ir) {
    List<MachineFunction> functions =
        IrParser.parse(ir).functions().stream().map(Lowering::lower).toList();
    return AlignedFrames.of(functions);
  }

  @Test
  void aFunctionAlignsIfAnyChainOfDirectCallsReachesAnImportOrAnIndirectCall() {
    boolean[] aligned = aligned("""
        import @print(i64)
        function @leaf(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        function @recursive(i64) -> i64 {
        block0(v0: i64):
            v1 = call @recursive(v0)
            v2 = call @leaf(v1)
            return v2
        }
        function @prints(i64) -> i64 {
        block0(v0: i64):
            call @print(v0)
            return v0
        }
        function @callsPrints(i64) -> i64 {
        block0(v0: i64):
            v1 = call @recursive(v0)
            v2 = call @callsCallsPrints(v1)
            return v2
        }
        function @callsCallsPrints(i64) -> i64 {
        block0(v0: i64):
            v1 = call @prints(v0)
            return v1
        }
        function @indirect(i64) -> i64 {
        block0(v0: i64):
            v1 = call_indirect (i64) -> i64, v0(v0)
            return v1
        }
        function @callsIndirect(i64) -> i64 {
        block0(v0: i64):
            v1 = call @indirect(v0)
            return v1
        }
        """);
    assertArrayEquals(new boolean[] {false, false, true, true, true, true, true}, aligned);
  }
}
