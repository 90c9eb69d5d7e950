package dev.kiln.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.IrParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A production compile, which does not verify each pass, proves the {@code inbounds} marks again
 * after the passes (docs/backend.md); the marks correct passes make all survive it, so the code is
 * the code of a compile verified after every pass.
 */
class InBoundsRecheckTest {
  @Test
  void theMarksOfCorrectPassesSurviveTheRecheck() throws IOException {
    String text = Files.readString(Path.of("java/test-resources/ir/inbounds.ir"));
    String verified = Backend.listing(IrParser.parse(text),
        new CompileOptions().verifyPasses(true));
    String rechecked = Backend.listing(IrParser.parse(text),
        new CompileOptions().verifyPasses(false));
    assertTrue(rechecked.contains("] inbounds"), rechecked);
    assertEquals(verified, rechecked);
  }
}
