package dev.kiln.backend.emit;

import dev.kiln.ir.Type;
import dev.kiln.runtime.CallingConvention;
import java.util.List;

/**
 * Where a C call's arguments go in the host convention: the next free register of its class
 * (System V) or the register of its position (Microsoft x64), and once those run out, the stack
 * above the shadow space, in argument order, as the caller's outgoing area at the call.
 */
final class CArguments {
  /** One argument's place: a register number of its class, or {@code -1} and a stack offset. */
  record Place(boolean isFloat, int register, int stackOffset) {}

  private final Place[] places;
  private final int outgoingBytes;

  CArguments(List<Type> types, CallingConvention convention) {
    places = new Place[types.size()];
    int ints = 0;
    int floats = 0;
    int stack = 0;
    for (int i = 0; i < places.length; i++) {
      boolean isFloat = types.get(i) == Type.F64;
      int k = convention.positionalArguments() ? i : isFloat ? floats++ : ints++;
      List<Integer> regs = isFloat ? convention.floatArguments() : convention.integerArguments();
      places[i] = k < regs.size() ? new Place(isFloat, regs.get(k), -1)
          : new Place(isFloat, -1, convention.shadowSpace() + 8 * stack++);
    }
    outgoingBytes = convention.shadowSpace() + 8 * stack;
  }

  /** The place of argument {@code i}. */
  Place place(int i) {
    return places[i];
  }

  /** The bytes of outgoing area the call needs: the shadow space and the stack arguments. */
  int outgoingBytes() {
    return outgoingBytes;
  }
}
