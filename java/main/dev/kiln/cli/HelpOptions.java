package dev.kiln.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's standard {@code -h, --help} and {@code -V, --version} options, declared in code: the
 * annotation {@code mixinStandardHelpOptions} would build them by reflecting over an annotated
 * mixin class, which costs start-up time on every run (see {@link Main}).
 */
final class HelpOptions {
  private HelpOptions() {}

  /** Adds both options to {@code spec}, worded as picocli's mixin words them; returns the spec. */
  static CommandSpec addTo(CommandSpec spec) {
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
