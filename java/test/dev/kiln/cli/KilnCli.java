package dev.kiln.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The observable outcome of one in-process run of the command line: exit code and both streams. */
public record KilnCli(int exit, String stdout, String stderr) {
  /** Runs {@link Main#execute} with {@code args}, capturing stdout and stderr as UTF-8. */
  public static KilnCli run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.execute(args, o, e);
    }
    return new KilnCli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
