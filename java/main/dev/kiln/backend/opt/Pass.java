package dev.kiln.backend.opt;

import dev.kiln.ir.Function;

/**
 * An IR-to-IR pass: rewrites one function of a copied module in place, keeping it valid. It may
 * read or change no other function of the module unless {@link #readsOtherFunctions} says so:
 * the back end runs the passes after the last such pass on one function at a time, on several
 * threads.
 */
public interface Pass {
  /** Its name, as {@code kiln ir --dump=ir-all} and the statistics show it. */
  String name();

  /** Rewrites {@code f}. */
  void run(Function f);

  /**
   * Whether it reads another function of the module than the one it rewrites (a callee's size,
   * guard clause or body): then it runs over every function before the next pass starts.
   */
  default boolean readsOtherFunctions() {
    return false;
  }
}
