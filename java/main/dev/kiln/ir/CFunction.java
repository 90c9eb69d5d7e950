package dev.kiln.ir;

/**
 * A C function the module declares by name and signature, to be called in the host ABI. Binding it
 * to an address or a library symbol belongs to the compiled back end; the {@link Interpreter}
 * cannot call it and says so.
 */
public final class CFunction implements Callee {
  private final String name;
  private final Signature signature;

  CFunction(String name, Signature signature) {
    this.name = name;
    this.signature = signature;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Signature signature() {
    return signature;
  }

  /** {@code @name}. */
  @Override
  public String toString() {
    return "@" + name;
  }
}
