package dev.kiln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import dev.kiln.vm.Deadline;
import dev.kiln.vm.Heap;
import dev.kiln.vm.Limits;
import dev.kiln.vm.Output;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the interpreter hands a running program over to compiled code: what it asks the compiler
 * for and when, and what it hands each call and each frame. The compiled code here is a stand-in
 * that records what it is given and answers as the program would.
 */
class TierUpTest {
  /** {@code sum(n)} adds 0..n-1 in a loop; main calls it in a loop and prints the total. */
  private static final String PROGRAM = """
      fn sum(n: int) -> int {
          let s = 0;
          for i in 0..n { s += i; }
          return s;
      }
      fn main() {
          let t = 0;
          for k in 0..4 { t += sum(10); }
          print(t);
      }
      """;

  /** The levels of main's frame of four slots. */
  private static final int MAIN_LEVELS = Limits.frameLevels(4);

  private final List<String> events = new ArrayList<>();

  /**
   * A compiler whose program records each call and resumption; it answers a call of sum(n) with
   * the sum, and a resumption with 45 (sum's whole result; main's is ignored).
   */
  private final class Recorder implements TierUp {
    private final long after;

    Recorder(long after) {
      this.after = after;
    }

    @Override
    public long after() {
      return after;
    }

    @Override
    public Compiled compile(BitSet[] resumptions) {
      events.add("compile sum at " + resumptions[0] + ", main at " + resumptions[1]);
      return new Compiled() {
        @Override
        public long call(int function, long[] args, int levels) {
          events.add("call " + function + " " + Arrays.toString(args) + " levels " + levels);
          return args[0] * (args[0] - 1) / 2;
        }

        @Override
        public long resume(int function, int header, long[] slots, int levels) {
          events.add("resume " + function + " at " + header + " slots " + Arrays.toString(slots)
              + " levels " + levels);
          return 45;
        }

        @Override
        public boolean resumes(int function, int header) {
          return resumptions[function] != null && resumptions[function].get(header);
        }
      };
    }
  }

  private String run(long after) throws CompileErrors {
    Program p = FrontEnd.compile(new Source("t.kiln", PROGRAM));
    StringWriter text = new StringWriter();
    Output out = new Output(text);
    try (Heap heap = new Heap(1 << 20)) {
      new Interpreter(p, heap, out, Deadline.none(), new Recorder(after)).run();
    }
    out.flush();
    return text.toString();
  }

  @Test
  void compiledAtTheFirstCallTheCallGoesToCompiledCodeAndMainResumesAtItsLoop()
      throws CompileErrors {
    // main's frame is the only one, and after the call the first back edge it can take is its
    // loop's; sum(10) runs compiled with all levels but main's; at the back edge (k just stepped
    // to 1), main's slots t, k and the call's result and argument go to its resumption at the
    // loop's first instruction, which prints (not this stand-in): the interpreter prints nothing.
    assertEquals("", run(0));
    assertEquals(List.of("compile sum at null, main at {30}",
        "call 0 [10] levels " + (Limits.MAX_CALL_DEPTH - MAIN_LEVELS),
        "resume 1 at 30 slots [45, 1, 45, 10] levels " + Limits.MAX_CALL_DEPTH), events);
  }

  @Test
  void compiledInsideALoopTheFrameResumesThereWithItsSlots() throws CompileErrors {
    // Ticks: main's call, then sum's back edges; the fourth is sum's with i stepped to 3 and s = 3,
    // so sum's frame resumes at its loop's first instruction, and main's after its call.
    assertEquals("", run(4));
    assertEquals(List.of("compile sum at {10}, main at {30}",
        "resume 0 at 10 slots [10, 3, 3] levels " + (Limits.MAX_CALL_DEPTH - MAIN_LEVELS),
        "resume 1 at 30 slots [45, 1, 45, 10] levels " + Limits.MAX_CALL_DEPTH), events);
  }

  @Test
  void aProgramThatEndsFirstIsNeverCompiled() throws CompileErrors {
    assertEquals("180\n", run(1000));
    assertEquals(List.of(), events);
  }
}
