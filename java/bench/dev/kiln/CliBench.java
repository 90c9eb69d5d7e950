package dev.kiln;

import dev.kiln.cli.Main;
import java.io.OutputStream;
import java.io.PrintStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Baseline: the fixed cost of one in-process command-line invocation. */
@State(Scope.Benchmark)
public class CliBench {
  private final PrintStream sink = new PrintStream(OutputStream.nullOutputStream());

  @Benchmark
  public int version() {
    return Main.execute(new String[] {"--version"}, sink, sink);
  }
}
