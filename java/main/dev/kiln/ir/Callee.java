package dev.kiln.ir;

/**
 * What {@code call @name(...)} can name: a function defined in the module, an imported Java
 * function, or a declared C function. All three share the module's one namespace of {@code @} names.
 */
public sealed interface Callee permits Function, JavaFunction, CFunction {
  /** {@return its name, without the {@code @} of the text form} */
  String name();

  /** {@return its parameter and result types} */
  Signature signature();
}
