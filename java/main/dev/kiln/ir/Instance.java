package dev.kiln.ir;

import java.nio.ByteBuffer;

/**
 * A module ready to run, with its memories and bound imports: what the {@link Interpreter} and
 * compiled code ({@code dev.kiln.backend.CompiledModule}) both offer, so tests can compare them.
 * Not thread-safe: one thread runs it at a time (a Java import may call back into it).
 */
public interface Instance extends AutoCloseable {
  /** {@return the module it runs} */
  Module module();

  /**
   * Calls function {@code name} with boxed arguments: {@link Long} (or Integer) for i64,
   * {@link Double} for f64.
   *
   * @param name the function's name, without {@code @}
   * @param args its arguments, one for each parameter
   * @return the result as a Long or Double, or {@code null} for a function without one
   * @throws TrapException when the IR traps
   * @throws IllegalArgumentException for an unknown function or wrong arguments
   */
  Object call(String name, Object... args);

  /**
   * Calls function {@code name} with raw 64-bit arguments (an f64 as its raw bits) and returns the
   * raw result (0 for a function without one): no boxing.
   *
   * @param name the function's name, without {@code @}
   * @param args its raw arguments, one for each parameter
   * @return the raw result
   * @throws TrapException when the IR traps
   * @throws IllegalArgumentException for an unknown function or a wrong argument count
   */
  long callRaw(String name, long... args);

  /**
   * The memory {@code name} as a little-endian view of its bytes.
   *
   * @param name the memory's name, without {@code $}
   * @return a view of the memory's bytes
   * @throws IllegalArgumentException if the module has no such memory
   */
  ByteBuffer memory(String name);

  /** Releases the instance; calling it afterwards is an error. */
  @Override
  void close();
}
