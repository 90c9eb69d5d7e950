package dev.kiln.bytecode;

/**
 * A branch target in code being built: jumps emitted before it is bound are recorded and patched
 * when {@link CodeBuilder#bind} fixes its offset.
 */
public final class Label {
  int target = -1;
  final IntList fixups = new IntList();
}
