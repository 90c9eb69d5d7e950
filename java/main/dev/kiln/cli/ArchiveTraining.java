package dev.kiln.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launchers' training run for the class-data archive: one JVM that runs what users run, so
 * that the archive holds the classes (and the lambdas' classes) those commands load. It compiles
 * and runs a Kiln program with the JIT, programs of recursion (tail calls, inlining) and floats
 * (float constants, comparisons, SSE instructions, bitcasts), one handed over from the interpreter
 * to compiled code while it runs, and a Brainfuck program; then a program in the interpreter and
 * with {@code --stats}, a compile error and a runtime error. Not the diagnostic commands ({@code
 * --dump}, {@code kiln ir}, {@code kiln asm}): every start-up maps the whole archive, so each class
 * in it costs every run a little. Its output is discarded and its failures ignored: a training run
 * that fails only leaves a smaller archive.
 */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  /**
   * Runs the training commands.
   *
   * @param args the project's {@code examples} directory
   */
  public static void main(String[] args) throws IOException {
    Path examples = Path.of(args.length > 0 ? args[0] : "examples");
    String quicksort = examples.resolve("quicksort.kiln").toString();
    String fib = examples.resolve("fib.kiln").toString();
    String nbody = examples.resolve("nbody.kiln").toString();
    String mandelbrot = examples.resolve("mandelbrot.kiln").toString();
    String hello = examples.resolve("hello.kiln").toString();
    String bf = examples.resolve("bf").resolve("hello.b").toString();
    Path compileError = Files.createTempFile("kiln-training", ".kiln");
    Path runtimeError = Files.createTempFile("kiln-training", ".kiln");
    try {
      Files.writeString(compileError, "fn main() {\n  let x = ;\n}\n");
      Files.writeString(runtimeError, "fn main() {\n  let a = new int[3];\n  print(a[5]);\n}\n");
      PrintStream err = new PrintStream(OutputStream.nullOutputStream());
      for (String[] command : new String[][] {
          {"run", quicksort}, {"run", fib}, {"run", nbody}, {"run", mandelbrot},
          {"run", quicksort, "--compile-after=100"}, {"bf", bf},
          {"run", hello, "--mode=interp"}, {"run", hello, "--stats"},
          {"run", compileError.toString()}, {"run", runtimeError.toString()}}) {
        Main.execute(command, OutputStream.nullOutputStream(), err);
      }
    } finally {
      Files.deleteIfExists(compileError);
      Files.deleteIfExists(runtimeError);
    }
  }
}
