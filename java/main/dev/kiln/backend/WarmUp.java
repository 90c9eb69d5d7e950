package dev.kiln.backend;

import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IrParser;

/**
 * A compile of a small built-in module on a daemon thread, so that a front end's first compile
 * finds the back end's classes initialized, its call sites linked, its hot methods compiled by
 * the JVM and the native runtime loaded: see {@link Backend#warmUp()}.
 */
final class WarmUp {
  /**
   * The shapes most programs compile to: a loop with block parameters, integer and float
   * arithmetic, a call, memory loads and stores behind a bounds check, a call of a Java import.
   */
  static final String MODULE = """
      memory $cells 64
      import @sink(i64)

      function @step(i64, f64) -> i64 {
      block0(v0: i64, v1: f64):
          v2 = iconst 2
          v3 = srem v0, v2
          brif v3, block1, block2
      block1:
          v4 = iconst 3
          v5 = imul v0, v4
          v6 = iconst 1
          v7 = iadd v5, v6
          return v7
      block2:
          v8 = fconst 0.5
          v9 = fmul v1, v8
          v10 = fcvt_to_sint_sat v9
          v11 = sdiv v0, v2
          v12 = iadd v10, v11
          return v12
      }

      function @main(i64) {
      block0(v0: i64):
          v1 = iconst 0
          v2 = fconst 1.5
          v3 = iconst 7
          store.i64 v3, $cells [v1]
          jump block1(v1, v0)
      block1(v4: i64, v5: i64):
          v6 = load.i64 $cells [v1]
          bounds_check v4, v6
          v7 = load.i64 $cells [v1 + v4*8 + 8]
          v8 = call @step(v5, v2)
          v9 = iadd v7, v8
          store.i64 v9, $cells [v1 + v4*8 + 8]
          v10 = iconst 1
          v11 = iadd v4, v10
          v12 = icmp slt v11, v3
          brif v12, block1(v11, v9), block2
      block2:
          call @sink(v5)
          return
      }
      """;

  /** The warm-up thread, once started; null before. */
  private static Thread thread;

  private WarmUp() {}

  /**
   * Starts the warm-up thread unless it has started before or no other processor can run it.
   *
   * @return the thread, or null on a single processor
   */
  static synchronized Thread start() {
    if (thread == null && CompilerThreads.HELPERS > 0) {
      thread = new Thread(WarmUp::compile, "kiln-warm-up");
      thread.setDaemon(true);
      thread.start();
    }
    return thread;
  }

  /**
   * Compiles and installs the module, then frees it; it never runs. Any failure is left for the
   * caller's own compile to meet and report.
   */
  private static void compile() {
    InstanceOptions instance = new InstanceOptions().bind("sink", args -> 0);
    try {
      Backend.compileHandedOver(IrParser.parse(MODULE), new CompileOptions(), instance).close();
    } catch (RuntimeException | LinkageError e) {
      // the same failure (no native runtime, no executable memory) reaches the real compile
    }
  }
}
