package dev.kiln.lang.ast;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code fn name(params) -> result body}; {@code result} is VOID without {@code -> R}. */
public final class FnDecl {
  /** A parameter as written: name, type, offset of the name. */
  public record Param(String name, Type type, int pos) {}

  public final String name;
  public final int pos;
  public final List<Param> params;
  public final Type result;
  public final Stmt.Block body;
  /** The parameters as locals, in order; set by the checker. */
  public List<Local> locals = List.of();
  /** The raw bits of every float literal in the body, in order of appearance; set by the checker. */
  public final Set<Long> floatConstants = new LinkedHashSet<>();
  /**
   * Whether the body allocates arrays or receives them from calls (so the heap may have grown
   * during a call of it); set by the checker.
   */
  public boolean makesArrays;

  public FnDecl(String name, int pos, List<Param> params, Type result, Stmt.Block body) {
    this.name = name;
    this.pos = pos;
    this.params = List.copyOf(params);
    this.result = result;
    this.body = body;
  }
}
