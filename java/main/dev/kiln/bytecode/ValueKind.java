package dev.kiln.bytecode;

/** What a slot, parameter or result holds; every kind fits a 64-bit slot. */
public enum ValueKind {
  INT("int"),
  /** A binary64 stored as its raw bits. */
  FLOAT("float"),
  /** 0 or 1. */
  BOOL("bool"),
  /** A heap offset ({@code dev.kiln.vm.Heap}) of an int[] or a float[]. */
  ARRAY("array"),
  /** Only as a result: the function returns nothing. */
  VOID("void");

  private final String text;

  ValueKind(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
