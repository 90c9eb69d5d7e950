package dev.kiln.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.source.Source;
import org.junit.jupiter.api.Test;

/**
 * Whatever the compiler itself throws on its worker thread reaches the caller as one {@link
 * CompilerFailure} with a one-line message, never a dead thread and a null program.
 */
class CompilerFailureTest {
  private static final Source SOURCE = new Source("t.kiln", "fn main() { }\n");

  private static CompilerFailure failure(Throwable thrown) {
    return assertThrows(CompilerFailure.class, () -> FrontEnd.compile(SOURCE, source -> {
      if (thrown instanceof Error) {
        throw (Error) thrown;
      }
      throw (RuntimeException) thrown;
    }));
  }

  @Test
  void runningOutOfMemoryIsOneLine() {
    assertEquals("out of memory while compiling", failure(new OutOfMemoryError("Java heap space")).getMessage());
  }

  @Test
  void aBugOfTheCompilerIsAnInternalError() {
    String message = failure(new NullPointerException("a bug")).getMessage();
    assertTrue(message.startsWith("internal error while compiling: java.lang.NullPointerException: a bug"), message);
    assertEquals(-1, message.indexOf('\n'));
  }

  @Test
  void anUnexpectedErrorIsAnInternalErrorToo() {
    String message = failure(new AssertionError("broken invariant")).getMessage();
    assertTrue(message.startsWith("internal error while compiling: java.lang.AssertionError"), message);
  }

  @Test
  void aStackOverflowIsTheNestingError() throws Exception {
    CompileErrors e = assertThrows(CompileErrors.class, () -> FrontEnd.compile(SOURCE, source -> {
      throw new StackOverflowError();
    }));
    assertEquals("program nested too deeply to compile", e.diagnostics().get(0).message());
  }
}
