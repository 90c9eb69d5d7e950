package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Function#newBlock()} places a block last; {@link Function#reorder} lays blocks out. */
class FunctionReorderTest {
  private static final String TEXT = """
      function @f(i64) -> i64 {
      block0(v0: i64):
          brif v0, block1, block2
      block1:
          return v0
      block2:
          v1 = iconst 7
          return v1
      }
      """;

  private final Module module = IrParser.parse(TEXT);
  private final Function f = module.functions().get(0);
  private final List<Block> blocks = List.copyOf(f.blocks());

  @Test
  void reorderLaysTheBlocksOutAsListed() {
    f.reorder(List.of(blocks.get(0), blocks.get(2), blocks.get(1)));
    assertEquals(List.of(blocks.get(0), blocks.get(2), blocks.get(1)), f.blocks());
    module.verify();
  }

  @Test
  void aNewBlockGoesLastUntilReordered() {
    Block added = f.newBlock();
    added.append(Instruction.jump(blocks.get(1), List.of(), Instruction.NO_POSITION));
    blocks.get(0).redirect(blocks.get(1), added);
    assertEquals(added, f.blocks().get(3));
    f.reorder(List.of(blocks.get(0), added, blocks.get(1), blocks.get(2)));
    assertEquals(List.of(blocks.get(0), added, blocks.get(1), blocks.get(2)), f.blocks());
    module.verify();
  }

  @Test
  void theEntryMustStayFirst() {
    assertThrows(IllegalArgumentException.class,
        () -> f.reorder(List.of(blocks.get(1), blocks.get(0), blocks.get(2))));
    assertEquals(blocks, f.blocks());
  }

  @Test
  void everyBlockOnceAndNoOther() {
    assertThrows(IllegalArgumentException.class,
        () -> f.reorder(List.of(blocks.get(0), blocks.get(1))));
    assertThrows(IllegalArgumentException.class,
        () -> f.reorder(List.of(blocks.get(0), blocks.get(1), blocks.get(1))));
    Block foreign = IrParser.parse(TEXT).functions().get(0).blocks().get(2);
    assertThrows(IllegalArgumentException.class,
        () -> f.reorder(List.of(blocks.get(0), blocks.get(1), foreign)));
    assertEquals(blocks, f.blocks());
  }
}
