package dev.kiln.backend;

import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Module;

/**
 * The entry point of the x86-64 back end: compiles a module of Kiln IR to machine code, installs
 * it and returns it ready to call, with the same results, traps and side effects as the
 * reference {@link dev.kiln.ir.Interpreter}.
 *
 * <pre>{@code
 * try (CompiledModule m = Backend.compile(module, new CompileOptions())) {
 *   long r = (Long) m.call("fib", 30L);
 * }
 * }</pre>
 */
public final class Backend {
  private Backend() {}

  /**
   * The machine code {@code module} compiles to, as a listing with the IR of each instruction as
   * comments, without installing it.
   *
   * @param module the module
   * @param options the convention to compile for (the listing option is implied)
   * @return the listing
   * @throws dev.kiln.ir.IrVerificationException if the module is malformed
   * @throws UnsupportedOperationException if the module calls a C function (not yet compiled)
   */
  public static String listing(Module module, CompileOptions options) {
    module.verify();
    return Pipeline.run(module, new CompileOptions().convention(options.convention())
        .listing(true)).emitted().listing().toString();
  }

  /**
   * {@link #compile(Module, CompileOptions, InstanceOptions)} with default instance options.
   *
   * @param module the module
   * @param options how to compile it
   * @return the compiled module, ready to call
   */
  public static CompiledModule compile(Module module, CompileOptions options) {
    return compile(module, options, new InstanceOptions());
  }

  /**
   * Verifies, compiles and installs {@code module}, bound as {@code instance} says.
   *
   * @param module the module
   * @param options how to compile it
   * @param instance its Java and C bindings, memory buffers, call-depth limit and run control
   * @return the compiled module, ready to call; close it to free its code and memories
   * @throws dev.kiln.ir.IrVerificationException if the module is malformed
   * @throws IllegalArgumentException if a Java import is not bound or a memory buffer is too small
   * @throws UnsupportedOperationException if the module calls a C function (not yet compiled)
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static CompiledModule compile(Module module, CompileOptions options,
      InstanceOptions instance) {
    module.verify();
    return CompiledModule.create(module, options, instance);
  }
}
