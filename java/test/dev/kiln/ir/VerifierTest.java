package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of the verifier, with the exact message it gives. */
class VerifierTest {
  /** The problem of an access marked {@code inbounds} that the IR does not prove so. */
  private static final String UNPROVEN = ": is marked inbounds, but its address is neither a"
      + " constant in bounds, nor guarded in bounds by a branch into its block or a block"
      + " dominating it, nor checked by a dominating access, nor indexed below a length that"
      + " fits after its base";

  /** The problems {@link Module#verify()} reports for {@code text}, one per line. */
  private static String problems(String text) {
    Module m = IrParser.parse(text);
    return assertThrows(IrVerificationException.class, m::verify).getMessage();
  }

  @Test
  void operandTypes() {
    assertEquals("@f block0: v2 = iadd v0, v1: operand v1 is f64, expected i64", problems("""
        function @f(i64, f64) -> i64 {
        block0(v0: i64, v1: f64):
            v2 = iadd v0, v1
            return v2
        }
        """));
    assertEquals("@f block0: v3 = select v0, v1, v2: operand v2 is f64, expected i64", problems("""
        function @f(i64, i64, f64) -> i64 {
        block0(v0: i64, v1: i64, v2: f64):
            v3 = select v0, v1, v2
            return v3
        }
        """));
    assertEquals("@f block0: store.i32 v1, $m [v0]: operand v1 is f64, expected i64", problems("""
        memory $m 8
        function @f(i64, f64) {
        block0(v0: i64, v1: f64):
            store.i32 v1, $m [v0]
            return
        }
        """));
    assertEquals("@f block0: v1 = bitcast.f64 v0: bitcast of v0 to its own type", problems("""
        function @f(f64) -> f64 {
        block0(v0: f64):
            v1 = bitcast.f64 v0
            return v1
        }
        """));
  }

  @Test
  void aValueUsedTwiceIsReportedOnce() {
    assertEquals("@f block0: v1 = fadd v0, v0: operand v0 is i64, expected f64", problems("""
        function @f(i64) {
        block0(v0: i64):
            v1 = fadd v0, v0
            return
        }
        """));
  }

