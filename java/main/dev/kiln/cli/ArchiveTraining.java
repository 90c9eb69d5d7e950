package dev.kiln.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The launchers' training run for the class-data archive: one JVM that compiles and runs a Kiln
 * program with the JIT, programs of recursion (tail calls, inlining) and floats (float constants,
 * comparisons, SSE instructions, bitcasts), one handed over from the interpreter to compiled code
 * while it runs, and a Brainfuck program, so that the archive holds the classes (and the lambdas'
 * classes) every JIT-mode command loads. Its output is discarded and
 * its failures ignored: a training run that fails only leaves a smaller archive.
 */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  /**
   * Runs the training commands.
   *
   * @param args the project's {@code examples} directory
   */
  public static void main(String[] args) {
    Path examples = Path.of(args.length > 0 ? args[0] : "examples");
    String quicksort = examples.resolve("quicksort.kiln").toString();
    String fib = examples.resolve("fib.kiln").toString();
    String nbody = examples.resolve("nbody.kiln").toString();
    String mandelbrot = examples.resolve("mandelbrot.kiln").toString();
    String bf = examples.resolve("bf").resolve("hello.b").toString();
    PrintStream err = new PrintStream(OutputStream.nullOutputStream());
    for (String[] command : new String[][] {
        {"run", quicksort}, {"run", fib}, {"run", nbody}, {"run", mandelbrot},
        {"run", quicksort, "--compile-after=100"}, {"bf", bf}}) {
      Main.execute(command, OutputStream.nullOutputStream(), err);
    }
  }
}
