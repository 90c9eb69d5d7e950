package dev.kiln.backend.emit;

import java.util.ArrayList;
import java.util.List;

/**
 * The moves of a block edge, performed as if all at once: a block parameter may receive a value
 * that another parameter of the same block held. Locations are keys of {@link Locations}; a
 * cycle is broken through a scratch register.
 */
final class ParallelMove {
  private record Move(int dst, int src) {}

  private final List<Move> moves = new ArrayList<>();

  void add(int dst, int src) {
    if (dst != src) {
      moves.add(new Move(dst, src));
    }
  }

  boolean isEmpty() {
    return moves.isEmpty();
  }

  /** Emits the moves in an order that reads every source before it is overwritten. */
  void emit(Locations at) {
    List<Move> pending = new ArrayList<>(moves);
    while (!pending.isEmpty()) {
      Move ready = null;
      for (Move m : pending) {
        if (pending.stream().noneMatch(o -> o != m && o.src == m.dst)) {
          ready = m;
          break;
        }
      }
      if (ready != null) {
        at.move(ready.dst, ready.src);
        pending.remove(ready);
        continue;
      }
      // Every destination is still to be read: a cycle. Park one destination's value.
      Move m = pending.get(0);
      int temp = Locations.isXmm(m.dst) ? Locations.TEMP_XMM : Locations.TEMP_GPR;
      at.move(temp, m.dst);
      for (int i = 0; i < pending.size(); i++) {
        Move o = pending.get(i);
        if (o.src == m.dst) {
          pending.set(i, new Move(o.dst, temp));
        }
      }
    }
  }
}
