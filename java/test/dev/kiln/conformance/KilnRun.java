package dev.kiln.conformance;

import dev.kiln.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The observable outcome of one in-process {@code kiln run}: exit code, stdout and stderr. */
record KilnRun(int exit, String stdout, String stderr) {

  /** Runs {@code program} in {@code mode} through {@link Main#execute}, capturing both streams. */
  static KilnRun of(KilnProgram program, String mode) {
    List<String> argv = new ArrayList<>();
    argv.add("run");
    argv.add(program.path().toString());
    argv.add("--mode=" + mode);
    argv.addAll(program.args());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.execute(argv.toArray(String[]::new), o, e);
    }
    return new KilnRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
