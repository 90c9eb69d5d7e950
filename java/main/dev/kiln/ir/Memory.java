package dev.kiln.ir;

/**
 * A named linear memory of a fixed size, declared in a {@link Module}. IR addresses are byte
 * offsets into a memory, and every access is checked against its size, so no IR program can touch
 * anything else.
 */
public final class Memory {
  /** The largest size a memory can have: it must fit one {@link java.nio.ByteBuffer}. */
  public static final long MAX_SIZE = Integer.MAX_VALUE;

  private final String name;
  private final long size;
  private final int index;

  Memory(String name, long size, int index) {
    this.name = name;
    this.size = size;
    this.index = index;
  }

  /** {@return its name, without the {@code $} of the text form} */
  public String name() {
    return name;
  }

  /** {@return its size in bytes} */
  public long size() {
    return size;
  }

  /** {@return its position among the module's memories, in declaration order} */
  public int index() {
    return index;
  }

  /** {@code $name}. */
  @Override
  public String toString() {
    return "$" + name;
  }
}
