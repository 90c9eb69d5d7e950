package dev.kiln.ir;

import java.util.Arrays;

/**
 * For each value, by id, the variable parameters that receive it from some branch: a linked list
 * per value in parallel int arrays, so recording a use allocates nothing but the occasional
 * growth. Used by {@link FunctionBuilder} to requeue the parameters a replaced one flows into.
 */
final class ParamUsers {
  /** The first link of each value's list, by id; 0 for none (link 0 is unused). */
  private final int[] first;
  private int[] next = new int[64];
  private Value[] users = new Value[64];
  private int links = 1;

  /** Room for the values with ids below {@code values}. */
  ParamUsers(int values) {
    first = new int[values];
  }

  /** Records that parameter {@code user} receives {@code used}. */
  void add(Value used, Value user) {
    if (links == next.length) {
      next = Arrays.copyOf(next, links * 2);
      users = Arrays.copyOf(users, links * 2);
    }
    next[links] = first[used.id()];
    users[links] = user;
    first[used.id()] = links++;
  }

  /** {@return the first link of the parameters receiving {@code used}, or 0 if none} */
  int first(Value used) {
    return first[used.id()];
  }

  /** {@return the link after {@code link} in its list, or 0 at the end} */
  int next(int link) {
    return next[link];
  }

  /** {@return the parameter of {@code link}} */
  Value user(int link) {
    return users[link];
  }
}
