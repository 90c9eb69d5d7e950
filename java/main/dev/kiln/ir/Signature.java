package dev.kiln.ir;

import java.util.List;
import java.util.Objects;

/**
 * The parameter types and the optional result type of a function, an import or an indirect call.
 *
 * @param params the parameter types, in order
 * @param result the result type, or {@code null} for a function that returns nothing
 */
public record Signature(List<Type> params, Type result) {
  /**
   * Copies {@code params}; none of them may be null.
   *
   * @param params the parameter types, in order
   * @param result the result type, or {@code null} for a function that returns nothing
   */
  public Signature {
    params = List.copyOf(params);
  }

  /**
   * The signature with these parameter types and result type ({@code null}: no result).
   *
   * @param params the parameter types, in order
   * @param result the result type, or {@code null} for a function that returns nothing
   * @return the signature
   */
  public static Signature of(List<Type> params, Type result) {
    return new Signature(params, result);
  }

  /** {@return whether the function returns a value} */
  public boolean hasResult() {
    return result != null;
  }

  /** {@code (i64, f64) -> i64}, or {@code (i64)} without a result, as the text form writes it. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < params.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(params.get(i));
    }
    s.append(')');
    return result == null ? s.toString() : s.append(" -> ").append(result).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature s && s.params.equals(params) && Objects.equals(s.result, result);
  }

  @Override
  public int hashCode() {
    return params.hashCode() * 31 + Objects.hashCode(result);
  }
}
