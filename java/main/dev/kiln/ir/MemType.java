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

  /** The suffix in the text form, {@code u8}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
