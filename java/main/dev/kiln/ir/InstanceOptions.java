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

  /** Binds the Java import {@code name} (declared without a callback) to {@code callback}. */
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
   */
  public InstanceOptions bindC(String name, long address) {
    if (address == 0) {
      throw new IllegalArgumentException("the address of C function @" + name + " is null");
    }
    cFunctions.put(name, address);
    return this;
  }

  /** The address bound to C import {@code name}, or {@code null}. */
  public Long cBinding(String name) {
    return cFunctions.get(name);
  }

  /**
   * Uses {@code buffer} as memory {@code name}: a direct buffer of at least the declared size,
   * addressed from its index 0 in little-endian order. The host reads and writes it between runs.
   */
  public InstanceOptions memory(String name, ByteBuffer buffer) {
    if (buffer == null || !buffer.isDirect()) {
      throw new IllegalArgumentException("memory $" + name + " needs a direct ByteBuffer");
    }
    memories.put(name, buffer);
    return this;
  }

  /** Sets the call-depth limit (at least 1). */
  public InstanceOptions maxCallDepth(int frames) {
    if (frames < 1) {
      throw new IllegalArgumentException("the call-depth limit must be at least 1, not " + frames);
    }
    maxCallDepth = frames;
    return this;
  }

  /** The callback bound to Java import {@code name}, or {@code null}. */
  public JavaCallback binding(String name) {
    return bindings.get(name);
  }

  /** The buffer given for memory {@code name}, or {@code null} for a fresh zeroed one. */
  public ByteBuffer memoryBuffer(String name) {
    return memories.get(name);
  }

  /** The call-depth limit. */
  public int maxCallDepth() {
    return maxCallDepth;
  }

  /** The run control, or {@code null}. */
  public RunControl control() {
    return control;
  }

  /** Polls {@code control} for a deadline and cancellation. */
  public InstanceOptions control(RunControl control) {
    this.control = control;
    return this;
  }
}
