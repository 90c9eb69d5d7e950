package dev.kiln.conformance;

import dev.kiln.cli.KilnCli;
import java.util.ArrayList;
import java.util.List;

/** The observable outcome of one in-process {@code kiln run}: exit code, stdout and stderr. */
record KilnRun(int exit, String stdout, String stderr) {

  /** Runs {@code program} in {@code mode} (the --mode value, then any further options). */
  static KilnRun of(KilnProgram program, String mode) {
    List<String> argv = new ArrayList<>();
    argv.add("run");
    argv.add(program.path().toString());
    argv.addAll(List.of(("--mode=" + mode).split(" ")));
    argv.addAll(program.args());
    KilnCli run = KilnCli.run(argv.toArray(String[]::new));
    return new KilnRun(run.exit(), run.stdout(), run.stderr());
  }
}
