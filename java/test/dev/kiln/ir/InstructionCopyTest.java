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

  private static final String ACCESSES = """
      memory $m 64
      function @f(i64, i64) {
      block0(v0: i64, v1: i64):
          v2 = load.u8 $m [v0 + 3]
          store.i8 v2, $m [v0 + 3]
          v3 = load.i64 $m [v0 + v1*8 + 8]
          store.i64 v3, $m [v0 + v1*8 + 8]
          return
      }
      """;

  @Test
  void anAccessIsReadAsItsAddressIs() {
    List<Instruction> insts = IrParser.parse(ACCESSES).functions().get(0).entry().instructions();
    for (Instruction access : insts.subList(0, 4)) {
      Address a = access.address();
      assertSame(a.base(), access.addressBase());
      assertSame(a.index(), access.addressIndex());
      assertEquals(a.scale(), access.scale());
      assertEquals(a.offset(), access.immediate());
    }
    assertTrue(insts.get(0).sameAddress(insts.get(1)), "a load and a store of [v0 + 3]");
    assertTrue(insts.get(2).sameAddress(insts.get(3)));
    assertFalse(insts.get(0).sameAddress(insts.get(2)));
  }

  @Test
  void anAccessMarkedInBoundsAtItsOwnAddressIsACopyWithTheMark() {
    Function f = IrParser.parse(ACCESSES).functions().get(0);
    Instruction store = f.entry().instructions().get(3);
    Instruction marked = f.inBoundsAccess(store);
    assertTrue(marked.inBounds());
    assertFalse(store.inBounds());
    assertEquals(store.args(), marked.args());
    assertTrue(marked.sameAddress(store));
    assertEquals(store.memType(), marked.memType());
    assertThrows(IllegalArgumentException.class, () -> f.inBoundsAccess(f.entry().terminator()));
  }
}