  @Test
  void definitionsDominateUses() {
    assertEquals("@f block2: v3 = iadd v2, v0: operand v2 is not defined before its use (its"
        + " definition does not dominate it)", problems("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            v2 = iconst 1
            jump block2
        block2:
            v3 = iadd v2, v0
            return v3
        }
        """));
    assertEquals("@f block0: v1 = iadd v2, v0: operand v2 is not defined before its use (its"
        + " definition does not dominate it)", problems("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iadd v2, v0
            v2 = iconst 1
            return v1
        }
        """));
  }

  @Test
  void blocksEndInExactlyOneTerminator() {
    assertEquals("@f block0: does not end in a terminator", problems("""
        function @f() {
        block0:
            v0 = iconst 1
        }
        """));
    assertEquals("@f block0: return: terminator before the end of the block", problems("""
        function @f() {
        block0:
            return
            return
        }
        """));
  }

  @Test
  void everyBlockIsReachable() {
    assertEquals("@f block1: is unreachable from the entry block", problems("""
        function @f() {
        block0:
            return
        block1:
            return
        }
        """));
  }

  @Test
  void branchesMatchTheirTargets() {
    assertEquals("@f block0: jump block1: 0 arguments for the 1 parameters of block1", problems("""
        function @f() {
        block0:
            jump block1
        block1(v0: i64):
            return
        }
        """));
    assertEquals("@f block0: jump block1(v0): argument v0 is f64, but block1 parameter v1 is i64",
        problems("""
        function @f(f64) {
        block0(v0: f64):
            jump block1(v0)
        block1(v1: i64):
            return
        }
        """));
    assertEquals("@f block1: jump block0: branch to the entry block", problems("""
        function @f() {
        block0:
            jump block1
        block1:
            jump block0
        }
        """));
  }

  @Test
  void callsMatchTheirCallees() {
    assertEquals("@f block0: v1 = call @g(v0): argument v0 is f64, expected i64\n"
        + "@f block0: v2 = call @g(v0, v0): 2 arguments for 1 parameters (i64) -> i64",
        problems("""
        function @f(f64) {
        block0(v0: f64):
            v1 = call @g(v0)
            v2 = call @g(v0, v0)
            return
        }
        function @g(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        """));
  }

  @Test
  void funcRefNamesAFunctionAndIndirectCallsMatchTheirSignature() {
    assertEquals("@f block0: v0 = func_ref @p: @p is not a function of the module\n"
        + "@f block0: v2 = call_indirect (i64) -> i64, v0(v1): argument v1 is f64, expected i64\n"
        + "@f block0: trapnz v1, 3: operand v1 is f64, expected i64", problems("""
        import @p(i64)
        function @f() {
        block0:
            v0 = func_ref @p
            v1 = fconst 1.0
            v2 = call_indirect (i64) -> i64, v0(v1)
            trapnz v1, 3
            return
        }
        """));
  }

  @Test
  void returnsMatchTheSignature() {
    assertEquals("@f block0: return v0: returned value v0 is f64, expected i64\n"
        + "@g block0: return: @g must return a f64\n"
        + "@h block0: return v0: @h returns nothing", problems("""
        function @f(f64) -> i64 {
        block0(v0: f64):
            return v0
        }
        function @g() -> f64 {
        block0:
            return
        }
        function @h(i64) {
        block0(v0: i64):
            return v0
        }
        """));
  }

  @Test
  void theEntryBlockTakesTheSignaturesParameters() {
    assertEquals("@f block0: the entry block's parameters (f64) do not match the signature"
        + " (i64) -> i64", problems("""
        function @f(i64) -> i64 {
        block0(v0: f64):
            v1 = iconst 0
            return v1
        }
        """));
  }

  @Test
  void addressesHaveAValidScaleAndA32BitOffset() {
    assertEquals("@f block0: v1 = load.i64 $m [v0 + v0*3]: scale 3 is not 1, 2, 4 or 8\n"
        + "@f block0: v2 = load.i64 $m [v0 + 4294967296]: offset 4294967296 does not fit in 32"
        + " bits", problems("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0 + v0*3]
            v2 = load.i64 $m [v0 + 0x100000000]
            return v1
        }
        """));
  }

  @Test
  void anAccessMarkedInboundsMustBeProvenSo() {
    assertEquals("@f block0: v2 = load.u8 $m [v1 + 16] inbounds" + UNPROVEN + "\n"
        + "@f block1: v6 = load.i16 $m [v0 + 2] inbounds" + UNPROVEN + "\n"
        + "@f block1: v7 = load.u8 $m [v0 - 1] inbounds" + UNPROVEN + "\n"
        + "@f block2: v8 = load.u8 $m [v0] inbounds" + UNPROVEN, problems("""
        memory $m 16
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = load.u8 $m [v1 + 16] inbounds
            v3 = iconst 13
            v4 = icmp ule v0, v3
            brif v4, block1, block2
        block1:
            v5 = load.u16 $m [v0 + 1] inbounds
            v6 = load.i16 $m [v0 + 2] inbounds
            v7 = load.u8 $m [v0 - 1] inbounds
            return v5
        block2:
            v8 = load.u8 $m [v0] inbounds
            return v8
        }
        """));
  }

  @Test
  void anAccessMayBeMarkedInboundsWhereADominatingAccessCheckedItsBytes() {
    assertEquals("@f block2: v5 = load.u8 $m [v0 + v1*2 + 1] inbounds" + UNPROVEN + "\n"
        + "@f block2: v6 = load.i64 $m [v0 + v1*2] inbounds" + UNPROVEN, problems("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i32 $m [v0 + v1*2]
            v3 = load.u8 $m [v0 + v1*2] inbounds
            brif v3, block1, block2
        block1:
            v4 = load.u8 $m [v0 + v1*2 + 1]
            store.i8 v4, $m [v0 + v1*2 + 1] inbounds
            jump block2
        block2:
            store.i32 v3, $m [v0 + v1*2] inbounds
            v5 = load.u8 $m [v0 + v1*2 + 1] inbounds
            v6 = load.i64 $m [v0 + v1*2] inbounds
            return v6
        }
        """));
  }

  @Test
  void aGuardProvesTheAccessesOfEveryBlockItsThenEdgeDominatesOnly() {
    assertEquals("@f block4: v7 = load.u8 $m [v0] inbounds"
        + UNPROVEN, problems("""
        memory $m 16
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 13
            v2 = icmp ule v0, v1
            brif v2, block1, block3
        block1:
            v3 = load.u8 $m [v0] inbounds
            brif v3, block2, block5
        block2:
            v4 = load.u8 $m [v0 + 2] inbounds
            jump block5
        block5:
            v5 = load.u8 $m [v0 + 1] inbounds
            jump block4
        block3:
            jump block4
        block4:
            v7 = load.u8 $m [v0] inbounds
            return v7
        }
        """));
  }

  @Test
  void problemsFromATextKeepTheirLineAndColumn() {
    Module m = IrParser.parse("""
        function @f(i64, f64) -> i64 {
        block0(v0: i64, v1: f64):
          ; a comment
            v2 = iadd v0, v1
            return v2
        }
        """);
    List<IrVerificationException.Problem> problems =
        assertThrows(IrVerificationException.class, m::verify).problems();
    assertEquals(1, problems.size());
    assertEquals(4, problems.get(0).line());
    assertEquals(5, problems.get(0).column());
  }

  @Test
  void anUnfinishedFunctionIsReported() {
    Module m = new Module();
    m.define("f", Signature.of(List.of(), null));
    assertEquals("@f: is not finished (call FunctionBuilder.finish)",
        assertThrows(IrVerificationException.class, m::verify).getMessage());
  }

  @Test
  void aValidModulePasses() {
    IrParser.parse("""
        memory $m 8
        import @p(i64)
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0]
            call @p(v1)
            return v1
        }
        """).verify();
  }

  @Test
  void onlyALoadMayBeMarkedInvariant() {
    assertEquals("@f block0: store.i64 v0, $m [v0 + 8] invariant: is marked invariant, which"
        + " only a load may be", problems("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0] invariant
            store.i64 v0, $m [v0 + 8] invariant
            return v1
        }
        """));
  }

  @Test
  void marksTheIrDoesNotProveAreClearedAndTheRestKept() {
    Module m = IrParser.parse("""
        memory $m 16
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = load.u8 $m [v1 + 16] inbounds
            v3 = iconst 13
            v4 = icmp ule v0, v3
            brif v4, block1, block2
        block1:
            v5 = load.u16 $m [v0 + 1] inbounds
            v6 = load.i16 $m [v0 + 2] inbounds
            v7 = load.u8 $m [v0 - 1] inbounds
            return v5
        block2:
            v8 = load.u8 $m [v0] inbounds
            return v8
        }
        """);
    assertEquals(4, m.functions().get(0).clearUnprovenInBounds());
    m.verify();
    assertEquals("""
        memory $m 16

        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            v2 = load.u8 $m [v1 + 16]
            v3 = iconst 13
            v4 = icmp ule v0, v3
            brif v4, block1, block2
        block1:
            v5 = load.u16 $m [v0 + 1] inbounds
            v6 = load.i16 $m [v0 + 2]
            v7 = load.u8 $m [v0 - 1]
            return v5
        block2:
            v8 = load.u8 $m [v0]
            return v8
        }
        """, IrPrinter.print(m));
    assertEquals(0, m.functions().get(0).clearUnprovenInBounds());
  }

  @Test
  void everyMarkIsClearedInAFunctionWhoseBlocksAreMalformed() {
    Module m = IrParser.parse("""
        memory $m 16
        function @f() -> i64 {
        block0:
            v0 = iconst 0
            v1 = load.u8 $m [v0 + 1] inbounds
            jump block1
        block1:
            v2 = load.u8 $m [v0 + 2] inbounds
            return v2
        }
        """);
    Function f = m.functions().get(0);
    List<Instruction> last = f.blocks().get(1).instructions;
    last.remove(last.size() - 1); // no terminator: dominance is undefined
    assertEquals(2, f.clearUnprovenInBounds());
  }
}
