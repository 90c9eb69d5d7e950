package dev.kiln.ir;

/**
 * A Java function the module imports: its name and signature, and its {@link JavaCallback} when
 * given with the import. An import without one (as in the text form) is bound by name when the
 * module is instantiated ({@link InstanceOptions#bind}).
 */
public final class JavaFunction implements Callee {
  private final String name;
  private final Signature signature;
  private final JavaCallback callback;

  JavaFunction(String name, Signature signature, JavaCallback callback) {
    this.name = name;
    this.signature = signature;
    this.callback = callback;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Signature signature() {
    return signature;
  }

  /** {@return the callback given with the import, or {@code null} if bound at instantiation} */
  public JavaCallback callback() {
    return callback;
  }

  /** {@code @name}. */
  @Override
  public String toString() {
    return "@" + name;
  }
}
