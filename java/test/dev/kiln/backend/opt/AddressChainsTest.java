package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressChainsTest {
  private static final String CHAIN = """
      function @f(i64) -> i64 {
      block0(v0: i64):
          v1 = iconst 8
          v2 = iadd v0, v1
          v3 = iconst -3
          v4 = iadd v2, v3
          jump block1
      block1:
          v5 = iadd v4, v1
          v6 = iconst 4294967296
          v7 = iadd v5, v6
          v8 = iadd v7, v3
          v9 = iadd v1, v4
          return v9
      }
      """;

  private final Function f = IrParser.parse(CHAIN).functions().get(0);
  private final AddressChains chains = new AddressChains(new Definitions(f), f.valueCount());

  private Value v(int number) {
    for (Block b : f.blocks()) {
      for (Value p : b.params()) {
        if (p.number() == number) {
          return p;
        }
      }
      for (Instruction inst : b.instructions()) {
        if (inst.result() != null && inst.result().number() == number) {
          return inst.result();
        }
      }
    }
    throw new AssertionError("no v" + number);
  }

  @Test
  void aValueIsItsRootPlusTheConstantsAddedAlongItsChain() {
    assertEquals(v(0), chains.root(v(5)));
    assertEquals(13, chains.offset(v(5)));
    assertEquals(v(0), chains.root(v(2)));
    assertEquals(8, chains.offset(v(2)));
  }

  @Test
  void aChainStopsAtAnAddOfAConstantBeyondAnIntOrOfAValue() {
    assertEquals(v(7), chains.root(v(8)));
    assertEquals(-3, chains.offset(v(8)));
    assertEquals(v(7), chains.root(v(7)));
    assertEquals(0, chains.offset(v(7)));
    assertEquals(v(9), chains.root(v(9)), "the constant is the first operand");
  }

  @Test
  void findsTheFirstValueOfTheChainsAtAnOffsetDefinedOutsideABlock() {
    int[] defBlock = Definitions.blocks(f);
    int block1 = f.blocks().get(1).id();
    assertEquals(v(4), chains.definedOutside(List.of(v(5)), 5, defBlock, block1));
    assertEquals(v(2), chains.definedOutside(List.of(v(5)), 8, defBlock, block1));
    assertNull(chains.definedOutside(List.of(v(5)), 13, defBlock, block1), "v5 is in block1");
    assertNull(chains.definedOutside(List.of(v(5), v(4)), 0, defBlock, block1), "v0 is the root");
    assertEquals(v(5), chains.definedOutside(List.of(v(8), v(5)), 13, defBlock,
        f.blocks().get(0).id()));
  }
}
