package dev.kiln.jit;

import dev.kiln.asm.Assembler;

/**
 * What the emitter of each family of instructions works with: the function being generated
 * ({@link EmitContext}), its assembler, and access to the slots ({@link Slots}).
 */
abstract class InstructionEmitter {
  final EmitContext ctx;
  final Assembler a;
  final Slots slots;

  InstructionEmitter(EmitContext ctx, Slots slots) {
    this.ctx = ctx;
    this.a = ctx.a;
    this.slots = slots;
  }
}
