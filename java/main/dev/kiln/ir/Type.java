package dev.kiln.ir;

/** The type of an IR value: a 64-bit integer or an IEEE 754 double. */
public enum Type {
  /** A 64-bit two's-complement integer; also booleans (0/1), addresses and function handles. */
  I64("i64"),
  /** An IEEE 754 binary64 floating-point number. */
  F64("f64");

  private final String text;

  Type(String text) {
    this.text = text;
  }

  /** The name in the text form: {@code i64} or {@code f64}. */
  @Override
  public String toString() {
    return text;
  }
}
