package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionCopyTest {
  private static final String COMPARES = """
      function @f(i64, f64) -> i64 {
      block0(v0: i64, v1: f64):
          v2 = icmp ult v0, v0
          v3 = fcmp ge v1, v1
          v4 = fcmp eq v1, v1
          v5 = fcmp ne v1, v1
          v6 = iadd v2, v3
          v7 = select v2, v6, v0
          return v7
      }
      """;

  private static List<Instruction> instructions() {
    return IrParser.parse(COMPARES).functions().get(0).entry().instructions();
  }

  @Test
  void aPlainCompareIsAnIcmpOrAnFcmpThatOrders() {
    List<Instruction> insts = instructions();
    assertTrue(insts.get(0).isPlainCompare());
    assertTrue(insts.get(1).isPlainCompare());
    assertFalse(insts.get(2).isPlainCompare(), "eq must tell NaN apart");
    assertFalse(insts.get(3).isPlainCompare(), "ne must tell NaN apart");
    assertFalse(insts.get(4).isPlainCompare());
  }

  @Test
  void aCopyDefinesANewValueByTheSameOperation() {
    Function f = IrParser.parse(COMPARES).functions().get(0);
    Instruction cmp = f.entry().instructions().get(0);
    Instruction copy = f.newCopy(cmp);
    assertNotSame(cmp.result(), copy.result());
    assertSame(copy, copy.result().definition());
    assertEquals(cmp.intCond(), copy.intCond());
    assertEquals(cmp.args(), copy.args());
    assertThrows(IllegalArgumentException.class,
        () -> f.newCopy(f.entry().terminator()));
  }

  @Test
  void aRenamedInstructionKeepsItsResultAndReadsTheNewOperand() {
    Function f = IrParser.parse(COMPARES).functions().get(0);
    Instruction select = f.entry().instructions().get(5);
    Value[] renamed = new Value[f.valueCount()];
    renamed[select.arg(0).id()] = select.arg(2);
    Instruction r = select.renamed(renamed);
    assertSame(select.result(), r.result());
    assertSame(r, r.result().definition());
    assertEquals(List.of(select.arg(2), select.arg(1), select.arg(2)), r.args());
  }
}
