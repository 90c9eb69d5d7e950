package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How every command reads its source file: size limit, byte-order mark, line endings. */
class SourceFilesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"run", "bf", "asm"})
  void aFileLargerThanTheLimitIsAUsageError(String command) throws IOException {
    Path big = dir.resolve("big");
    try (OutputStream out = Files.newOutputStream(big)) {
      byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i <= SourceFiles.MAX_BYTES >> 20; i++) {
        out.write(spaces);
      }
    }
    KilnCli r = KilnCli.run(command, big.toString());
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.stderr().startsWith("kiln: cannot read " + big + ": larger than the 64 MiB a source file may have\n"),
        r.stderr());
  }

  @Test
  @EnabledOnOs(OS.LINUX) // the OS words the reason for a directory
  void aMissingFileOrADirectoryIsAUsageErrorSayingWhy() {
    KilnCli missing = KilnCli.run("run", dir.resolve("absent.kiln").toString());
    assertEquals(Main.EXIT_USAGE, missing.exit());
    assertTrue(missing.stderr().startsWith(
        "kiln: cannot read " + dir.resolve("absent.kiln") + ": no such file\n"), missing.stderr());
    KilnCli directory = KilnCli.run("run", dir.toString());
    assertEquals(Main.EXIT_USAGE, directory.exit());
    assertTrue(directory.stderr().startsWith("kiln: cannot read " + dir + ": Is a directory\n"),
        directory.stderr());
  }

  @Test
  void aFileOfExactlyTheLimitIsRead() throws IOException {
    Path file = dir.resolve("limit.b");
    Files.write(file, new byte[SourceFiles.MAX_BYTES]); // NUL bytes: Brainfuck comments
    assertEquals(SourceFiles.MAX_BYTES, SourceFiles.read(file.toString()).length());
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void anEndlessDeviceIsRefusedAfterTheLimitNotReadToTheEnd() {
    KilnCli r = KilnCli.run("run", "/dev/zero");
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.stderr().startsWith("kiln: cannot read /dev/zero: larger than the 64 MiB"), r.stderr());
  }

  @Test
  void aLeadingByteOrderMarkIsNotPartOfTheText() throws IOException {
    Path file = dir.resolve("bom.kiln");
    Files.write(file, "\uFEFFfn main() {\n  print(y);\n}\n".getBytes(StandardCharsets.UTF_8));
    KilnCli r = KilnCli.run("run", file.toString());
    assertEquals(Main.EXIT_COMPILE_ERROR, r.exit());
    assertTrue(r.stderr().startsWith(file + ":2:9: error: undefined variable 'y'\n"), r.stderr());
    Files.write(file, "\uFEFFfn main() { print(1); }\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(new KilnCli(0, "1\n", ""), KilnCli.run("run", file.toString()));
  }

  @Test
  void aByteOrderMarkLaterInTheFileIsStillAnError() throws IOException {
    Path file = dir.resolve("bom.kiln");
    Files.writeString(file, "fn main() {\uFEFF }\n");
    KilnCli r = KilnCli.run("run", file.toString());
    assertEquals(Main.EXIT_COMPILE_ERROR, r.exit());
    assertTrue(r.stderr().startsWith(file + ":1:12: error: unexpected character '<U+FEFF>'\n"), r.stderr());
  }

  @Test
  void crOnlyLineEndingsArePositionedByLine() throws IOException {
    Path file = dir.resolve("cr.kiln");
    Files.writeString(file, "fn main() {\r  // a comment\r  print(1);\r  print(x);\r}\r");
    KilnCli r = KilnCli.run("run", file.toString());
    assertEquals(Main.EXIT_COMPILE_ERROR, r.exit());
    assertEquals(file + ":4:9: error: undefined variable 'x'\n  print(x);\n        ^\n", r.stderr());
  }

  @Test
  void assemblyWithCrOnlyLineEndingsHasOneInstructionPerLine() throws IOException {
    Path file = dir.resolve("cr.s");
    Files.writeString(file, "nop\rret\r");
    assertEquals(new KilnCli(0, "90\tnop\nc3\tret\n", ""), KilnCli.run("asm", file.toString()));
  }
}
