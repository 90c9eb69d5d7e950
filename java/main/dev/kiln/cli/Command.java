package dev.kiln.cli;

/** A subcommand of {@code kiln}: what it accepts, and what it does with it. */
interface Command {
  /** Its parameter and options, declared once (usage, help and parsing all read them). */
  CommandSyntax syntax();

  /**
   * Runs with the parsed arguments on {@code main}'s streams; returns the exit code.
   *
   * @throws UsageError for a bad combination of arguments or an unreadable file
   */
  int run(Arguments args, Main main);
}
