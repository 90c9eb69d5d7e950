package dev.kiln.lang.ast;

/** The static types of Kiln. {@link #ERROR} marks an already-reported error, to avoid cascades. */
public enum Type {
  INT("int"),
  FLOAT("float"),
  BOOL("bool"),
  INT_ARRAY("int[]"),
  FLOAT_ARRAY("float[]"),
  VOID("nothing"),
  STRING("string"),
  ERROR("<error>");

  private final String text;

  Type(String text) {
    this.text = text;
  }

  public boolean isArray() {
    return this == INT_ARRAY || this == FLOAT_ARRAY;
  }

  /** The element type of an array type. */
  public Type element() {
    return this == INT_ARRAY ? INT : FLOAT;
  }

  @Override
  public String toString() {
    return text;
  }
}
