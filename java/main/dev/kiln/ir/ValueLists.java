package dev.kiln.ir;

import java.util.Arrays;

/**
 * A list of values for each value of a function, by id, in the order added: linked lists in
 * parallel arrays, so adding allocates nothing but the occasional growth. The builder keeps the
 * parameters each value flows into; dead-code elimination the arguments each parameter receives;
 * the register allocator each value's hint relations, in the order it prefers them.
 */
public final class ValueLists {
  /** The first link of each value's list, by id; 0 for none (link 0 is unused). */
  private final int[] first;
  /** The last link of each value's list, by id, where its list is not empty. */
  private final int[] last;
  private int[] next = new int[64];
  private Value[] values = new Value[64];
  private int links = 1;

  /**
   * Empty lists for the values with ids below {@code values}.
   *
   * @param values how many value ids there are
   */
  public ValueLists(int values) {
    first = new int[values];
    last = new int[values];
  }

  /**
   * Puts {@code value} at the end of {@code key}'s list.
   *
   * @param key the value whose list it joins
   * @param value the value added
   */
  public void add(Value key, Value value) {
    if (links == next.length) {
      next = Arrays.copyOf(next, links * 2);
      values = Arrays.copyOf(values, links * 2);
    }
    next[links] = 0;
    values[links] = value;
    if (first[key.id()] == 0) {
      first[key.id()] = links;
    } else {
      next[last[key.id()]] = links;
    }
    last[key.id()] = links++;
  }

  /**
   * The first link of the list of the value with id {@code key}.
   *
   * @param key a value's {@link Value#id()}
   * @return the link, or 0 if the list is empty
   */
  public int first(int key) {
    return first[key];
  }

  /**
   * The link after {@code link} in its list.
   *
   * @param link a link
   * @return the next link, or 0 at the end
   */
  public int next(int link) {
    return next[link];
  }

  /**
   * The value at {@code link}.
   *
   * @param link a link
   * @return its value
   */
  public Value value(int link) {
    return values[link];
  }
}
