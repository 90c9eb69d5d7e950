package dev.kiln.lang;

/** The kinds of Kiln tokens; {@link #text} is how an error message names them. */
public enum TokenKind {
  INT_LIT("integer literal"),
  FLOAT_LIT("float literal"),
  STRING_LIT("string literal"),
  IDENT("identifier"),
  FN("'fn'"),
  LET("'let'"),
  IF("'if'"),
  ELSE("'else'"),
  WHILE("'while'"),
  FOR("'for'"),
  IN("'in'"),
  BREAK("'break'"),
  CONTINUE("'continue'"),
  RETURN("'return'"),
  TRUE("'true'"),
  FALSE("'false'"),
  NEW("'new'"),
  INT("'int'"),
  FLOAT("'float'"),
  BOOL("'bool'"),
  LPAREN("'('"),
  RPAREN("')'"),
  LBRACE("'{'"),
  RBRACE("'}'"),
  LBRACKET("'['"),
  RBRACKET("']'"),
  COMMA("','"),
  SEMI("';'"),
  COLON("':'"),
  ARROW("'->'"),
  DOTDOT("'..'"),
  PLUS("'+'"),
  MINUS("'-'"),
  STAR("'*'"),
  SLASH("'/'"),
  PERCENT("'%'"),
  AMP("'&'"),
  PIPE("'|'"),
  CARET("'^'"),
  TILDE("'~'"),
  BANG("'!'"),
  SHL("'<<'"),
  SHR("'>>'"),
  USHR("'>>>'"),
  ASSIGN("'='"),
  EQ("'=='"),
  NE("'!='"),
  LT("'<'"),
  LE("'<='"),
  GT("'>'"),
  GE("'>='"),
  AND_AND("'&&'"),
  OR_OR("'||'"),
  PLUS_ASSIGN("'+='"),
  MINUS_ASSIGN("'-='"),
  STAR_ASSIGN("'*='"),
  SLASH_ASSIGN("'/='"),
  PERCENT_ASSIGN("'%='"),
  AMP_ASSIGN("'&='"),
  PIPE_ASSIGN("'|='"),
  CARET_ASSIGN("'^='"),
  SHL_ASSIGN("'<<='"),
  SHR_ASSIGN("'>>='"),
  USHR_ASSIGN("'>>>='"),
  EOF("end of file");

  private final String text;

  TokenKind(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** For a compound assignment such as {@code +=}, the binary operator it applies, else null. */
  public TokenKind compoundOperator() {
    switch (this) {
      case PLUS_ASSIGN: return PLUS;
      case MINUS_ASSIGN: return MINUS;
      case STAR_ASSIGN: return STAR;
      case SLASH_ASSIGN: return SLASH;
      case PERCENT_ASSIGN: return PERCENT;
      case AMP_ASSIGN: return AMP;
      case PIPE_ASSIGN: return PIPE;
      case CARET_ASSIGN: return CARET;
      case SHL_ASSIGN: return SHL;
      case SHR_ASSIGN: return SHR;
      case USHR_ASSIGN: return USHR;
      default: return null;
    }
  }
}
