package dev.kiln.backend.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.lower.Lowering;
import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Value;
import org.junit.jupiter.api.Test;

/** Where the allocator puts values: IR text in, locations at points of the function out. */
class LinearScanTest {
  private MachineFunction mf;
  private Allocation allocation;

  private void allocate(String ir) {
    Function f = IrParser.parse(ir).functions().get(0);
    mf = Lowering.lower(f);
    allocation = LinearScan.allocate(mf, false, Thresholds.REGISTER_HINTS_LOOKED_AT);
  }

  private Value value(String name) {
    return mf.value(Integer.parseInt(name.substring(1)));
  }

  /** The linear index of the first instruction whose text starts with {@code text}. */
  private int index(String text) {
    for (int i = 0; i < mf.size(); i++) {
      if (mf.at(i) != null && mf.at(i).toString().startsWith(text)) {
        return i;
      }
    }
    throw new AssertionError(text);
  }

  /** Value {@code name}'s location at the instruction starting with {@code text}. */
  private int at(String name, String text) {
    return allocation.location(value(name).id(), 2 * index(text));
  }

  private int defined(String name) {
    Value v = value(name);
    for (Block b : mf.order()) {
      if (b.params().contains(v)) {
        return allocation.location(v.id(), 2 * mf.blockIndex(b) + 1);
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() == v) {
          return allocation.location(v.id(), 2 * index(inst.toString()) + 1);
        }
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void aLoopSumStaysInTheRegisterOfItsParameter() {
    // the sum is also read after the loop, so without holes it would be live across the body
    allocate("""
        function @sum(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v1, v1)
        block1(v2: i64, v3: i64):
            v4 = icmp slt v2, v0
            brif v4, block2, block3
        block2:
            v5 = iadd v3, v2
            v6 = iconst 1
            v7 = iadd v2, v6
            jump block1(v7, v5)
        block3:
            return v3
        }
        """);
    assertTrue(defined("v3") >= 0);
    assertEquals(defined("v3"), defined("v5"), "the back edge copies no sum");
    assertEquals(defined("v2"), defined("v7"), "nor the counter");
    assertEquals(0, allocation.spillSlots());
  }

  @Test
  void aValueLiveAcrossACallTakesACalleeSavedRegister() {
    allocate("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @f(v0)
            v2 = iadd v1, v0
            return v2
        }
        """);
    int across = at("v0", "v2 = iadd");
    assertTrue(Registers.CALLEE_SAVED.contains(across), "v0 in " + across);
    assertEquals(across, at("v0", "v1 = call"));
    assertEquals(0, allocation.spillSlots());
  }

  @Test
  void aValueIsSpilledOnlyAroundTheCallWhenCalleeSavedRegistersRunOut() {
    // five values live across the call, four callee-saved registers: one goes to memory for
    // the call, but is read from a register before and after it
    allocate("""
        function @f(i64, i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
            v5 = iadd v0, v1
            v6 = iadd v5, v2
            v7 = iadd v6, v3
            v8 = iadd v7, v4
            v9 = call @f(v8, v8, v8, v8, v8)
            v10 = iadd v9, v0
            v11 = iadd v10, v1
            v12 = iadd v11, v2
            v13 = iadd v12, v3
            v14 = iadd v13, v4
            return v14
        }
        """);
    assertEquals(1, allocation.spillSlots());
    int inMemory = 0;
    for (String v : new String[] {"v0", "v1", "v2", "v3", "v4"}) {
      int call = at(v, "v9 = call");
      if (call < 0) {
        inMemory++;
      } else {
        assertTrue(Registers.CALLEE_SAVED.contains(call), v + " across the call in " + call);
      }
      assertTrue(defined(v) >= 0, v + " is received in a register");
    }
    assertEquals(1, inMemory);
    assertTrue(at("v4", "v14 = iadd") >= 0, "v4 is reloaded for its use");
  }

  @Test
  void noValueIsInACallerSavedRegisterAcrossACall() {
    allocate("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iadd v0, v1
            v3 = call @f(v2, v1)
            v4 = call @f(v3, v0)
            v5 = iadd v4, v2
            v6 = iadd v5, v3
            return v6
        }
        """);
    for (String v : new String[] {"v0", "v2", "v3"}) {
      for (String call : new String[] {"v3 = call", "v4 = call"}) {
        int i = index(call);
        int before = allocation.location(value(v).id(), 2 * i);
        int after = allocation.location(value(v).id(), 2 * i + 1);
        if (value(v).id() != mf.at(i).result().id() && isLiveAfter(v, i)) {
          assertFalse(Registers.CALLER_SAVED.contains(after), v + " at " + call);
          assertEquals(before, after, "a location holds over an instruction");
        }
      }
    }
  }

  private boolean isLiveAfter(String name, int i) {
    Value v = value(name);
    for (int j = i + 1; j < mf.size(); j++) {
      Instruction inst = mf.at(j);
      if (inst != null && inst.args().contains(v)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aValueInAHoleLendsItsRegister() {
    // v1 is live in block1 and block3, not in block2: with all seven other allocatable GPRs
    // holding v2..v8 across block2, v9 still finds a register there, the one of v1
    allocate("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1, block2
        block1:
            return v1
        block2:
            v2 = iadd v0, v0
            v3 = iadd v2, v0
            v4 = iadd v3, v0
            v5 = iadd v4, v0
            v6 = iadd v5, v0
            v7 = iadd v6, v0
            v8 = iadd v7, v0
            v9 = iadd v8, v0
            v10 = iadd v9, v2
            v11 = iadd v10, v3
            v12 = iadd v11, v4
            v13 = iadd v12, v5
            v14 = iadd v13, v6
            v15 = iadd v14, v7
            v16 = iadd v15, v8
            return v16
        }
        """);
    assertEquals(0, allocation.spillSlots());
  }

  @Test
  void aSpilledValueIsReloadedWhereItIsUsed() {
    // twelve values live at once (v0 to v11) over ten GPRs: some go to memory, and each is back
    // in a register for its use
    allocate("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd v0, v0
            v2 = iadd v1, v0
            v3 = iadd v2, v0
            v4 = iadd v3, v0
            v5 = iadd v4, v0
            v6 = iadd v5, v0
            v7 = iadd v6, v0
            v8 = iadd v7, v0
            v9 = iadd v8, v0
            v10 = iadd v9, v0
            v11 = iadd v10, v1
            v12 = iadd v11, v2
            v13 = iadd v12, v3
            v14 = iadd v13, v4
            v15 = iadd v14, v5
            v16 = iadd v15, v6
            v17 = iadd v16, v7
            v18 = iadd v17, v8
            v19 = iadd v18, v9
            v20 = iadd v19, v10
            v21 = iadd v20, v0
            return v21
        }
        """);
    assertTrue(allocation.spillSlots() > 0);
    for (int k = 1; k <= 10; k++) {
      assertTrue(at("v" + k, "v" + (k + 10) + " = iadd") >= 0, "v" + k + " reloaded");
    }
    int moves = 0;
    for (int i = 0; i < mf.size(); i++) {
      moves += allocation.splitsBefore(i).length;
    }
    assertNotEquals(0, moves);
  }

  @Test
  void aValueOnlyComparedStaysInMemoryWhereRegistersRunOut() {
    // v1 to v8 are added in the loop and v0, its bound, only compared: with the counter and the
    // sum, eleven values are live in the loop for the ten GPRs, and the compare reads the bound
    // from memory while the others keep their registers
    allocate("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iadd v1, v1
            v3 = iadd v2, v1
            v4 = iadd v3, v1
            v5 = iadd v4, v1
            v6 = iadd v5, v1
            v7 = iadd v6, v1
            v8 = iadd v7, v1
            v11 = iconst 0
            jump block1(v11, v11)
        block1(v12: i64, v13: i64):
            v14 = iadd v13, v1
            v15 = iadd v14, v2
            v16 = iadd v15, v3
            v17 = iadd v16, v4
            v18 = iadd v17, v5
            v19 = iadd v18, v6
            v20 = iadd v19, v7
            v23 = iadd v20, v8
            v24 = iconst 1
            v25 = iadd v12, v24
            v26 = icmp slt v25, v0
            brif v26, block1(v25, v23), block2
        block2:
            return v23
        }
        """);
    assertTrue(at("v0", "brif v26") < 0, "the bound is compared in memory");
    for (int k = 1; k <= 8; k++) {
      String user = k < 8 ? "v" + (k + 13) + " = iadd" : "v23 = iadd";
      assertTrue(at("v" + k, user) >= 0, "v" + k + " in a register");
    }
    int inLoop = 0;
    for (int i = index("v14 = iadd"); i <= index("brif v26"); i++) {
      inLoop += allocation.splitsBefore(i).length;
    }
    assertEquals(0, inLoop, "nothing is reloaded in the loop");
  }

  @Test
  void aValueDefinedOutsideALoopAndSpilledInItIsStoredOnceAtItsDefinition() {
    // v1 to v5 and v7 to v10 are live across the call, more than the callee-saved registers:
    // some go to memory there on every iteration
    allocate("""
        function @f(i64, i64, i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
            jump block1(v0)
        block1(v6: i64):
            v7 = iadd v1, v2
            v8 = iadd v7, v3
            v9 = iadd v8, v4
            v10 = iadd v9, v5
            v11 = call @f(v10, v10, v10, v10, v10, v10)
            v12 = iadd v11, v1
            v13 = iadd v12, v2
            v14 = iadd v13, v3
            v15 = iadd v14, v4
            v16 = iadd v15, v5
            v17 = iadd v16, v7
            v18 = iadd v17, v8
            v19 = iadd v18, v9
            v20 = iadd v19, v10
            v21 = iconst 1
            v22 = isub v6, v21
            brif v22, block1(v22), block2(v20)
        block2(v23: i64):
            return v23
        }
        """);
    int stored = 0;
    for (String v : new String[] {"v1", "v2", "v3", "v4", "v5"}) {
      if (allocation.storedAtDefinition(value(v).id())) {
        stored++;
        assertTrue(at(v, "v11 = call") < 0, v + " in memory across the call");
      }
    }
    assertTrue(stored > 0);
    for (String v : new String[] {"v6", "v7", "v8", "v9", "v10", "v11"}) {
      assertFalse(allocation.storedAtDefinition(value(v).id()), v + " is defined in the loop");
    }
  }

  @Test
  void aValueEvictedInAnInnerLoopThatDoesNotUseItStaysInMemoryAcrossThatLoop() {
    // v1 is used in the outer loop (block1), not in the inner one (block2), where eleven values
    // would be live with it for the ten GPRs: v1 goes to memory at the inner loop's entry and
    // comes back on the outer loop's back edge, not on every iteration of the inner one
    allocate("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iadd v0, v0
            v3 = iadd v2, v0
            v4 = iadd v3, v0
            v5 = iadd v4, v0
            v6 = iadd v5, v0
            v7 = iadd v6, v0
            jump block1(v0)
        block1(v10: i64):
            v11 = iadd v10, v1
            jump block2(v11, v11)
        block2(v12: i64, v22: i64):
            v13 = iadd v12, v2
            v14 = iadd v13, v3
            v15 = iadd v14, v4
            v16 = iadd v15, v5
            v17 = iadd v16, v6
            v18 = iadd v17, v7
            v20 = iadd v18, v22
            brif v20, block2(v20, v13), block3
        block3:
            brif v10, block1(v20), block4
        block4:
            return v20
        }
        """);
    assertTrue(at("v1", "v11 = iadd") >= 0, "v1 in a register where it is used");
    for (int i = index("v13 = iadd"); i <= index("brif v20, block2"); i++) {
      assertTrue(allocation.location(value("v1").id(), 2 * i) < 0, "v1 in memory in the loop");
      for (int v : allocation.splitsBefore(i)) {
        assertNotEquals(value("v1").id(), v, "v1 moved in the loop");
      }
    }
  }

  @Test
  void aCompareFusedWithItsBranchTakesNoRegister() {
    // ten values live across the branch fill the ten GPRs; the fused compare's result needs none
    allocate("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd v0, v0
            v2 = iadd v1, v0
            v3 = iadd v2, v0
            v4 = iadd v3, v0
            v5 = iadd v4, v0
            v6 = iadd v5, v0
            v7 = iadd v6, v0
            v8 = iadd v7, v0
            v9 = iadd v8, v0
            v10 = icmp slt v9, v0
            brif v10, block1, block2
        block1:
            v11 = iadd v0, v1
            v12 = iadd v11, v2
            v13 = iadd v12, v3
            v14 = iadd v13, v4
            v15 = iadd v14, v5
            v16 = iadd v15, v6
            v17 = iadd v16, v7
            v18 = iadd v17, v8
            v19 = iadd v18, v9
            return v19
        block2:
            return v0
        }
        """);
    assertTrue(mf.isFusedCompare(index("v10 = icmp")));
    assertEquals(0, allocation.spillSlots());
    assertFalse(allocation.has(value("v10").id()));
  }

  @Test
  void aCallResultMayTakeACallerSavedRegister() {
    allocate("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = call @f(v0)
            v2 = iadd v1, v1
            return v2
        }
        """);
    assertTrue(Registers.CALLER_SAVED.contains(defined("v1")));
    assertEquals(Opcode.CALL, mf.at(index("v1 = call")).opcode());
  }

  @Test
  void aCallResultJoiningAnotherValueTakesTheRegisterOfItsParameter() {
    // block3's parameter is allocated after the call result: the result follows the parameter
    // to the register of its other argument, so neither edge needs a move
    allocate("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = iconst 2
            v4 = icmp slt v2, v3
            brif v4, block1, block2
        block1:
            jump block3(v2)
        block2:
            v5 = call @f(v2)
            jump block3(v5)
        block3(v6: i64):
            v7 = iadd v6, v0
            return v7
        }
        """);
    assertEquals(defined("v2"), defined("v6"));
    assertEquals(defined("v6"), defined("v5"));
  }

  @Test
  void aCallResultJoiningAParameterLiveAcrossACallTakesItsCalleeSavedRegister() {
    // v6 lives across the second call, so no caller-saved register keeps it: the result of the
    // first call goes straight to v6's callee-saved register, not to v2's argument register
    allocate("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = isub v0, v1
            v3 = iconst 2
            v4 = icmp slt v2, v3
            brif v4, block1, block2
        block1:
            jump block3(v2)
        block2:
            v5 = call @f(v2)
            jump block3(v5)
        block3(v6: i64):
            v7 = call @f(v0)
            v8 = iadd v6, v7
            return v8
        }
        """);
    assertTrue(Registers.CALLEE_SAVED.contains(defined("v6")), "v6 in " + defined("v6"));
    assertEquals(defined("v6"), defined("v5"));
    assertEquals(defined("v6"), at("v6", "v7 = call"));
    assertEquals(0, allocation.spillSlots());
  }
}
