package dev.kiln.bf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.source.Source;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import dev.kiln.backend.CompileOptions;
import dev.kiln.runtime.CallingConvention;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimising compiler and both execution engines against a naive, obviously correct
 * reference interpreter on random programs: same output bytes, same error. The JIT runs in the
 * host convention and, on Linux, also in the Windows x64 convention through the ms_abi path.
 * {@code -Dkiln.bf.random.count=N} runs more.
 */
class BfDifferentialTest {
  private static final int COUNT = Integer.getInteger("kiln.bf.random.count", 2000);
  private static final int STEP_BUDGET = 200_000;

  /** Runs the source command by command; null when it exceeds the step budget. */
  static String reference(Source src, byte[] input, ByteArrayOutputStream out, int tapeCells) {
    String t = src.text();
    int[] match = new int[t.length()];
    int[] stack = new int[t.length()];
    int depth = 0;
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) == '[') {
        stack[depth++] = i;
      } else if (t.charAt(i) == ']') {
        int o = stack[--depth];
        match[o] = i;
        match[i] = o;
      }
    }
    byte[] tape = new byte[tapeCells];
    int p = 0;
    int in = 0;
    for (int pc = 0, steps = 0; pc < t.length(); pc++, steps++) {
      if (steps > STEP_BUDGET) {
        return null;
      }
      char c = t.charAt(pc);
      if (c != '<' && c != '>' && (p < 0 || p >= tapeCells)) {
        return src.position(pc) + ": runtime error: cell index out of range: " + p
            + " (the tape has " + tapeCells + " cells)";
      }
      switch (c) {
        case '+' -> tape[p]++;
        case '-' -> tape[p]--;
        case '>' -> p++;
        case '<' -> p--;
        case '.' -> out.write(tape[p]);
        case ',' -> {
          if (in < input.length) {
            tape[p] = input[in++];
          }
        }
        case '[' -> pc = tape[p] == 0 ? match[pc] : pc;
        case ']' -> pc = tape[p] != 0 ? match[pc] : pc;
        default -> {}
      }
    }
    return "";
  }

  static String randomProgram(Random r) {
    StringBuilder sb = new StringBuilder();
    int open = 0;
    int length = 1 + r.nextInt(60);
    for (int i = 0; i < length; i++) {
      int k = r.nextInt(20);
      if (k < 4) {
        sb.append('+');
      } else if (k < 7) {
        sb.append('-');
      } else if (k < 10) {
        sb.append('>');
      } else if (k < 12) {
        sb.append('<');
      } else if (k < 13) {
        sb.append('.');
      } else if (k < 14) {
        sb.append(',');
      } else if (k < 16) {
        sb.append('[');
        open++;
      } else if (k < 18 && open > 0) {
        sb.append(']');
        open--;
      } else {
        // Idioms the compiler recognises, so they are exercised often.
        // A record walk moves each record's cell onto the one the iteration before cleared.
        String[] idioms = {"[-]", "[+]", "[->+<]", "[->>+++<<]", "[>]", "[<<]", "[-<+>]", "[>+-<-]",
            "[+>--<]", "[<+++>+]", "[>[->>+<<]<<<]", "[<[-<<+>>]>>>]"};
        sb.append(idioms[r.nextInt(idioms.length)]);
      }
    }
    sb.append("]".repeat(open));
    return sb.toString();
  }

  /** An execution engine under test; a time limit turns a miscompiled endless loop into a failure. */
  interface Engine {
    void run(BfProgram program, int tapeCells, InputStream in, OutputStream out);

    /** Runs on the default tape. */
    default void run(BfProgram program, InputStream in, OutputStream out) {
      run(program, BfProgram.DEFAULT_TAPE_CELLS, in, out);
    }
  }

  static final List<Engine> ENGINES = engines(5_000_000_000L);

  /** Every engine, each stopping after {@code limit} nanoseconds (0: never). */
  static List<Engine> engines(long limit) {
    List<Engine> engines = new ArrayList<>();
    engines.add(named("interpreter",
        (p, cells, in, out) -> BfInterpreter.run(p, cells, in, out, limit)));
    engines.add(named("jit", (p, cells, in, out) -> BfJit.run(p, cells, new CompileOptions(),
        in, out, limit)));
    if (CallingConvention.host() != CallingConvention.WINDOWS_X64) {
      CompileOptions windows = new CompileOptions().convention(CallingConvention.WINDOWS_X64);
      engines.add(named("jit (windows x64)",
          (p, cells, in, out) -> BfJit.run(p, cells, windows, in, out, limit)));
    }
    return engines;
  }

  private static Engine named(String name, Engine engine) {
    return new Engine() {
      @Override
      public void run(BfProgram program, int tapeCells, InputStream in, OutputStream out) {
        engine.run(program, tapeCells, in, out);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  @Test
  void largeProgramsWhoseLoopsBecomeFunctionsMatchNaive() throws Exception {
    // six loops of thirty random programs each, every loop entered once ([-]+[ ... [-]]): large
    // enough that BfLowering makes each loop a function of its own
    Random r = new Random(Long.getLong("kiln.bf.random.seed", 42));
    int compared = 0;
    for (int attempt = 0; compared < 8 && attempt < 200; attempt++) {
      StringBuilder text = new StringBuilder();
      for (int loop = 0; loop < 6; loop++) {
        text.append("[-]+[");
        for (int k = 0; k < 30; k++) {
          text.append(randomProgram(r).replace(",", ""));
        }
        text.append("[-]]>");
      }
      Source src = new Source("big.b", text.toString());
      ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
      String expectedError = reference(src, new byte[0], expectedOut, BfProgram.DEFAULT_TAPE_CELLS);
      BfProgram program = BfCompiler.compile(src);
      if (expectedError == null
          || BfLowering.lower(program, BfProgram.DEFAULT_TAPE_CELLS).functions().size() < 4) {
        continue; // does not finish within the budget, or too few loops were large enough
      }
      for (Engine engine : ENGINES) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String error = "";
        try {
          engine.run(program, BfProgram.DEFAULT_TAPE_CELLS, new ByteArrayInputStream(new byte[0]),
              out);
        } catch (BfRuntimeException e) {
          error = e.getMessage();
        }
        assertEquals(expectedError, error, engine + " on program " + src.text());
        assertEquals(expectedOut.toString(StandardCharsets.ISO_8859_1),
            out.toString(StandardCharsets.ISO_8859_1), engine + " on program " + src.text());
      }
      compared++;
    }
    assertEquals(8, compared, "too few large programs finished");
  }

  @Test
  void optimisedMatchesNaiveOnRandomPrograms() throws Exception {
    Random r = new Random(Long.getLong("kiln.bf.random.seed", 42));
    int compared = 0;
    for (int n = 0; n < COUNT; n++) {
      Source src = new Source("r.b", randomProgram(r));
      byte[] input = new byte[r.nextInt(4)];
      r.nextBytes(input);
      // A small tape in a third of the runs, so its upper end is reached too.
      int tapeCells = r.nextInt(3) == 0 ? 1 + r.nextInt(40) : BfProgram.DEFAULT_TAPE_CELLS;
      ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
      String expectedError = reference(src, input, expectedOut, tapeCells);
      if (expectedError == null) {
        continue; // does not finish within the budget: nothing to compare
      }
      BfProgram program = BfCompiler.compile(src);
      for (Engine engine : ENGINES) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String error = "";
        try {
          engine.run(program, tapeCells, new ByteArrayInputStream(input), out);
        } catch (BfRuntimeException e) {
          error = e.getMessage();
        }
        String what = engine + " on program " + src.text() + " with " + tapeCells + " cells";
        assertEquals(expectedError, error, what);
        assertEquals(
            expectedOut.toString(StandardCharsets.ISO_8859_1), out.toString(StandardCharsets.ISO_8859_1), what);
      }
      compared++;
    }
    // Most random programs finish; a generator that stopped producing them would test nothing.
    assertEquals(true, compared > COUNT / 2, "only " + compared + " of " + COUNT + " programs finished");
  }
}
