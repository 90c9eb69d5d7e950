package dev.kiln.cli;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a command's arguments against its {@link CommandSyntax}: {@code --opt=value} and
 * {@code --opt value}, flags, one parameter, and {@code --} ending the options (so a file may be
 * named {@code -x.kiln}). {@code -h}/{@code --help} stops parsing: help is printed whatever follows.
 *
 * <p>Kiln parses its few options itself instead of with a library because every run pays for the
 * parser's set-up before Kiln does anything: a general-purpose parser builds command models
 * reflectively and loads its own classes, type converters and lambda bootstraps, which for a
 * small program costs more start-up than its compile and run together.
 */
final class CommandLineParser {
  private CommandLineParser() {}

  /** @throws UsageError for an unknown, repeated or malformed option, or a missing or extra parameter */
  static Arguments parse(CommandSyntax syntax, List<String> args) {
    Map<Option<?>, Object> given = new IdentityHashMap<>(); // see Arguments: no record hashCode
    String parameter = null;
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!optionsEnded && arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        if (parameter != null) {
          throw new UsageError("unexpected argument: '" + arg + "'");
        }
        parameter = arg;
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      Option<?> option = find(syntax, name);
      if (option == Option.HELP) {
        given.clear(); // help, whatever else was given
        given.put(Option.HELP, true);
        return new Arguments(parameter, given);
      }
      if (given.containsKey(option)) {
        throw new UsageError("option '" + option.name() + "' should be given only once");
      }
      if (!option.takesValue()) {
        if (equals >= 0) {
          throw new UsageError("option '" + option.name() + "' takes no value");
        }
        given.put(option, true);
        continue;
      }
      String text;
      if (equals >= 0) {
        text = arg.substring(equals + 1);
      } else if (i + 1 < args.size()) {
        text = args.get(++i);
      } else {
        throw new UsageError("missing value for option '" + option.name() + "' (" + option.label() + ")");
      }
      given.put(option, value(option, text));
    }
    if (parameter == null) {
      throw new UsageError("missing " + syntax.parameter());
    }
    return new Arguments(parameter, given);
  }

  private static Option<?> find(CommandSyntax syntax, String name) {
    for (Option<?> option : syntax.options()) {
      if (option.isNamed(name)) {
        return option;
      }
    }
    throw new UsageError("unknown option: '" + name + "'");
  }

  private static Object value(Option<?> option, String text) {
    try {
      return option.parser().parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageError(
          "invalid value for option '" + option.name() + "': " + e.getMessage() + ", not '" + text + "'");
    }
  }
}
