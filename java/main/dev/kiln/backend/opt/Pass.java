package dev.kiln.backend.opt;

import dev.kiln.ir.Function;

/** An IR-to-IR pass: rewrites one function of a copied module in place, keeping it valid. */
public interface Pass {
  /** Its name, as {@code kiln ir --dump=ir-all} and the statistics show it. */
  String name();

  /** Rewrites {@code f}. */
  void run(Function f);
}
