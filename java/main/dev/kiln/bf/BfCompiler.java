package dev.kiln.bf;

import dev.kiln.source.Source;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds Brainfuck commands into {@link BfProgram} IR.
 *
 * <p>Straight-line runs of {@code + - < >} become offset-addressed {@code ADD}/{@code SET}s and a
 * single {@code MOVE}. Pending cell updates are flushed in order of first touch before any I/O or
 * loop test, so the first out-of-range access (and everything printed before it) is exactly the
 * one the naive program would make. Three loop idioms are recognised: {@code [-]}/{@code [+]}
 * (clear), balanced multiply-move loops such as {@code [->+>++<<]} (or counting up, {@code
 * [+>-<]}), and scans such as {@code [>]}.
 */
public final class BfCompiler {
  private final BfParser.Commands cmds;
  private int[] code = new int[48];
  private int[] offsets = new int[16];
  private int size;

  /** Cell updates not yet emitted: offset relative to the emitted pointer → pending update. */
  private final Map<Integer, Pending> pending = new LinkedHashMap<>();

  private int virtualOffset;

  private static final class Pending {
    boolean isSet;
    int value;
    final int sourceOffset;

    Pending(int sourceOffset) {
      this.sourceOffset = sourceOffset;
    }
  }

  private BfCompiler(BfParser.Commands cmds) {
    this.cmds = cmds;
  }

  public static BfProgram compile(Source source) throws BfSyntaxException {
    BfCompiler c = new BfCompiler(BfParser.parse(source));
    c.run();
    return new BfProgram(
        Arrays.copyOf(c.code, 3 * c.size), Arrays.copyOf(c.offsets, c.size), source);
  }

  private void run() {
    char[] ops = cmds.ops();
    // the JZ of each loop still open, innermost last (an idiom's loop is never open: its body
    // is skipped)
    int[] openJz = new int[16];
    int depth = 0;
    for (int i = 0; i < ops.length; i++) {
      int src = cmds.offsets()[i];
      switch (ops[i]) {
        case '+' -> update(src, 1);
        case '-' -> update(src, -1);
        case '>' -> virtualOffset++;
        case '<' -> virtualOffset--;
        case '.' -> {
          flush();
          emit(BfProgram.OUT, virtualOffset, 0, src);
        }
        case ',' -> {
          flush();
          emit(BfProgram.IN, virtualOffset, 0, src);
        }
        case '[' -> {
          int end = cmds.match()[i];
          if (idiom(i, end)) {
            i = end;
          } else {
            flush();
            flushMove(src);
            if (depth == openJz.length) {
              openJz = Arrays.copyOf(openJz, 2 * depth);
            }
            openJz[depth++] = size;
            emit(BfProgram.JZ, -1, 0, src);
          }
        }
        case ']' -> {
          flush();
          flushMove(src);
          int open = openJz[--depth];
          emit(BfProgram.JNZ, open + 1, 0, src);
          code[3 * open + 1] = size;
        }
        default -> throw new IllegalStateException("parser passed a non-command: " + ops[i]);
      }
    }
    flush();
  }

  private void update(int src, int delta) {
    pendingAt(src).value += delta;
  }

  /**
   * The pending update of the cell at the virtual offset, new (first touched at source offset
   * {@code src}) if it has none. (No lambda: linking one costs a cold run more than the map.)
   */
  private Pending pendingAt(int src) {
    Pending p = pending.get(virtualOffset);
    if (p == null) {
      p = new Pending(src);
      pending.put(virtualOffset, p);
    }
    return p;
  }

  /**
   * Recognises a loop idiom between brackets {@code open} and {@code close} and emits it if so.
   * Each emitted access carries the source offset of the command whose access the naive program
   * would make first, so an out-of-range error names the same place in both.
   */
  private boolean idiom(int open, int close) {
    char[] ops = cmds.ops();
    Map<Integer, int[]> deltas = new LinkedHashMap<>(); // offset -> {delta, first source offset}
    int move = 0;
    for (int k = open + 1; k < close; k++) {
      char c = ops[k];
      switch (c) {
        case '+', '-' -> {
          int[] d = deltas.get(move);
          if (d == null) {
            d = new int[] {0, cmds.offsets()[k]};
            deltas.put(move, d);
          }
          d[0] += c == '+' ? 1 : -1;
        }
        case '>' -> move++;
        case '<' -> move--;
        default -> {
          return false;
        }
      }
    }
    int src = cmds.offsets()[open];
    if (deltas.isEmpty() && move != 0) {
      // [>] [<<]: the loop test after each step is the ']' of the source.
      flush();
      flushMove(src);
      int jz = size;
      emit(BfProgram.JZ, -1, 0, src);
      emit(BfProgram.SCAN, move, 0, cmds.offsets()[close]);
      code[3 * jz + 1] = size;
      return true;
    }
    int own = deltas.containsKey(0) ? deltas.get(0)[0] : 0;
    if (deltas.size() == 1 && move == 0 && (own == 1 || own == -1)) {
      // [-] or [+]: the cell reaches zero either way (values wrap), so it is a pending store;
      // it touches only the current cell, so nothing before it needs flushing.
      Pending p = pendingAt(src);
      p.isSet = true;
      p.value = 0;
      return true;
    }
    if (move != 0 || own != -1 && own != 1) {
      return false;
    }
    // [->+>++<<]: each iteration subtracts one from t[p], so the body runs t[p] times, adding
    // t[p] * delta to each other cell; [+>-<] adds one until t[p] wraps to zero, 256 - t[p]
    // times (mod 256), which adds t[p] * -delta.
    int sign = -own;
    flush();
    flushMove(src);
    int jz = size;
    emit(BfProgram.JZ, -1, 0, src);
    for (Map.Entry<Integer, int[]> e : deltas.entrySet()) {
      if (e.getKey() != 0) {
        // Emitted even when the factor is 0 mod 256: the naive loop still touches the cell.
        emit(BfProgram.MUL, e.getKey(), sign * e.getValue()[0] & 0xff, e.getValue()[1]);
      }
    }
    emit(BfProgram.SET, 0, 0, src);
    code[3 * jz + 1] = size;
    return true;
  }

  /** Emits the pending cell updates, in order of first touch. */
  private void flush() {
    for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.isSet) {
        emit(BfProgram.SET, e.getKey(), p.value & 0xff, p.sourceOffset);
      } else {
        // Emitted even when the sum is 0 mod 256 ("+-"): the naive program touches the cell.
        emit(BfProgram.ADD, e.getKey(), p.value & 0xff, p.sourceOffset);
      }
    }
    pending.clear();
  }

  /** Emits the pointer movement accumulated so far, so the next loop test sees the true pointer. */
  private void flushMove(int src) {
    if (virtualOffset != 0) {
      emit(BfProgram.MOVE, virtualOffset, 0, src);
      virtualOffset = 0;
    }
  }

  private void emit(int op, int a, int b, int sourceOffset) {
    if (3 * size + 3 > code.length) {
      code = Arrays.copyOf(code, code.length * 2);
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
    }
    code[3 * size] = op;
    code[3 * size + 1] = a;
    code[3 * size + 2] = b;
    offsets[size] = sourceOffset;
    size++;
  }
}
