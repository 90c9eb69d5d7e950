package dev.kiln.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.backend.CompileOptions;
import dev.kiln.bytecode.Program;
import dev.kiln.jit.lowering.KilnIrJit;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.source.Source;
import org.junit.jupiter.api.Test;

/**
 * A large Kiln program, whose functions the back end compiles on several threads, compiles to the
 * same machine code as on the calling thread alone.
 */
class ParallelListingTest {
  private static final long HEAP_BYTES = 1 << 20;

  @Test
  void aLargeProgramCompilesAlikeOnSeveralThreads() throws CompileErrors {
    Program program = FrontEnd.compile(
        new Source("generated.kiln", LargeProgramGenerator.generate(1_000)));
    String sequential = KilnIrJit.asmListing(program, HEAP_BYTES,
        new CompileOptions().parallel(false));
    assertEquals(sequential, KilnIrJit.asmListing(program, HEAP_BYTES, new CompileOptions()));
    assertEquals(sequential, KilnIrJit.asmListing(program, HEAP_BYTES,
        new CompileOptions().verifyPasses(false)));
  }
}
