package dev.kiln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.bytecode.FunctionInfo;
import dev.kiln.bytecode.Op;
import dev.kiln.bytecode.Program;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop headers at which a frame that returns from a call goes on in compiled code. */
class LoopEntriesTest {
  @Test
  void aFrameGoesOnAtTheLoopItIsInOrElseAtTheLoopsItCanEnter() throws CompileErrors {
    Program p = FrontEnd.compile(new Source("t.kiln", """
        fn f(n: int) -> int { return n; }
        fn main() {
            let s = 0;
            for i in 0..3 { s += f(i); }
            s += f(9);
            for j in 0..3 {
                for k in 0..2 { s += f(k); }
                s += f(j);
            }
            print(s);
        }
        """));
    int main = p.mainIndex();
    FunctionInfo info = p.function(main);
    List<Integer> calls = new ArrayList<>();
    List<Integer> headers = new ArrayList<>(); // in the order of their back edges
    int[] code = p.code();
    for (int pc = info.entry(); pc < info.end(); pc += Op.length(code[pc])) {
      if (code[pc] == Op.CALL) {
        calls.add(pc);
      } else if (Op.isBranch(code[pc]) && Op.target(code, pc) <= pc) {
        headers.add(Op.target(code, pc));
      }
    }
    assertEquals(4, calls.size());
    assertEquals(3, headers.size());
    int first = headers.get(0);
    int inner = headers.get(1);
    int outer = headers.get(2);
    // inside a loop: that loop's header
    assertEquals(set(first), resumptions(p, main, calls.get(0)));
    assertEquals(set(inner), resumptions(p, main, calls.get(2)));
    assertEquals(set(outer), resumptions(p, main, calls.get(3)));
    // between the loops: the inner loop's, or the outer's when the inner runs no iteration
    assertEquals(set(inner, outer), resumptions(p, main, calls.get(1)));
    // what a frame can reach: inside the first loop its own back edge, or after its last
    // iteration the next loops'
    BitSet reachable = new BitSet();
    LoopEntries.reachable(p, main, calls.get(0) + Op.length(Op.CALL), reachable);
    assertEquals(set(first, inner, outer), reachable);
  }

  private static BitSet resumptions(Program p, int f, int call) {
    BitSet headers = new BitSet();
    LoopEntries.resumptions(p, f, call + Op.length(Op.CALL), headers);
    return headers;
  }

  private static BitSet set(int... pcs) {
    BitSet s = new BitSet();
    for (int pc : pcs) {
      s.set(pc);
    }
    return s;
  }
}
