package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.CompileOptions;
import dev.kiln.bytecode.Program;
import dev.kiln.ir.IrPrinter;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import org.junit.jupiter.api.Test;

/**
 * A large Kiln program, whose functions are lowered to IR and compiled on several threads, gives
 * the same IR and machine code as on the calling thread alone.
 */
class ParallelListingTest {
  private static final long HEAP_BYTES = 1 << 20;

  @Test
  void aLargeProgramCompilesAlikeOnSeveralThreads() throws CompileErrors {
    Program program = FrontEnd.compile(
        new Source("generated.kiln", LargeProgramGenerator.generate(1_000)));
    String sequential = KilnJit.asmListing(program, HEAP_BYTES,
        new CompileOptions().parallel(false));
    assertEquals(sequential, KilnJit.asmListing(program, HEAP_BYTES, new CompileOptions()));
    assertEquals(sequential, KilnJit.asmListing(program, HEAP_BYTES,
        new CompileOptions().verifyPasses(false)));
  }

  @Test
  void aLargeProgramLowersToTheSameIrOnSeveralThreads() throws CompileErrors {
    Program program = FrontEnd.compile(
        new Source("generated.kiln", LargeProgramGenerator.generate(1_000)));
    assertEquals(IrPrinter.print(KilnLowering.lower(program, HEAP_BYTES, false)),
        IrPrinter.print(KilnLowering.lower(program, HEAP_BYTES, true)));
  }
}
