package dev.kiln.jit;

import dev.kiln.vm.Limits;

/**
 * The native stack of the thread that runs compiled code. It is sized to hold {@link
 * Limits#MAX_CALL_DEPTH} of the program's largest frames, so the depth limit, counted exactly as
 * the interpreter counts it, ends deep recursion before the stack does. Only a program whose
 * frames are too large for that within {@link #MAX_BYTES} needs an rsp guard in its calls.
 */
final class ThreadStack {
  /** Stack kept free below the guard for the upcall helper, the JVM's frames and a last frame. */
  static final long RESERVE_BYTES = 1 << 20;
  /** The largest stack the run's thread asks for (virtual memory: pages are touched on use). */
  static final long MAX_BYTES = 4L << 30;

  private ThreadStack() {}

  /** The stack size to ask the thread for. */
  static long bytes(int maxFrameBytes) {
    return Math.min(MAX_BYTES, (long) Limits.MAX_CALL_DEPTH * maxFrameBytes + 2 * RESERVE_BYTES);
  }

  /** Bytes Kiln frames may take below the entry stub before a call must fail. */
  static long budget(int maxFrameBytes) {
    return Math.max(0, bytes(maxFrameBytes) - RESERVE_BYTES - maxFrameBytes);
  }

  /** Whether the deepest allowed chain of frames fits the budget: then calls need no rsp guard. */
  static boolean holdsMaxDepth(int maxFrameBytes) {
    return (long) Limits.MAX_CALL_DEPTH * maxFrameBytes <= budget(maxFrameBytes);
  }
}
