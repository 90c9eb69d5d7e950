package dev.kiln.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Builds the commands' picocli models in code (see {@link Main} for why not with annotations).
 */
final class CommandSpecs {
  private CommandSpecs() {}

  /** The model of {@code command} (which picocli runs), described and with these arguments. */
  static CommandSpec command(Object command, String description, ArgSpec... args) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.usageMessage().description(description);
    for (ArgSpec arg : args) {
      spec.add(arg);
    }
    return spec;
  }

  /**
   * Adds picocli's standard {@code -h, --help} and {@code -V, --version}, worded as its
   * {@code mixinStandardHelpOptions} words them (which would reflect over an annotated mixin
   * class on every run); returns the spec.
   */
  static CommandSpec withHelpOptions(CommandSpec spec) {
    return spec
        .addOption(
            OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build())
        .addOption(
            OptionSpec.builder("-V", "--version")
                .versionHelp(true)
                .description("Print version information and exit.")
                .build());
  }
}
