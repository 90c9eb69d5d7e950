package dev.kiln.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kiln program together with what it must do, read from the {@code //} annotations in its
 * source (CONTRACT.md): {@code expect:} one stdout line each, {@code expect-error:} a substring
 * of stderr each, {@code exit:} the exit code, {@code args:} extra command-line options and
 * {@code modes:} the execution modes it is restricted to.
 *
 * <p>An annotation may follow code on the same line ({@code print(1); // expect: 1}), so a test
 * reads next to the statement that produces its output.
 */
record KilnProgram(
    Path path,
    String expectedStdout,
    List<String> expectedErrors,
    int expectedExit,
    List<String> args,
    List<String> modes) {

  private static final Pattern ANNOTATION =
      Pattern.compile("//\\s*(expect|expect-error|exit|args|modes):(.*)$");

  /** Reads the annotations of {@code path}; malformed annotations are reported, never guessed. */
  static KilnProgram parse(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder stdout = new StringBuilder();
    List<String> errors = new ArrayList<>();
    List<String> args = new ArrayList<>();
    List<String> modes = new ArrayList<>();
    Integer exit = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ANNOTATION.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      String key = m.group(1);
      // Exactly one space separates the colon from the text, so `// expect:  x` expects " x".
      String text = m.group(2).startsWith(" ") ? m.group(2).substring(1) : m.group(2);
      switch (key) {
        case "expect" -> stdout.append(text).append('\n');
        case "expect-error" -> errors.add(requireText(path, i, key, text));
        case "exit" -> exit = parseExit(path, i, text);
        case "args" -> args.addAll(words(text));
        case "modes" -> modes.addAll(words(text));
        default -> throw new AssertionError(key);
      }
    }
    if (!errors.isEmpty() && exit == null) {
      throw new IllegalArgumentException(
          path + ": a program with '// expect-error:' must state its '// exit:' code");
    }
    return new KilnProgram(
        path, stdout.toString(), errors, exit == null ? 0 : exit, args, modes);
  }

  /** Whether the program runs in {@code mode} (all modes unless a {@code modes:} line limits it). */
  boolean runsIn(String mode) {
    return modes.isEmpty() || modes.contains(mode);
  }

  private static String requireText(Path path, int line, String key, String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException(path + ":" + (line + 1) + ": empty '// " + key + ":'");
    }
    // Leading spaces are kept: they place the `^` of an expected caret line under its column.
    return text.stripTrailing();
  }

  private static int parseExit(Path path, int line, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          path + ":" + (line + 1) + ": '// exit:' needs a number, found '" + text + "'", e);
    }
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.strip().split("\\s+"));
  }
}
