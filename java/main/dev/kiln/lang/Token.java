package dev.kiln.lang;

/**
 * A token: its kind, its source text (for a string literal: the value, escapes processed) and the
 * character offset where it starts.
 */
public record Token(TokenKind kind, String text, int offset) {}
