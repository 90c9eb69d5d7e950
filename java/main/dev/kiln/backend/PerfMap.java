package dev.kiln.backend;

import dev.kiln.ir.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The perf map: {@code /tmp/perf-PID.map}, one line {@code START SIZE NAME} (hex) per function,
 * which {@code perf report} reads to name JIT-compiled code.
 */
final class PerfMap {
  private PerfMap() {}

  static synchronized void append(Module module, long[] addresses, int[] sizes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < addresses.length; i++) {
      text.append(Long.toHexString(addresses[i])).append(' ')
          .append(Integer.toHexString(sizes[i])).append(" kiln-ir:@")
          .append(module.functions().get(i).name()).append('\n');
    }
    Path file = Path.of("/tmp/perf-" + ProcessHandle.current().pid() + ".map");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the perf map " + file, e);
    }
  }
}
