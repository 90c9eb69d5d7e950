package dev.kiln.ir;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * A read-only view of an array of the IR (an instruction's operands or successors): one final
 * class whose iterator indexes the array, so that the passes' loops over it inline and allocate
 * nothing, where {@code List.of} and wrapped lists make their iterator calls megamorphic.
 */
final class ArrayView<E> extends AbstractList<E> implements RandomAccess {
  private static final ArrayView<?> EMPTY = new ArrayView<>(new Object[0]);

  private final E[] array;

  ArrayView(E[] array) {
    this.array = array;
  }

  /** {@return the view of no elements, one shared instance} */
  @SuppressWarnings("unchecked")
  static <E> ArrayView<E> empty() {
    return (ArrayView<E>) EMPTY;
  }

  @Override
  public E get(int index) {
    return array[index];
  }

  @Override
  public int size() {
    return array.length;
  }

  @Override
  public Iterator<E> iterator() {
    return new Itr<>(array);
  }

  private static final class Itr<E> implements Iterator<E> {
    private final E[] array;
    private int next;

    Itr(E[] array) {
      this.array = array;
    }

    @Override
    public boolean hasNext() {
      return next < array.length;
    }

    @Override
    public E next() {
      if (next >= array.length) {
        throw new NoSuchElementException();
      }
      return array[next++];
    }
  }
}
