package dev.kiln.ir;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * A read-only view of an {@link ArrayList} of the IR (a block's instructions, a function's
 * blocks): one final class whose iterator indexes the list directly, so that the passes' loops
 * over it inline and allocate nothing, where a general wrapper's iterator call is megamorphic.
 */
final class ListView<E> extends AbstractList<E> implements RandomAccess {
  private final ArrayList<E> list;

  ListView(ArrayList<E> list) {
    this.list = list;
  }

  @Override
  public E get(int index) {
    return list.get(index);
  }

  @Override
  public int size() {
    return list.size();
  }

  @Override
  public boolean isEmpty() {
    return list.isEmpty();
  }

  @Override
  public Iterator<E> iterator() {
    return new Itr<>(list);
  }

  private static final class Itr<E> implements Iterator<E> {
    private final ArrayList<E> list;
    private int next;

    Itr(ArrayList<E> list) {
      this.list = list;
    }

    @Override
    public boolean hasNext() {
      return next < list.size();
    }

    @Override
    public E next() {
      if (next >= list.size()) {
        throw new NoSuchElementException();
      }
      return list.get(next++);
    }
  }
}
