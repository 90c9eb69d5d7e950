package dev.kiln.interp;

import java.util.BitSet;

/**
 * A compiler an {@link Interpreter} hands a running program over to once it has run for
 * {@link #after()} calls and back edges: from then on its calls go to compiled code, and each
 * interpreted frame continues in compiled code from the next loop header it reaches.
 */
public interface TierUp {
  /** {@return the calls and back edges the interpreter runs before it asks for compiled code} */
  long after();

  /**
   * Compiles the program, with a way to resume a frame of a function at each of the loop headers
   * {@code resumptions} lists for it: the first back edges the interpreter's frames can take.
   *
   * @param resumptions by function index: the loop headers (bytecode pcs), or null for none
   * @return the compiled program, or {@code null} to interpret to the end
   */
  Compiled compile(BitSet[] resumptions);

  /** A compiled program: both methods throw the interpreter's errors, with its positions. */
  interface Compiled {
    /**
     * Runs function {@code function} in compiled code.
     *
     * @param args its arguments, raw (floats as their bits)
     * @param levels the levels of the call-depth limit the call may take, its own frame's included
     * @return its result, raw, or 0 for none
     */
    long call(int function, long[] args, int levels);

    /**
     * Runs the rest of an interpreted frame of {@code function} in compiled code, from the loop
     * header {@code header} it has reached.
     *
     * @param slots the frame's slots, raw
     * @param levels the levels of the call-depth limit the frame may take, its own included
     * @return the function's result, raw, or 0 for none
     */
    long resume(int function, int header, long[] slots, int levels);

    /**
     * {@return whether a frame of {@code function} can go on in compiled code at {@code header}}
     */
    boolean resumes(int function, int header);
  }
}
