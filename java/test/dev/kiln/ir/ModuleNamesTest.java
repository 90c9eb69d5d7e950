package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The names of a module's memories, imports and functions. */
class ModuleNamesTest {
  @Test
  void areLettersDigitsUnderscoresAndDotsLedByALetterOrUnderscore() {
    for (String name : new String[] {"f", "_", "F9", "_tmp", "kiln.new_array", "a.b.c", "x."}) {
      Module m = new Module();
      assertDoesNotThrow(() -> m.memory(name, 8), name);
    }
  }

  @Test
  void anythingElseIsRefused() {
    for (String name : new String[] {null, "", "9f", ".f", "a-b", "a b", "é", "f$", "ｆ"}) {
      Module m = new Module();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.memory(name, 8), name);
      assertTrue(e.getMessage().startsWith("bad name"), name);
    }
  }
}
