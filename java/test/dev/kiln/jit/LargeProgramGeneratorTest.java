package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.bytecode.Program;
import dev.kiln.cli.KilnCli;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile-speed benchmark's program ({@code bench/compile-speed}) is valid and deterministic. */
class LargeProgramGeneratorTest {
  @TempDir Path dir;

  @Test
  void tenThousandLinesAreNineHundredNinetyNineFunctionsAndMain() throws CompileErrors {
    String text = LargeProgramGenerator.generate(10_000);
    assertEquals(10_000, text.lines().count());
    assertEquals(text, LargeProgramGenerator.generate(10_000));
    Program program = FrontEnd.compile(new Source("generated.kiln", text));
    assertEquals(1000, program.functions().size());
    assertEquals("main", program.function(program.mainIndex()).name());
  }

  @Test
  void runsAlikeInTheInterpreterAndTheJit() throws IOException {
    Path file = dir.resolve("generated.kiln");
    Files.writeString(file, LargeProgramGenerator.generate(400));
    KilnCli interpreted = KilnCli.run("run", file.toString(), "--mode=interp");
    assertEquals(0, interpreted.exit(), interpreted.stderr());
    assertTrue(interpreted.stdout().matches("-?[0-9]+\\n-?[0-9]+ -?[0-9]+\\n"), interpreted.stdout());
    assertEquals(interpreted, KilnCli.run("run", file.toString(), "--mode=jit"));
    assertEquals(interpreted, KilnCli.run("run", file.toString(), "--mode=jit", "--convention=windows-x64"));
  }

  @Test
  void rejectsLineCountsItCannotMeet() {
    assertThrows(IllegalArgumentException.class, () -> LargeProgramGenerator.generate(15));
    assertThrows(IllegalArgumentException.class, () -> LargeProgramGenerator.generate(105));
  }
}
