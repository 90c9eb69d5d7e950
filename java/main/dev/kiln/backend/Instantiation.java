package dev.kiln.backend;

import dev.kiln.ir.Instance;

/**
 * What {@link Backend#compileOrInterpret} made of a module: the instance to call and whether it
 * is compiled or, because the OS refused executable memory, the reference interpreter.
 *
 * @param instance the module ready to call: a {@link CompiledModule}, or the
 *     {@link dev.kiln.ir.Interpreter}'s instance of it; close it when done
 * @param interpretedBecause why the interpreter runs it (the OS's refusal, as the runtime reports
 *     it), or null when it is compiled
 */
public record Instantiation(Instance instance, String interpretedBecause) {
  /** {@return whether the instance is compiled machine code} */
  public boolean compiled() {
    return interpretedBecause == null;
  }
}
