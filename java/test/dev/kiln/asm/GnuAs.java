package dev.kiln.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs GNU as + objcopy on a whole batch of source at once (one process pair per batch). */
final class GnuAs {
  private static Boolean available;

  private GnuAs() {}

  static synchronized boolean available() {
    if (available == null) {
      available = run(List.of("as", "--version")) && run(List.of("objcopy", "--version"));
    }
    return available;
  }

  /** The .text bytes of {@code source} (Intel syntax, no prefixes) as assembled by GNU as. */
  static byte[] assemble(Path dir, String source) throws IOException {
    Path s = dir.resolve("batch.s");
    Path o = dir.resolve("batch.o");
    Path bin = dir.resolve("batch.bin");
    Files.writeString(s, ".intel_syntax noprefix\n.text\n" + source, StandardCharsets.UTF_8);
    Path log = dir.resolve("as.log");
    if (!run(List.of("as", "--64", "-o", o.toString(), s.toString()), log)) {
      throw new AssertionError("GNU as rejected the batch:\n" + Files.readString(log));
    }
    if (!run(List.of("objcopy", "-O", "binary", "-j", ".text", o.toString(), bin.toString()),
        log)) {
      throw new AssertionError("objcopy failed:\n" + Files.readString(log));
    }
    return Files.readAllBytes(bin);
  }

  /**
   * The instruction texts objdump -M intel prints for the object of the last {@link #assemble} in
   * {@code dir}, in order (one per instruction; wide instructions are kept on one line).
   */
  static List<String> disassemble(Path dir) throws IOException {
    Path out = dir.resolve("objdump.txt");
    if (!run(List.of("objdump", "-d", "-M", "intel", "--insn-width=16",
        dir.resolve("batch.o").toString()), out)) {
      throw new AssertionError("objdump failed:\n" + Files.readString(out));
    }
    List<String> texts = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      String[] cols = line.split("\t");
      if (cols.length >= 3 && cols[0].trim().endsWith(":")) {
        texts.add(cols[2].replaceAll("\\s+$", ""));
      }
    }
    return texts;
  }

  private static boolean run(List<String> cmd) {
    try {
      Path log = Files.createTempFile("kiln-as", ".log");
      try {
        return run(cmd, log);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean run(List<String> cmd, Path log) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
