package dev.kiln.cli;

/**
 * One option of a command, declared once as a constant of the command: its names, the label of
 * its value in help ({@code null} for a flag), the description help prints, how its value is
 * parsed, and its value when not given. The command reads the typed value with
 * {@link Arguments#get}.
 *
 * @param name the long name, {@code --mode}
 * @param shortName a one-letter alias, {@code -h}, or {@code null}
 * @param label the value's placeholder in help and usage, {@code MIB} or {@code interp|jit}
 * @param hidden left out of help and usage (options for tests)
 */
record Option<T>(String name, String shortName, String label, String description,
    ValueParser<T> parser, T defaultValue, boolean hidden) {

  /** {@code -h, --help}: every command has it. */
  static final Option<Boolean> HELP = flag("--help", "Show this help message and exit.").alias("-h");

  /** A switch: {@code true} when given, {@code false} otherwise; it takes no value. */
  static Option<Boolean> flag(String name, String description) {
    return new Option<>(name, null, null, description, null, false, false);
  }

  /** An option with a value ({@code --name=VALUE} or {@code --name VALUE}). */
  static <T> Option<T> value(String name, String label, String description, ValueParser<T> parser,
      T defaultValue) {
    return new Option<>(name, null, label, description, parser, defaultValue, false);
  }

  /** An option whose value is one of {@code type}'s constants; help lists them as its label. */
  static <E extends Enum<E>> Option<E> choice(String name, String description, Class<E> type,
      E defaultValue) {
    return choice(name, description, type, defaultValue, null);
  }

  /**
   * As {@link #choice(String, String, Class, Enum)}, with {@code unlisted} (or null) accepted but
   * left out of help, usage and errors: a value for tests or work in progress.
   */
  static <E extends Enum<E>> Option<E> choice(String name, String description, Class<E> type,
      E defaultValue, E unlisted) {
    return value(name, String.join("|", ValueParser.spellings(type, unlisted)), description,
        ValueParser.choice(type, unlisted), defaultValue);
  }

  /** This option, also named {@code shortName}. */
  Option<T> alias(String shortName) {
    return new Option<>(name, shortName, label, description, parser, defaultValue, hidden);
  }

  /** This option, left out of help and usage. */
  Option<T> hide() {
    return new Option<>(name, shortName, label, description, parser, defaultValue, true);
  }

  boolean takesValue() {
    return label != null;
  }

  /** Whether {@code argument} (without any {@code =VALUE}) names this option. */
  boolean isNamed(String argument) {
    return argument.equals(name) || argument.equals(shortName);
  }

  /** How usage and help write it: {@code --mode=interp|jit}, {@code --stats}. */
  String synopsis() {
    return takesValue() ? name + "=" + label : name;
  }
}
