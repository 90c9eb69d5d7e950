package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.execute(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void versionPrintsNameAndExitsZero() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("kiln "));
  }

  @Test
  void eachCommandNameMakesTheCommandOfThatName() {
    for (String name : Main.COMMAND_NAMES) {
      assertEquals(name, Main.commandNamed(name).syntax().name());
    }
  }

  @Test
  void helpListsUsage() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: kiln"));
  }

  @Test
  void unknownOptionIsAUsageErrorWithOneLineHint() {
    assertEquals(2, run("--frobnicate"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("usage: kiln"), e);
  }

  @Test
  void aLongSynopsisStaysOnOneLine() {
    // bf's synopsis is longer than 80 columns.
    assertEquals(2, run("bf", "x.b", "--frobnicate"));
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, String.join("\n", lines));
    assertTrue(lines[0].startsWith("kiln: "), lines[0]);
    assertTrue(lines[1].startsWith("usage: kiln bf ") && lines[1].endsWith("(see 'kiln --help')"), lines[1]);
  }
}
