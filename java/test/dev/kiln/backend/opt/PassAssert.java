package dev.kiln.backend.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Function;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.Module;

/** Runs passes over IR text and compares the canonical text of the result. */
final class PassAssert {
  private PassAssert() {}

  /**
   * Asserts that {@code passes}, run in order over every function of module {@code before},
   * leave module {@code after} (both IR text, compared in canonical form), verifying after each.
   */
  static void assertPasses(String before, String after, Pass... passes) {
    Module module = IrParser.parse(before);
    module.verify();
    Module copy = module.copy();
    for (Pass p : passes) {
      for (Function f : copy.functions()) {
        p.run(f);
      }
      copy.verify();
    }
    Module expected = IrParser.parse(after);
    expected.verify();
    assertEquals(expected.toString(), copy.toString());
    assertEquals(IrParser.parse(before).toString(), module.toString(), "the original is kept");
  }
}
