package dev.kiln;

import static dev.kiln.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.asm.*;
import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.CompiledModule;
import dev.kiln.ir.Block;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.Type;
import dev.kiln.ir.Variable;
import dev.kiln.runtime.*;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The Java examples of README.md and docs/ run here, and the documents show them as they are
 * here: each {@code java} block of a document, without its import lines, is one of the snippets
 * marked below, and its imports are this file's. So every Java example a reader copies compiles
 * and does what its comments say.
 */
class DocumentationExamplesTest {
  private static final Path SELF = Path.of("java/test/dev/kiln/DocumentationExamplesTest.java");
  private static final Pattern SNIPPET =
      Pattern.compile("// snippet\\n(.*?)\\n\\s*// end of snippet", Pattern.DOTALL);
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theReadmeQuickStartSumsInSixtyFourBits() {
    // snippet
    // long sum(long n) = 1 + 2 + ... + n, in the host's C calling convention
    Reg n = Reg.of(CallingConvention.host().integerArguments().get(0), 64); // rdi; rcx on Windows
    Assembler a = new Assembler();
    Label loop = a.label("loop"), done = a.label("done");
    a.xor(EAX, EAX);              // rax = 0 (writing eax zero-extends into rax)
    a.test(n, n);
    a.jcc(Cond.LE, done);         // n <= 0: the sum is 0
    a.bind(loop);
    a.add(RAX, n);
    a.dec(n);
    a.jcc(Cond.NE, loop);         // a backward branch: rel8, chosen at finish()
    a.bind(done);
    a.ret();                      // the result is in rax
    long sum;
    try (CodeCache cache = new CodeCache()) {
        InstalledCode code = cache.install(a.finish(), Signature.longs(1));
        sum = code.invoke1(100_000);   // 5000050000: more than 32 bits hold
    }
    // end of snippet
    assertEquals(5_000_050_000L, sum);
  }

  @Test
  void theRuntimeExampleIncrementsAllSixtyFourBits() {
    // snippet
    // lea rax, [rdi+1]; ret  (System V: the first argument is in rdi; on Windows it is rcx)
    byte modRm = CallingConvention.host() == CallingConvention.WINDOWS_X64 ? (byte) 0x41 : 0x47;
    long next;
    try (CodeCache cache = new CodeCache()) {
        InstalledCode inc = cache.install(
            new byte[] {0x48, (byte) 0x8d, modRm, 0x01, (byte) 0xc3}, Signature.longs(1));
        next = inc.invoke1(1L << 32);   // 4294967297: REX.W (0x48) makes lea 64-bit
    }
    // end of snippet
    assertEquals((1L << 32) + 1, next);
  }

  @Test
  void theIrRunningExampleCallsMainBoxedAndRaw() {
    Module module = IrParser.parse(String.join("\n",
        "memory $heap 65536",
        "import @print(i64)",
        "function @main(i64, f64) -> i64 {",
        "block0(v0: i64, v1: f64):",
        "    call @print(v0)",
        "    return v0",
        "}"));
    String printed = printedBy(() -> {
      // snippet
      try (Instance run = Interpreter.instantiate(module, new InstanceOptions()
              .bind("print", args -> { System.out.println(args[0]); return 0; })
              .memory("heap", ByteBuffer.allocateDirect(1 << 16))
              .maxCallDepth(10_000)
              .control(RunControl.withTimeLimit(Duration.ofSeconds(5))))) {
        Object r = run.call("main", 10L, 2.5);   // Long / Double in, Long / Double / null out
        long bits = run.callRaw("main", 10L, Double.doubleToRawLongBits(2.5));  // no boxing
        ByteBuffer heap = run.memory("heap");
      }
      // end of snippet
    });
    assertEquals("10\n10\n", printed);
  }

  @Test
  void theIrBuilderExampleSumsBelowTen() {
    // The IR's Signature: this file's other examples give the simple name to the runtime's.
    class Signature {
      static dev.kiln.ir.Signature of(List<Type> params, Type result) {
        return dev.kiln.ir.Signature.of(params, result);
      }
    }
    long[] result = new long[1];
    String printed = printedBy(() -> {
      // snippet
      Module m = new Module();
      Memory heap = m.memory("heap", 65_536);
      JavaFunction print = m.importJava("print", Signature.of(List.of(Type.I64), null),
          args -> { System.out.println(args[0]); return 0; });

      // fn sum(n) { s = 0; i = 0; while (i < n) { s = s + i; i = i + 1 } print(s); return s }
      FunctionBuilder b = m.define("sum", Signature.of(List.of(Type.I64), Type.I64));
      Variable s = b.declare(Type.I64);
      Variable i = b.declare(Type.I64);
      b.def(s, b.iconst(0));
      b.def(i, b.iconst(0));
      Block header = b.newBlock(), body = b.newBlock(), exit = b.newBlock();
      b.jump(header);
      b.switchTo(header);                       // not sealed yet: the back edge is still to come
      b.brif(b.icmp(IntCond.SLT, b.use(i), b.param(0)), body, exit);
      b.switchTo(body);
      b.seal(body);                             // its only predecessor is known
      b.at(7);                                  // position of what follows
      b.def(s, b.iadd(b.use(s), b.use(i)));
      b.def(i, b.iadd(b.use(i), b.iconst(1)));
      b.jump(header);
      b.seal(header);                           // now every branch to the header exists
      b.switchTo(exit);
      b.seal(exit);
      b.call(print, b.use(s));
      b.ret(b.use(s));
      b.finish();
      m.verify();
      long r = (Long) Interpreter.instantiate(m).call("sum", 10L);   // 45, prints 45
      // end of snippet
      result[0] = r;
    });
    assertEquals(45, result[0]);
    assertEquals("45\n", printed);
  }

