package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a function knows without a walk: {@link Function#mayContain} (a superset of its opcodes:
 * exact once finished or copied) and {@link Value#definition()}, kept by copies and edits.
 */
class FunctionSummaryTest {
  private static final String TEXT = """
      function @leaf(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 3
          v2 = imul v0, v1
          return v2
      }
      function @f(i64) -> i64 {
      block0(v0: i64):
          brif v0, block1, block2(v0)
      block1:
          v1 = call @leaf(v0)
          jump block2(v1)
      block2(v2: i64):
          return v2
      }
      """;

  private final Module module = IrParser.parse(TEXT);

  @Test
  void aParsedBuiltOrCopiedFunctionMayContainExactlyItsOpcodes() {
    FunctionBuilder b = new Module().define("g", Signature.of(List.of(Type.I64), Type.I64));
    b.ret(b.iadd(b.param(0), b.iconst(1)));
    Function built = b.finish();
    assertTrue(built.mayContain(Opcode.IADD));
    assertFalse(built.mayContain(Opcode.IMUL));
    for (Function f : List.of(module.functions().get(1), module.copy().functions().get(1))) {
      assertTrue(f.mayContain(Opcode.CALL));
      assertTrue(f.mayContain(Opcode.BRIF));
      assertFalse(f.mayContain(Opcode.IMUL));
      assertFalse(f.mayContain(Opcode.LOAD));
      assertFalse(f.mayContain(Opcode.BITCAST));
    }
  }

  @Test
  void aFunctionBeingBuiltMayContainAnything() {
    FunctionBuilder b = new Module().define("g", Signature.of(List.of(Type.I64), Type.I64));
    for (Opcode op : Opcode.values()) {
      assertTrue(b.function().mayContain(op), op.mnemonic());
    }
  }

  @Test
  void editsAddTheirOpcodes() {
    Function f = module.copy().functions().get(1);
    Block b = f.blocks().get(1);
    Instruction c = f.newConstant(Type.I64, 2);
    b.insert(0, c);
    b.insert(1, f.newArithmetic(Opcode.BXOR, Instruction.NO_POSITION, c.result(), c.result()));
    assertTrue(f.mayContain(Opcode.BXOR));
    assertFalse(f.mayContain(Opcode.IMUL));
    f.inlineCall(b, 2);
    assertTrue(f.mayContain(Opcode.IMUL)); // the callee's
    assertTrue(f.mayContain(Opcode.DEPTH_ENTER));
    assertTrue(f.mayContain(Opcode.DEPTH_LEAVE));
    f.module().verify();
  }

  @Test
  void eachValueKnowsItsDefinitionInACopy() {
    Function f = module.copy().functions().get(1);
    Block call = f.blocks().get(1);
    Instruction inst = call.instructions().get(0);
    assertSame(inst, inst.result().definition());
    assertNull(f.entry().params().get(0).definition());
    assertNull(f.blocks().get(2).params().get(0).definition());
  }

  @Test
  void aReplacementIsTheDefinitionAndAnInlinedCallsResultAParameter() {
    Function leaf = module.copy().functions().get(0);
    Instruction three = leaf.entry().instructions().get(0);
    Instruction four = Instruction.constant(three.result(), 4);
    leaf.entry().set(0, four);
    assertSame(four, three.result().definition());

    Function f = leaf.module().functions().get(1);
    Block b = f.blocks().get(1);
    Value result = b.instructions().get(0).result();
    Block rest = f.inlineCall(b, 0);
    assertSame(result, rest.params().get(0));
    assertNull(result.definition());
  }

  @Test
  void everyOpcodeHasABit() {
    assertTrue(Opcode.values().length <= Long.SIZE);
  }
}
