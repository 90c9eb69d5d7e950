package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit of IR compiled and run together: memories, imported Java functions, declared C functions
 * and the functions defined in IR. Functions call each other directly by name; a module is run by
 * {@link Interpreter#instantiate} and by the back end ({@code dev.kiln.backend.Backend#compile}).
 *
 * <pre>{@code
 * Module m = new Module();
 * FunctionBuilder b = m.define("double", Signature.of(List.of(Type.I64), Type.I64));
 * b.ret(b.iadd(b.param(0), b.param(0)));
 * b.finish();
 * m.verify();
 * }</pre>
 */
public final class Module {
  private final List<Memory> memories = new ArrayList<>();
  private final Map<String, Memory> memoryByName = new HashMap<>();
  private final List<Callee> imports = new ArrayList<>();
  private final ArrayList<Function> functions = new ArrayList<>();
  private final List<Function> functionsView = new ListView<>(functions);
  private final Map<String, Callee> calleeByName = new HashMap<>();

  /** An empty module. */
  public Module() {}

  /**
   * Declares a memory of {@code size} bytes, zeroed unless bound at instantiation.
   *
   * @param name the memory's name: letters, digits, '_' and '.', not starting with a digit
   * @param size its size in bytes
   * @return the new memory
   * @throws IllegalArgumentException for a bad or duplicate name, or a size outside 0 to
   *     {@link Memory#MAX_SIZE}
   */
  public Memory memory(String name, long size) {
    checkName(name);
    if (memoryByName.containsKey(name)) {
      throw new IllegalArgumentException("memory $" + name + " is already declared");
    }
    if (size < 0 || size > Memory.MAX_SIZE) {
      throw new IllegalArgumentException(
          "memory $" + name + ": size " + size + " is not between 0 and " + Memory.MAX_SIZE);
    }
    Memory memory = new Memory(name, size, memories.size());
    memories.add(memory);
    memoryByName.put(name, memory);
    return memory;
  }

  /**
   * Imports a Java function whose code is {@code callback}.
   *
   * @param name the import's name, unique among the module's functions and imports
   * @param signature its signature
   * @param callback the Java code run when it is called
   * @return the new import
   */
  public JavaFunction importJava(String name, Signature signature, JavaCallback callback) {
    if (callback == null) {
      throw new IllegalArgumentException("import @" + name + ": the callback is null");
    }
    return addImport(new JavaFunction(name, signature, callback));
  }

  /**
   * Imports a Java function bound by name at instantiation ({@link InstanceOptions#bind}).
   *
   * @param name the import's name, unique among the module's functions and imports
   * @param signature its signature
   * @return the new import
   */
  public JavaFunction importJava(String name, Signature signature) {
    return addImport(new JavaFunction(name, signature, null));
  }

  /**
   * Declares a C function, to be called in the host ABI by the compiled back end.
   *
   * @param name the C function's name in the module, unique among its functions and imports
   * @param signature its signature
   * @return the new C function
   */
  public CFunction declareC(String name, Signature signature) {
    return addImport(new CFunction(name, signature));
  }

  /**
   * Starts defining a function; its builder stands in its entry block, whose parameters are the
   * signature's.
   *
   * @param name the function's name, unique among the module's functions and imports
   * @param signature its signature
   * @return the builder of the new function
   */
  public FunctionBuilder define(String name, Signature signature) {
    return new FunctionBuilder(newFunction(name, signature));
  }

  Function newFunction(String name, Signature signature) {
    claim(name, signature);
    Function function = new Function(this, name, signature, functions.size());
    functions.add(function);
    calleeByName.put(name, function);
    return function;
  }

  private <C extends Callee> C addImport(C callee) {
    claim(callee.name(), callee.signature());
    imports.add(callee);
    calleeByName.put(callee.name(), callee);
    return callee;
  }

  private void claim(String name, Signature signature) {
    checkName(name);
    if (signature == null) {
      throw new IllegalArgumentException("@" + name + ": the signature is null");
    }
    if (calleeByName.containsKey(name)) {
      throw new IllegalArgumentException("@" + name + " is already defined in this module");
    }
  }

  private static void checkName(String name) {
    if (!isName(name)) {
      throw new IllegalArgumentException(
          "bad name '" + name + "': use letters, digits, '_' and '.', not starting with a digit");
    }
  }

  /** Whether {@code name} is ASCII letters, digits, '_' and '.', led by a letter or '_'. */
  private static boolean isName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      boolean later = (c >= '0' && c <= '9') || c == '.';
      if (!letter && (i == 0 || !later)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Its memories, in declaration order.
   *
   * @return the memories, unmodifiable
   */
  public List<Memory> memories() {
    return Collections.unmodifiableList(memories);
  }

  /**
   * The memory named {@code name}, or {@code null}.
   *
   * @param name the memory's name
   * @return the memory, or {@code null} if there is none of that name
   */
  public Memory findMemory(String name) {
    return memoryByName.get(name);
  }

  /**
   * Its imported Java and declared C functions, in declaration order.
   *
   * @return the imports, unmodifiable
   */
  public List<Callee> imports() {
    return Collections.unmodifiableList(imports);
  }

  /**
   * Its functions defined in IR, in definition order ({@link Function#index()}).
   *
   * @return the functions, unmodifiable
   */
  public List<Function> functions() {
    return functionsView;
  }

  /**
   * The function, import or C function named {@code name}, or {@code null}.
   *
   * @param name the name looked up
   * @return the callee, or {@code null} if there is none of that name
   */
  public Callee findCallee(String name) {
    return calleeByName.get(name);
  }

  /**
   * A copy for IR-to-IR passes to edit: the same memories and imports, every function copied
   * with the same names, values and blocks, its calls retargeted to the copy's functions. The
   * original is left as it is, so that it can still be interpreted or inspected.
   *
   * @return the copy
   */
  public Module copy() {
    Module m = new Module();
    m.memories.addAll(memories);
    m.memoryByName.putAll(memoryByName);
    for (Callee c : imports) {
      m.imports.add(c);
      m.calleeByName.put(c.name(), c);
    }
    for (Function f : functions) {
      Function c = new Function(m, f.name(), f.signature(), f.index());
      m.functions.add(c);
      m.calleeByName.put(c.name(), c);
    }
    for (Function f : functions) {
      f.copyInto(m.functions.get(f.index()));
    }
    return m;
  }

  /**
   * Checks every function.
   *
   * @throws IrVerificationException listing every problem found
   */
  public void verify() {
    List<IrVerificationException.Problem> problems = Verifier.check(this);
    if (!problems.isEmpty()) {
      throw new IrVerificationException(problems);
    }
  }

  /** The module in the canonical text form. */
  @Override
  public String toString() {
    return IrPrinter.print(this);
  }
}
