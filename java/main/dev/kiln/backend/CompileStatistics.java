package dev.kiln.backend;

import java.util.Map;

/**
 * What compiling a module took and made.
 *
 * @param functions the functions compiled (so far, when they are compiled on their first calls)
 * @param instructions the IR instructions compiled, as the module had them before the passes
 * @param spilledValues values the register allocator put in stack slots
 * @param codeBytes bytes of machine code, the entry stub and constants included
 * @param lowerNanos time spent in block layout and instruction selection
 * @param allocateNanos time spent in register allocation
 * @param emitNanos time spent emitting and assembling
 * @param installNanos time spent installing the code into executable memory
 * @param compileNanos time from the IR to the machine code, passes to emission: less than the sum
 *     of their times when other threads compiled functions ({@link
 *     CompileOptions#parallel(boolean)}), since those sum each function's time on every thread
 * @param passNanos time spent in each IR-to-IR pass, by name, in the order they ran (empty if
 *     they were off); this, lowering and allocation time are summed over all threads
 * @param firstCallNanos the time calls spent in the stand-ins of functions not compiled yet,
 *     compiling and installing them or waiting for the helper that does ({@link
 *     CompileOptions#lazy(boolean)}), else 0
 */
public record CompileStatistics(int functions, int instructions, int spilledValues,
    int codeBytes, long lowerNanos, long allocateNanos, long emitNanos, long installNanos,
    long compileNanos, Map<String, Long> passNanos, long firstCallNanos) {

  /** {@return the time of all IR passes, in nanoseconds} */
  public long optimizeNanos() {
    long sum = 0;
    for (long nanos : passNanos.values()) {
      sum += nanos;
    }
    return sum;
  }

  /** {@return each pass's time in milliseconds, in the order they ran: "inline 1.2, fold 0.8"} */
  public String passTimes() {
    StringBuilder times = new StringBuilder();
    for (Map.Entry<String, Long> pass : passNanos.entrySet()) {
      if (times.length() > 0) {
        times.append(", ");
      }
      times.append(String.format("%s %.1f", pass.getKey(), pass.getValue() / 1e6));
    }
    return times.toString();
  }
}
