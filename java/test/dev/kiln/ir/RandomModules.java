package dev.kiln.ir;

/** The random modules of {@link RandomIrTest}, for tests of other packages. */
public final class RandomModules {
  private RandomModules() {}

  /** {@return the module {@link RandomIrGenerator} makes from {@code seed}} */
  public static Module generate(long seed) {
    return new RandomIrGenerator(seed).generate();
  }
}
