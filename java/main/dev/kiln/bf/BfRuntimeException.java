package dev.kiln.bf;

/** A Brainfuck runtime error, already formatted as {@code FILE:LINE:COL: runtime error: ...}. */
public final class BfRuntimeException extends RuntimeException {
  BfRuntimeException(String message) {
    super(message);
  }

  public static BfRuntimeException at(BfProgram program, int instruction, String what) {
    // An empty program has no instruction: its error (only a time limit) is at its start.
    int offset = instruction < program.size() ? program.sourceOffsets()[instruction] : 0;
    return new BfRuntimeException(
        program.source().position(offset) + ": runtime error: " + what);
  }

  public static BfRuntimeException cellOutOfRange(BfProgram program, int instruction, long cell,
      int tapeCells) {
    return at(
        program,
        instruction,
        "cell index out of range: " + cell + " (the tape has " + tapeCells + " cells)");
  }
}
