package dev.kiln.runtime;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one call from Java into a trivial generated function ({@code a + b}) through {@link
 * InstalledCode#invoke2}, next to a plain JNI static native of the same shape doing the same
 * addition in C ({@link Shim#baseline}). Target: the generated call costs at most 1.3x the plain
 * JNI call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CallBench {
  private CodeCache cache;
  private InstalledCode add;
  private long a = 40;
  private long b = 2;

  /** lea rax, [first + second argument]; ret. */
  private static byte[] addCode(CallingConvention cc) {
    int first = cc.integerArguments().get(0);
    int second = cc.integerArguments().get(1);
    // 48 8d 04 SIB: REX.W LEA with a SIB byte, scale 1, index = second, base = first.
    return new byte[] {0x48, (byte) 0x8d, 0x04, (byte) (second << 3 | first), (byte) 0xc3};
  }

  @Setup
  public void setUp() {
    cache = new CodeCache();
    add = cache.install(addCode(CallingConvention.host()), Signature.longs(2));
    if (add.invoke2(a, b) != Shim.baseline(a, b)) {
      throw new AssertionError("generated add and the JNI baseline disagree");
    }
  }

  @TearDown
  public void tearDown() {
    cache.close();
  }

  @Benchmark
  public long generatedCall() {
    return add.invoke2(a, b);
  }

  @Benchmark
  public long plainJni() {
    return Shim.baseline(a, b);
  }
}
