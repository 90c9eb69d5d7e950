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

  /** Appends a line per function of {@code module}, at {@code addresses} with {@code sizes}. */
  static synchronized void append(Module module, long[] addresses, int[] sizes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < addresses.length; i++) {
      line(text, addresses[i], sizes[i], module.functions().get(i).name());
    }
    write(text);
  }

  /** Appends the line of one function, compiled apart from the rest of its module. */
  static synchronized void append(String name, long address, int size) {
    StringBuilder text = new StringBuilder();
    line(text, address, size, name);
    write(text);
  }

  private static void line(StringBuilder text, long address, int size, String name) {
    text.append(Long.toHexString(address)).append(' ').append(Integer.toHexString(size))
        .append(" kiln-ir:@").append(name).append('\n');
  }

  private static void write(CharSequence text) {
    Path file = Path.of("/tmp/perf-" + ProcessHandle.current().pid() + ".map");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the perf map " + file, e);
    }
  }
}
