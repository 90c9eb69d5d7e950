package dev.kiln.cli;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A command line parsed against a {@link CommandSyntax}: the parameter and the options given.
 * Commands read typed values by the options they declared, so no option is named twice.
 *
 * <p>Options are keys by identity (each is a constant): a record's own {@code hashCode} is
 * bootstrapped through {@code invokedynamic} on first use, a start-up cost on a path (such as
 * {@code --mode=interp}) whose classes the launcher's class-data archive may not hold.
 */
final class Arguments {
  private final String parameter;
  private final Map<Option<?>, Object> given;

  Arguments(String parameter, Map<Option<?>, Object> given) {
    this.parameter = parameter;
    this.given = new IdentityHashMap<>(given);
  }

  /** The command's parameter (the file); present unless help was asked for. */
  String parameter() {
    return parameter;
  }

  /** The value of {@code option}: as given, or its default. */
  @SuppressWarnings("unchecked") // the parser stores only what option's own parser returned
  <T> T get(Option<T> option) {
    return given.containsKey(option) ? (T) given.get(option) : option.defaultValue();
  }

  boolean helpRequested() {
    return get(Option.HELP);
  }
}
