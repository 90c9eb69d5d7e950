package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live intervals: a temporary that lives within one loop iteration is not widened to the whole
 * loop, so two of them share a register; a value carried around the back edge is; and a result
 * computed in place takes its dying operand's register.
 */
class SlotAllocatorTest {
  @TempDir Path dir;

  /** Slots: r0 n, r1 m, r2 s, r3 i, r4 = i * m, r5 = i ^ m, r6 = carry. */
  private static final String LOOP = """
      fn f(n: int, m: int) -> int {
          let s = 0;
          for i in 0..n {
              let a = i * m;
              s -= a;
              let b = i ^ m;
              s -= b;
          }
          return s;
      }
      fn g(n: int) -> int {
          let carry = 1;
          let s = 0;
          for i in 0..n {
              s -= carry;
              carry = i * 3;
          }
          return s + carry;
      }
      fn main() { print(f(10, 7), g(10)); }
      """;

  private static SlotAllocator.Homes homes(String source, int function) throws Exception {
    Program program = FrontEnd.compile(new Source("p.kiln", source));
    return SlotAllocator.allocate(program, program.function(function));
  }

  @Test
  void temporariesOfOneIterationShareARegister() throws Exception {
    SlotAllocator.Homes f = homes(LOOP, 0);
    assertNotNull(f.gpr()[4]);
    assertEquals(f.gpr()[4], f.gpr()[5]);
    assertNotEquals(f.gpr()[2], f.gpr()[4]); // s lives around the loop
    assertNotEquals(f.gpr()[3], f.gpr()[4]); // so does i
  }

  @Test
  void aValueCarriedAroundTheBackEdgeKeepsItsOwnRegister() throws Exception {
    SlotAllocator.Homes g = homes(LOOP, 1);
    for (int other = 0; other < g.gpr().length; other++) {
      if (other != 1 && g.gpr()[other] != null) {
        assertNotEquals(g.gpr()[1], g.gpr()[other], "carry (r1) and r" + other);
      }
    }
  }

  @Test
  void bothLoopsComputeWhatTheInterpreterComputes() throws IOException {
    BothModes.assertSame(dir, LOOP, 0);
  }
}