  @Test
  void theBackEndExampleCompilesAndRunsMain() {
    String text = String.join("\n",
        "memory $heap 65536",
        "import @print(i64)",
        "function @main() -> i64 {",
        "block0:",
        "    v0 = iconst 42",
        "    call @print(v0)",
        "    return v0",
        "}");
    String printed = printedBy(() -> {
      // snippet
      Module module = IrParser.parse(text);               // or built with FunctionBuilder
      try (CompiledModule m = Backend.compile(module, new CompileOptions(),
              new InstanceOptions().bind("print", args -> { System.out.println(args[0]); return 0; }))) {
        long r = (Long) m.call("main");
        ByteBuffer mem = m.memory("heap");                // the same bytes compiled code uses
      }
      // end of snippet
    });
    assertEquals("42\n", printed);
  }

  /** What {@code example} prints to System.out, which the IR examples' callbacks print to. */
  private static String printedBy(Runnable example) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true));
    try {
      example.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString().replace(System.lineSeparator(), "\n");
  }

  @Test
  void everyJavaExampleOfTheDocumentsIsASnippetHere() throws IOException {
    String self = Files.readString(SELF);
    Set<String> snippets = new TreeSet<>();
    Matcher snippet = SNIPPET.matcher(self);
    while (snippet.find()) {
      snippets.add(dedent(snippet.group(1)));
    }
    assertEquals(5, snippets.size(), "the snippets of this file");
    Set<String> shown = new TreeSet<>();
    for (Path document : documents()) {
      Matcher block = JAVA_BLOCK.matcher(Files.readString(document));
      while (block.find()) {
        List<String> code = new ArrayList<>();
        for (String line : block.group(1).split("\n")) {
          if (line.startsWith("import ")) {
            assertTrue(self.contains("\n" + line + "\n"),
                document + ": " + line + " is not imported here");
          } else if (!line.isBlank() || !code.isEmpty()) {
            code.add(line);
          }
        }
        String example = String.join("\n", code).strip();
        Path quoted = QUOTED_SOURCES.get(document);
        if (quoted != null) {
          assertExcerpt(example, quoted, document);
          continue;
        }
        assertTrue(snippets.contains(example),
            document + " shows a Java example that is no snippet of " + SELF + ":\n" + example);
        shown.add(example);
      }
    }
    assertEquals(snippets, shown, "every snippet is shown in a document");
  }

  /**
   * Documents that walk through a source file the tests compile and run: their Java blocks quote
   * it, with explanatory comments of their own and {@code ...} (or nothing) where lines are left
   * out.
   */
  private static final Map<Path, Path> QUOTED_SOURCES =
      Map.of(Path.of("docs", "tutorial.md"), Path.of("examples", "tutorial", "StackJit.java"));

  /** Each line of code of {@code example} is a line of {@code source}, in the same order. */
  private static void assertExcerpt(String example, Path source, Path document)
      throws IOException {
    List<String> lines = codeLines(Files.readString(source));
    int at = 0;
    for (String line : codeLines(example)) {
      if (line.equals("...")) {
        continue;
      }
      int found = lines.subList(at, lines.size()).indexOf(line);
      assertTrue(found >= 0, document + " quotes a line that " + source
          + " does not have (in that order): " + line);
      at += found + 1;
    }
  }

  /** The lines of {@code text} without comments and blank lines, spaces collapsed. */
  private static List<String> codeLines(String text) {
    List<String> code = new ArrayList<>();
    for (String line : text.split("\n")) {
      String c = line.replaceFirst("\\s*//.*$", "").strip().replaceAll("\\s+", " ");
      if (!c.isEmpty()) {
        code.add(c);
      }
    }
    return code;
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  /** The lines without the indentation of the first one. */
  private static String dedent(String text) {
    String[] lines = text.split("\n");
    int indent = lines[0].length() - lines[0].stripLeading().length();
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    return out.toString().strip();
  }
}
