package dev.kiln.bf;

import java.util.List;

/** Unbalanced brackets: every one of them, each as a formatted {@code FILE:LINE:COL} diagnostic. */
public final class BfSyntaxException extends Exception {
  private final List<String> diagnostics;

  BfSyntaxException(List<String> diagnostics) {
    super(String.join("\n", diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<String> diagnostics() {
    return diagnostics;
  }
}
