package dev.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form a pipeline and imports only run down it: the command line on top, the front
 * ends (Kiln's language, bytecode, interpreter and JIT, Brainfuck), Kiln's run-time support, the
 * IR and its back end, the assembler, and the runtime (the shim's API) at the bottom. So only the
 * back end (and {@code kiln asm}) emits machine code, and the IR, the back end, the assembler and
 * the runtime know nothing of Kiln or Brainfuck.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("java/main/dev/kiln");

  /** For each package, the other Kiln packages its main sources may import; nothing else. */
  private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
      // kiln asm is the one command that assembles: see ASSEMBLES.
      Map.entry("cli", Set.of("lang", "bf", "source", "bytecode", "interp", "jit", "vm",
          "runtime", "ir", "backend")),
      Map.entry("lang", Set.of("lang.ast", "source", "bytecode")),
      Map.entry("lang.ast", Set.of("lang")),
      // A front end builds Kiln IR and hands it to the back end; it never emits machine code.
      Map.entry("bf", Set.of("source", "ir", "backend")),
      Map.entry("source", Set.of()),
      Map.entry("bytecode", Set.of()),
      Map.entry("interp", Set.of("bytecode", "vm")),
      // Kiln's JIT: bytecode to IR plus run-time glue, no machine code; the interpreter starts a
      // program and hands it over (the runtime's refusal of executable memory keeps it
      // interpreting).
      Map.entry("jit", Set.of("bytecode", "vm", "interp", "ir", "backend", "runtime")),
      Map.entry("vm", Set.of("runtime")),
      Map.entry("asm", Set.of()),
      Map.entry("asm.text", Set.of("asm")),
      Map.entry("runtime", Set.of()),
      // The IR knows no front end and no machine code: languages and back ends build on it.
      Map.entry("ir", Set.of()),
      // The back end compiles the IR: it knows no front end.
      Map.entry("backend", Set.of("ir", "asm", "runtime", "backend.opt", "backend.lower",
          "backend.regalloc", "backend.emit")),
      Map.entry("backend.opt", Set.of("ir")),
      Map.entry("backend.lower", Set.of("ir")),
      Map.entry("backend.regalloc", Set.of("ir", "runtime", "backend.lower")),
      Map.entry("backend.emit", Set.of("ir", "asm", "runtime", "backend.lower",
          "backend.regalloc")));

  /** Main sources outside the back end that may import the assembler: {@code kiln asm}'s. */
  private static final Set<String> ASSEMBLES = Set.of("cli/AsmCommand.java");

  /** The front ends' packages: none of them emits machine code. */
  private static final Set<String> FRONT_ENDS = Set.of("lang", "lang.ast", "source", "bytecode",
      "interp", "jit", "vm", "bf");

  /** The packages below the front ends: none of them knows a front end. */
  private static final Set<String> BELOW_FRONT_ENDS = Set.of("ir", "backend", "backend.opt",
      "backend.lower", "backend.regalloc", "backend.emit", "asm", "asm.text", "runtime");

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.kiln\\.((?:[a-z]+\\.)*[a-z]+)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void importsRunDownThePipeline() throws IOException {
    List<String> violations = new ArrayList<>();
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.')
            .replace('\\', '.');
        packages.add(pkg);
        Set<String> allowed = MAY_IMPORT.getOrDefault(pkg, Set.of());
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          boolean assembler = imported.equals("asm") || imported.startsWith("asm.");
          if (!imported.equals(pkg) && !allowed.contains(imported)
              && !(assembler && ASSEMBLES.contains(SOURCES.relativize(file).toString()
                  .replace('\\', '/')))) {
            violations.add(SOURCES.relativize(file) + " imports dev.kiln." + imported);
          }
        }
      }
    }
    assertEquals(new TreeSet<>(MAY_IMPORT.keySet()), packages,
        "every package has its place in the pipeline");
    assertTrue(violations.isEmpty(), "imports against the pipeline:\n" + String.join("\n", violations));
  }

  /** Only the back end, and kiln asm, import the assembler; no front end emits machine code. */
  @Test
  void onlyTheBackEndAndKilnAsmImportTheAssembler() {
    for (Map.Entry<String, Set<String>> e : MAY_IMPORT.entrySet()) {
      boolean assembler = e.getValue().stream().anyMatch(i -> i.equals("asm") || i.startsWith("asm."));
      boolean allowed = e.getKey().equals("backend") || e.getKey().startsWith("backend.")
          || e.getKey().startsWith("asm");
      assertTrue(!assembler || allowed, e.getKey() + " may import the assembler");
    }
    for (String front : FRONT_ENDS) {
      assertTrue(MAY_IMPORT.get(front).stream().noneMatch(i -> i.startsWith("asm")), front);
    }
  }

  /** The IR, the back end, the assembler and the runtime import no front end. */
  @Test
  void theLayersBelowTheFrontEndsKnowNone() {
    for (String lower : BELOW_FRONT_ENDS) {
      Set<String> imports = new TreeSet<>(MAY_IMPORT.get(lower));
      imports.retainAll(FRONT_ENDS);
      assertEquals(Set.of(), imports, lower + " imports front ends");
    }
  }
}
