package dev.kiln.lang;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.ast.FnDecl;
import dev.kiln.source.Source;
import java.util.List;

/**
 * The Kiln front end: source text to a checked {@link Program}. Syntax errors are reported all
 * together first; the semantic check runs only on a program that parsed, so a broken declaration
 * never causes a cascade of "undefined variable" errors (as Go's compiler does).
 */
public final class FrontEnd {
  /**
   * The parser, checker and code generator recurse over the syntax tree; they run on a thread
   * with this much stack (reserved, not committed), which any program within the parser's nesting
   * limit fits, whatever the caller's thread is.
   */
  private static final long STACK_BYTES = 1L << 30;

  private FrontEnd() {}

  /** Compiles {@code source}, or throws all of its compile errors. */
  public static Program compile(Source source) throws CompileErrors {
    Object[] result = new Object[1];
    Thread worker =
        new Thread(null, () -> result[0] = compileHere(source), "kiln-compile", STACK_BYTES);
    worker.start();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling", e);
    }
    if (result[0] instanceof CompileErrors) {
      throw (CompileErrors) result[0];
    }
    if (result[0] instanceof RuntimeException) {
      throw (RuntimeException) result[0];
    }
    return (Program) result[0];
  }

  /** The program, or the {@link CompileErrors} (or unexpected exception) compiling it raised. */
  private static Object compileHere(Source source) {
    try {
      return pipeline(source);
    } catch (CompileErrors | RuntimeException e) {
      return e;
    } catch (StackOverflowError e) {
      // Only reachable if the stack reservation was refused; still a message, never a crash.
      Reporter reporter = new Reporter(source);
      reporter.error(0, "program nested too deeply to compile");
      try {
        reporter.throwIfAny();
      } catch (CompileErrors errors) {
        return errors;
      }
      throw new AssertionError(e);
    }
  }

  private static Program pipeline(Source source) throws CompileErrors {
    Reporter reporter = new Reporter(source);
    List<FnDecl> functions = new Parser(new Lexer(source, reporter).tokens(), reporter).program();
    reporter.throwIfAny();
    int main = new Checker(reporter).check(functions);
    reporter.throwIfAny();
    return new CodeGen(source).generate(functions, main);
  }
}
