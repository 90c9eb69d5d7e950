package dev.kiln.lang;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.ast.FnDecl;
import java.util.List;

/**
 * The Kiln front end: source text to a checked {@link Program}. Syntax errors are reported all
 * together first; the semantic check runs only on a program that parsed, so a broken declaration
 * never causes a cascade of "undefined variable" errors (as Go's compiler does).
 */
public final class FrontEnd {
  private FrontEnd() {}

  public static Program compile(Source source) throws CompileErrors {
    Reporter reporter = new Reporter(source);
    List<FnDecl> functions = new Parser(new Lexer(source, reporter).tokens(), reporter).program();
    reporter.throwIfAny();
    int main = new Checker(reporter).check(functions);
    reporter.throwIfAny();
    return new CodeGen(source).generate(functions, main);
  }
}
