package dev.kiln.ir;

/**
 * What a load reads or a store writes: its width in bytes and, for loads of fewer than 8 bytes,
 * whether the value is sign- ({@code I8, I16, I32}) or zero-extended ({@code U8, U16, U32}) to
 * i64. Stores truncate, so they take only the signed names and {@code I64}/{@code F64}.
 */
public enum MemType {
  /** One byte, sign-extended. */
  I8(1, Type.I64),
  /** One byte, zero-extended (loads only). */
  U8(1, Type.I64),
  /** Two bytes, sign-extended. */
  I16(2, Type.I64),
  /** Two bytes, zero-extended (loads only). */
  U16(2, Type.I64),
  /** Four bytes, sign-extended. */
  I32(4, Type.I64),
  /** Four bytes, zero-extended (loads only). */
  U32(4, Type.I64),
  /** Eight bytes, an i64. */
  I64(8, Type.I64),
  /** Eight bytes, an f64. */
  F64(8, Type.F64);

  private final int width;
  private final Type type;

  MemType(int width, Type type) {
    this.width = width;
    this.type = type;
  }

  /** {@return the number of bytes accessed} */
  public int width() {
    return width;
  }

  /** {@return the type of the value loaded or stored} */
  public Type type() {
    return type;
  }

  /** {@return whether a store can have this type} Unsigned names exist only for loads. */
  public boolean storable() {
    return this != U8 && this != U16 && this != U32;
  }

  /**
   * The bits a load of this type reads where memory holds the low {@link #width()} bytes of
   * {@code bits}: those bytes zero- or sign-extended as the type says ({@code bits} unchanged for
   * the 8-byte types).
   *
   * @param bits the bits whose low bytes memory holds
   * @return the loaded bits
   */
  public long extend(long bits) {
    return switch (this) {
      case I8 -> (byte) bits;
      case U8 -> bits & 0xff;
      case I16 -> (short) bits;
      case U16 -> bits & 0xffff;
      case I32 -> (int) bits;
      case U32 -> bits & 0xffffffffL;
      case I64, F64 -> bits;
    };
  }

  /** The suffix in the text form, {@code u8}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
