package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Type;
import org.junit.jupiter.api.Test;

/** The loop nest passes share while the control-flow graph stays the same. */
class LoopNestTest {
  private static final String NESTED = """
      function @f(i64) {
      block0(v0: i64):
          jump block1
      block1:
          jump block2
      block2:
          brif v0, block2, block3
      block3:
          brif v0, block1, block4
      block4:
          return
      }
      """;

  @Test
  void findsEachBlocksInnermostLoop() {
    Function f = IrParser.parse(NESTED).functions().get(0);
    LoopNest nest = LoopNest.of(f);
    assertEquals(2, nest.count());
    assertEquals(f.blocks().get(1), nest.header(0));
    assertEquals(f.blocks().get(2), nest.header(1));
    assertEquals(0, nest.parent(1));
    assertEquals(1, nest.innermost(f.blocks().get(2).id()));
    assertEquals(0, nest.innermost(f.blocks().get(3).id()));
    assertEquals(-1, nest.innermost(f.blocks().get(4).id()));
    assertTrue(nest.contains(0, f.blocks().get(2).id()));
  }

  @Test
  void ofSharesOneNestUntilTheControlFlowGraphChanges() {
    Function f = IrParser.parse(NESTED).functions().get(0);
    LoopNest first = LoopNest.of(f);
    f.blocks().get(2).insert(0, f.newConstant(Type.I64, 1)); // no edge changes
    assertSame(first, LoopNest.of(f));
    Block pre = f.newBlockBefore(f.blocks().get(1));
    assertNotSame(first, LoopNest.of(f));
    assertEquals(-1, LoopNest.of(f).innermost(pre.id()));
  }
}
