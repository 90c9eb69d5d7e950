package dev.kiln.runtime;

import java.lang.ref.Cleaner;

/** The one cleaner thread of the runtime, releasing native memory of forgotten objects. */
final class Cleaners {
  static final Cleaner CLEANER = Cleaner.create();

  private Cleaners() {}
}
