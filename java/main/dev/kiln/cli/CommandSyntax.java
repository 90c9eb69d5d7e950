package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command accepts: its one required parameter (the file) and its options, each with a
 * description for help. Every command also accepts {@link Option#HELP}.
 *
 * @param name the command's name, {@code run}
 * @param parameter the label of its parameter, {@code FILE}
 */
record CommandSyntax(String name, String description, String parameter,
    String parameterDescription, List<Option<?>> options) {

  static CommandSyntax of(String name, String description, String parameter,
      String parameterDescription, Option<?>... options) {
    List<Option<?>> all = new ArrayList<>(List.of(options));
    all.add(Option.HELP);
    return new CommandSyntax(name, description, parameter, parameterDescription, List.copyOf(all));
  }

  /**
   * The one-line usage: {@code kiln run FILE [--mode=interp|jit] ...}, without the hidden options
   * and without {@code --help} (the usage line of an error points to help anyway).
   */
  String synopsis() {
    StringBuilder line = new StringBuilder("kiln ").append(name).append(' ').append(parameter);
    for (Option<?> option : options) {
      if (!option.hidden() && option != Option.HELP) {
        line.append(" [").append(option.synopsis()).append(']');
      }
    }
    return line.toString();
  }
}
