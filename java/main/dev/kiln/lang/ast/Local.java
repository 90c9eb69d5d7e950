package dev.kiln.lang.ast;

/** A local variable or parameter, shared by its declaration and every use after resolution. */
public final class Local {
  public final String name;
  public final Type type;
  /** Set by the checker when any assignment targets this local. */
  public boolean assigned;
  /** The frame slot, set by the code generator. */
  public int slot = -1;

  public Local(String name, Type type) {
    this.name = name;
    this.type = type;
  }
}
