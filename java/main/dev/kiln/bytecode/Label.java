package dev.kiln.bytecode;

/**
 * A branch target in code being built: jumps emitted before it is bound are recorded and patched
 * when {@link CodeBuilder#bind} fixes its offset.
 */
public final class Label {
  int target = -1;
  /** Few jumps go to one label (a loop's exit, an if's end), and a program has many labels. */
  final IntList fixups = new IntList(4);
}
