package dev.kiln.cli;

import dev.kiln.asm.Listing;
import dev.kiln.asm.text.AsmParser;

/**
 * {@code kiln asm FILE.s}: assembles GNU-as-style Intel syntax and prints, per instruction, its
 * bytes (lowercase hex, space separated), a tab, and the instruction text. Errors go to stderr as
 * {@code FILE:LINE: error: MESSAGE} (all of them), exit 1.
 */
final class AsmCommand implements Command {
  private static final CommandSyntax SYNTAX = CommandSyntax.of("asm",
      "Assemble x86-64 Intel-syntax assembly and print the bytes.",
      "FILE.s", "assembly source (.intel_syntax noprefix)");

  @Override
  public CommandSyntax syntax() {
    return SYNTAX;
  }

  @Override
  public int run(Arguments args, Main main) {
    String file = args.parameter();
    AsmParser.Result result = AsmParser.assemble(SourceFiles.read(file));
    if (!result.errors().isEmpty()) {
      for (AsmParser.Diagnostic d : result.errors()) {
        main.err().println(file + ":" + d.line() + ": error: " + d.message());
      }
      return Main.EXIT_COMPILE_ERROR;
    }
    for (Listing.Line line : result.lines()) {
      main.out().println(line.hexBytes() + "\t" + line.text());
    }
    return Main.EXIT_OK;
  }
}
