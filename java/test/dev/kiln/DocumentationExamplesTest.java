package dev.kiln;

import static dev.kiln.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.asm.*;
import dev.kiln.runtime.*;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void everyJavaExampleOfTheDocumentsIsASnippetHere() throws IOException {
    String self = Files.readString(SELF);
    Set<String> snippets = new TreeSet<>();
    Matcher snippet = SNIPPET.matcher(self);
    while (snippet.find()) {
      snippets.add(dedent(snippet.group(1)));
    }
    assertEquals(2, snippets.size(), "the snippets of this file");
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
        assertTrue(snippets.contains(example),
            document + " shows a Java example that is no snippet of " + SELF + ":\n" + example);
        shown.add(example);
      }
    }
    assertEquals(snippets, shown, "every snippet is shown in a document");
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
