package dev.kiln.jit;

import dev.kiln.bytecode.Program;
import dev.kiln.lang.CompileErrors;
import dev.kiln.lang.FrontEnd;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.source.Source;

/** The JIT's listing of a program, and one function's part of it, for tests of code shapes. */
final class Listings {
  private Listings() {}

  /** The System V listing of {@code source}. */
  static String of(String source) throws CompileErrors {
    return KilnJit.listing(FrontEnd.compile(new Source("p.kiln", source)), CallingConvention.SYSTEM_V);
  }

  /**
   * The System V listing of {@code source} compiled with no call inlined ({@link Inliner}): for
   * tests of the code around real calls.
   */
  static String withoutInlining(String source) throws CompileErrors {
    Program program = FrontEnd.compile(new Source("p.kiln", source));
    return KilnJit.listing(program, Inlined.none(program), CallingConvention.SYSTEM_V);
  }

  /** The part of {@code listing} from function {@code name} up to function {@code next}. */
  static String function(String listing, String name, String next) {
    return listing.substring(listing.indexOf("fn " + name + ":"), listing.indexOf("fn " + next + ":"));
  }

  /** How often {@code regex} occurs in {@code text}. */
  static int count(String text, String regex) {
    return text.split(regex, -1).length - 1;
  }
}
