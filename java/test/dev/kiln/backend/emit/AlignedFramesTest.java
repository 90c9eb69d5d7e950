package dev.kiln.backend.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which functions keep rsp aligned at their calls: those whose calls may reach the host. */
class AlignedFramesTest {
  @Test
  void aFunctionAlignsIfAnyChainOfDirectCallsReachesAnImportOrAnIndirectCall() {
    Module m = IrParser.parse("""
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
    boolean[] expected = {false, false, true, true, true, true, true};
    List<MachineFunction> lowered = m.functions().stream().map(Lowering::lower).toList();
    assertArrayEquals(expected, AlignedFrames.of(lowered), "from the machine functions");
    assertArrayEquals(expected, AlignedFrames.ofIr(m.functions()), "from the IR, before lowering");
  }
}
