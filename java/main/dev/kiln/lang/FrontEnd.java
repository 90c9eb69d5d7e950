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
    return compile(source, new Pipeline());
  }

  /** What compiles a source on the worker thread: {@link Pipeline}, or a test's stand-in. */
  @FunctionalInterface
  interface Stages {
    Program compile(Source source) throws CompileErrors;
  }

  /**
   * Compiles {@code source} with {@code stages} on a thread of {@link #STACK_BYTES}.
   *
   * @throws CompilerFailure if the stages failed otherwise than with compile errors: whatever
   *     they threw, an OutOfMemoryError included, never escapes the worker thread
   */
  static Program compile(Source source, Stages stages) throws CompileErrors {
    Worker worker = new Worker(source, stages);
    worker.start();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompilerFailure("interrupted while compiling");
    }
    if (worker.result instanceof CompileErrors) {
      throw (CompileErrors) worker.result;
    }
    if (worker.result instanceof CompilerFailure) {
      throw (CompilerFailure) worker.result;
    }
    return (Program) worker.result;
  }

  /**
   * The thread of {@link #STACK_BYTES} that runs the stages. It and {@link Pipeline} are classes,
   * not lambdas: a run of {@code kiln run} links no lambda, whose first one would cost the JVM's
   * lambda machinery's start-up.
   */
  private static final class Worker extends Thread {
    private final Source source;
    private final Stages stages;
    /** What {@link #compileHere} gave; read after {@link #join}. */
    private Object result;

    Worker(Source source, Stages stages) {
      super(null, null, "kiln-compile", STACK_BYTES);
      this.source = source;
      this.stages = stages;
    }

    @Override
    public void run() {
      result = compileHere(source, stages);
    }
  }

  /** The program, its {@link CompileErrors}, or the {@link CompilerFailure} compiling it met. */
  private static Object compileHere(Source source, Stages stages) {
    try {
      return stages.compile(source);
    } catch (CompileErrors e) {
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
    } catch (OutOfMemoryError e) {
      return new CompilerFailure("out of memory while compiling");
    } catch (RuntimeException | Error e) {
      return new CompilerFailure("internal error while compiling: " + e + " (please report it)");
    }
  }

  /** The front end's stages: lexer, parser, checker and code generator. */
  private static final class Pipeline implements Stages {
    @Override
    public Program compile(Source source) throws CompileErrors {
      Reporter reporter = new Reporter(source);
      try {
        List<FnDecl> functions =
            new Parser(new Lexer(source, reporter).tokens(), reporter).program();
        reporter.throwIfAny();
        int main = new Checker(reporter).check(functions);
        reporter.throwIfAny();
        return new CodeGen(source).generate(functions, main);
      } catch (Reporter.TooMany e) {
        reporter.throwIfAny();
        throw new AssertionError("the error limit was reached without errors", e);
      }
    }
  }
}
