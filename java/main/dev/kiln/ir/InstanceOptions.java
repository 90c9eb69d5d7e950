package dev.kiln.ir;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * How a module is instantiated: Java callbacks for the imports declared without one, buffers to
 * use as memories (shared with the host), the call-depth limit and the {@link RunControl}.
 */
public final class InstanceOptions {
  /** The default call-depth limit: the call that would make frame 100,001 traps. */
  public static final int DEFAULT_MAX_CALL_DEPTH = 100_000;

  final Map<String, JavaCallback> bindings = new HashMap<>();
  final Map<String, ByteBuffer> memories = new HashMap<>();
  final Map<String, Long> cFunctions = new HashMap<>();
  int maxCallDepth = DEFAULT_MAX_CALL_DEPTH;
  RunControl control;

  /** Options with no bindings, fresh zeroed memories, the default depth and no control. */
  public InstanceOptions() {}

  /**
   * Binds the Java import {@code name} (declared without a callback) to {@code callback}.
   *
   * @param name the import's name
   * @param callback the Java code run when it is called
   * @return these options
   */
  public InstanceOptions bind(String name, JavaCallback callback) {
    if (callback == null) {
      throw new IllegalArgumentException("the callback for @" + name + " is null");
    }
    bindings.put(name, callback);
    return this;
  }

  /**
   * Binds the C import {@code name} to the function at {@code address}, which compiled code calls
   * in the host's C convention (find one with {@code dev.kiln.runtime.CSymbols.lookup}). The
   * interpreter cannot call C functions.
   *
   * @param name the C import's name
   * @param address the native address of the function, not 0
   * @return these options
   */
  public InstanceOptions bindC(String name, long address) {
    if (address == 0) {
      throw new IllegalArgumentException("the address of C function @" + name + " is null");
    }
    cFunctions.put(name, address);
    return this;
  }

  /**
   * The address bound to C import {@code name}, or {@code null}.
   *
   * @param name the C import's name
   * @return its address, or {@code null} if it is not bound
   */
  public Long cBinding(String name) {
    return cFunctions.get(name);
  }

  /**
   * Uses {@code buffer} as memory {@code name}: a direct buffer of at least the declared size,
   * addressed from its index 0 in little-endian order. The host reads and writes it between runs.
   *
   * @param name the memory's name
   * @param buffer the direct buffer to use
   * @return these options
   */
  public InstanceOptions memory(String name, ByteBuffer buffer) {
    if (buffer == null || !buffer.isDirect()) {
      throw new IllegalArgumentException("memory $" + name + " needs a direct ByteBuffer");
    }
    memories.put(name, buffer);
    return this;
  }

  /**
   * Sets the call-depth limit (at least 1).
   *
   * @param frames the limit, in levels of the call depth (one per frame of a function of 1 level)
   * @return these options
   */
  public InstanceOptions maxCallDepth(int frames) {
    if (frames < 1) {
      throw new IllegalArgumentException("the call-depth limit must be at least 1, not " + frames);
    }
    maxCallDepth = frames;
    return this;
  }

  /**
   * The callback bound to Java import {@code name}, or {@code null}.
   *
   * @param name the import's name
   * @return its callback, or {@code null} if it is not bound
   */
  public JavaCallback binding(String name) {
    return bindings.get(name);
  }

  /**
   * The buffer given for memory {@code name}, or {@code null} for a fresh zeroed one.
   *
   * @param name the memory's name
   * @return the buffer given for it, or {@code null}
   */
  public ByteBuffer memoryBuffer(String name) {
    return memories.get(name);
  }

  /**
   * The call-depth limit.
   *
   * @return the limit, in levels
   */
  public int maxCallDepth() {
    return maxCallDepth;
  }

  /**
   * The run control, or {@code null}.
   *
   * @return the run control, or {@code null} if there is none
   */
  public RunControl control() {
    return control;
  }

  /**
   * Polls {@code control} for a deadline and cancellation.
   *
   * @param control the control polled while the module runs, or {@code null} for none
   * @return these options
   */
  public InstanceOptions control(RunControl control) {
    this.control = control;
    return this;
  }
}
