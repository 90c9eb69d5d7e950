package dev.kiln.cli;

import dev.kiln.asm.Listing;
import dev.kiln.asm.text.AsmParser;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code kiln asm FILE.s}: assembles GNU-as-style Intel syntax and prints, per instruction, its
 * bytes (lowercase hex, space separated), a tab, and the instruction text. Errors go to stderr as
 * {@code FILE:LINE: error: MESSAGE} (all of them), exit 1.
 */
final class AsmCommand implements Callable<Integer> {
  private final PositionalParamSpec fileParameter =
      PositionalParamSpec.builder()
          .paramLabel("FILE.s")
          .required(true)
          .description("assembly source (.intel_syntax noprefix)")
          .type(String.class)
          .build();

  private final CommandSpec spec =
      CommandSpecs.command(
          this, "Assemble x86-64 Intel-syntax assembly and print the bytes.", fileParameter);

  /** The command's picocli model (built in code: see {@link Main}). */
  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() {
    String file = fileParameter.getValue();
    String source = SourceFiles.read(file, spec.commandLine());
    AsmParser.Result result = AsmParser.assemble(source);
    if (!result.errors().isEmpty()) {
      for (AsmParser.Diagnostic d : result.errors()) {
        spec.commandLine().getErr().println(file + ":" + d.line() + ": error: " + d.message());
      }
      spec.commandLine().getErr().flush();
      return Main.EXIT_COMPILE_ERROR;
    }
    for (Listing.Line line : result.lines()) {
      spec.commandLine().getOut().println(line.hexBytes() + "\t" + line.text());
    }
    spec.commandLine().getOut().flush();
    return Main.EXIT_OK;
  }
}
