package dev.kiln.lang.ast;

import java.util.List;

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

  public FnDecl(String name, int pos, List<Param> params, Type result, Stmt.Block body) {
    this.name = name;
    this.pos = pos;
    this.params = List.copyOf(params);
    this.result = result;
    this.body = body;
  }
}
