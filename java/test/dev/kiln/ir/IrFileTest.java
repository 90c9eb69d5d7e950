package dev.kiln.ir;

import dev.kiln.backend.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every IR test file under java/test-resources/ir, in every way a module can run. */
class IrFileTest {
  static final Path DIRECTORY = Path.of("java/test-resources/ir");

  /** The execution modes: the interpreter, and compiled code in each calling convention. */
  static final Map<String, BiFunction<Module, InstanceOptions, Instance>> MODES = Engines.ALL;

  static List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.filter(f -> f.toString().endsWith(".ir")).sorted().toList();
    }
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (Path file : files()) {
      for (String mode : MODES.keySet()) {
        cases.add(Arguments.of(file.getFileName().toString(), mode));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("cases")
  void runsAsAnnotated(String file, String mode) throws IOException {
    IrTestFile.load(DIRECTORY.resolve(file)).check(MODES.get(mode));
  }
}
