package dev.kiln.jit;

import dev.kiln.asm.Assembler;
import dev.kiln.bytecode.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends compiled functions to {@code /tmp/perf-PID.map}, the file {@code perf report} reads to
 * name JIT code: one line {@code START SIZE NAME} per function, addresses in hex.
 */
final class PerfMap {
  private PerfMap() {}

  static Path path() {
    return Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
  }

  static void write(Program program, KilnCodeGenerator.Generated g, long base, int codeBytes) {
    Assembler a = g.assembler();
    StringBuilder sb = new StringBuilder();
    int n = g.functions().length;
    for (int f = 0; f < n; f++) {
      int start = a.offsetOf(g.functions()[f]);
      int end = f + 1 < n ? a.offsetOf(g.functions()[f + 1]) : codeBytes;
      sb.append(Long.toHexString(base + start)).append(' ')
          .append(Integer.toHexString(Math.max(1, end - start))).append(" kiln:")
          .append(program.function(f).name()).append('\n');
    }
    try {
      Files.writeString(path(), sb, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
