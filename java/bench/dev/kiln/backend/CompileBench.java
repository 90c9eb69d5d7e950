package dev.kiln.backend;

import dev.kiln.ir.Module;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IR instructions compiled per second, warm, from the builder to installed code: each invocation
 * builds the same {@link TypicalModule} of tens of thousands of instructions (loops, calls, integer and
 * float arithmetic, memory), then verifies, compiles (every pass of {@link Pipeline}) and installs
 * it, and frees it again. The {@code instructions} counter is the score: IR instructions per
 * second.
 *
 * <p>{@code mvn -Pbench test-compile exec:exec -Djmh.args="CompileBench -f 1"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// the warm-up outlasts C2's compiles of the compiler's hot methods, which on two cores take many
// iterations; scores before they finish measure the warm-up
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBench {
  private static final long SEED = 12;
  private static final int FUNCTIONS = 60;
  private static final int STATEMENTS = 200;
  private static final int INSTRUCTIONS =
      TypicalModule.instructions(TypicalModule.build(SEED, FUNCTIONS, STATEMENTS));

  /** The IR instructions compiled, which JMH reports per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counter {
    public long instructions;
  }

  @Benchmark
  public long buildCompileInstall(Counter counter) {
    Module module = TypicalModule.build(SEED, FUNCTIONS, STATEMENTS);
    try (CompiledModule compiled = Backend.compile(module, new CompileOptions())) {
      counter.instructions += INSTRUCTIONS;
      return compiled.statistics().codeBytes();
    }
  }
}
