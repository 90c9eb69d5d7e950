package dev.kiln.backend;

import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Interpreter;
import dev.kiln.ir.Module;
import dev.kiln.runtime.ExecutableMemoryDeniedException;
import java.util.LinkedHashMap;
import java.util.function.BiConsumer;

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
   * @param options the convention and IR passes to compile with (the listing is implied)
   * @return the listing
   * @throws dev.kiln.ir.IrVerificationException if the module is malformed
   */
  public static String listing(Module module, CompileOptions options) {
    module.verify();
    CompileOptions withListing = new CompileOptions().convention(options.convention())
        .optimize(options.optimize()).parallel(options.parallel())
        .verifyPasses(options.verifyPasses()).listing(true);
    return Pipeline.run(module, withListing).emitted().listing().toString();
  }

  /**
   * The module as the IR-to-IR passes leave it: a verified copy of {@code module} after all of
   * them, each pass handing the copy with its name to {@code afterEachPass} (unless null).
   * {@code module} itself is not changed.
   *
   * @param module the module, not changed
   * @param options the passes to run ({@link CompileOptions#optimize}, {@link
   *     CompileOptions#verifyPasses})
   * @param afterEachPass called with each pass's name and the copy it left, or null
   * @return the optimized copy
   * @throws dev.kiln.ir.IrVerificationException if the module is malformed
   */
  public static Module optimize(Module module, CompileOptions options,
      BiConsumer<String, Module> afterEachPass) {
    module.verify();
    return Pipeline.optimize(module, options, new LinkedHashMap<>(), afterEachPass);
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
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static CompiledModule compile(Module module, CompileOptions options,
      InstanceOptions instance) {
    module.verify();
    return CompiledModule.create(module, false, options, instance);
  }

  /**
   * {@link #compile(Module, CompileOptions, InstanceOptions)} of a module its caller hands over,
   * as a front end does the module it has just lowered: the IR passes edit {@code module} itself
   * instead of a copy, so the caller must not use it afterwards but through the compiled module
   * (the functions keep their names, signatures, levels and order; the imports and memories
   * stay).
   *
   * @param module the module, handed over
   * @param options how to compile it
   * @param instance its Java and C bindings, memory buffers, call-depth limit and run control
   * @return the compiled module, ready to call; close it to free its code and memories
   * @throws dev.kiln.ir.IrVerificationException if the module is malformed
   * @throws IllegalArgumentException if a Java import is not bound or a memory buffer is too small
   * @throws dev.kiln.runtime.ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public static CompiledModule compileHandedOver(Module module, CompileOptions options,
      InstanceOptions instance) {
    module.verify();
    return CompiledModule.create(module, true, options, instance);
  }

  /**
   * Compiles {@code module} as {@link #compile(Module, CompileOptions, InstanceOptions)} does or,
   * when the OS refuses executable memory (and only then), instantiates the reference
   * {@link Interpreter} over it with the same options: the same results, traps and side effects,
   * only slower. Every other failure propagates.
   *
   * @param module the module
   * @param options how to compile it
   * @param instance its Java bindings, memory buffers, call-depth limit and run control
   * @return the instance and which of the two it is
   * @throws dev.kiln.ir.IrVerificationException if the module is malformed
   * @throws IllegalArgumentException if a Java import is not bound or a memory buffer is too small
   */
  public static Instantiation compileOrInterpret(Module module, CompileOptions options,
      InstanceOptions instance) {
    try {
      return new Instantiation(compile(module, options, instance), null);
    } catch (ExecutableMemoryDeniedException e) {
      return new Instantiation(Interpreter.instantiate(module, instance), e.getMessage());
    }
  }
}
