package dev.kiln.jit;

import dev.kiln.backend.CompileOptions;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.source.Source;

/**
 * The JIT's listing of a program ({@code --dump=asm}: machine code with the IR as comments), and
 * one function's part of it, for tests of code shapes.
 */
final class Listings {
  private Listings() {}

  private static final long HEAP_BYTES = 1 << 20;

  /** The System V listing of {@code source}. */
  static String of(String source) throws CompileErrors {
    return KilnJit.asmListing(FrontEnd.compile(new Source("p.kiln", source)), HEAP_BYTES,
        new CompileOptions().convention(CallingConvention.SYSTEM_V));
  }

  /** The part of {@code listing} from function {@code name} up to function {@code next}. */
  static String function(String listing, String name, String next) {
    return listing.substring(listing.indexOf("; function @" + name + " "),
        listing.indexOf("; function @" + next + " "));
  }

  /** How often {@code regex} occurs in {@code text}. */
  static int count(String text, String regex) {
    return text.split(regex, -1).length - 1;
  }
}
