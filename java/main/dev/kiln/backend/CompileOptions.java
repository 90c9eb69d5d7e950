package dev.kiln.backend;

import dev.kiln.runtime.CallingConvention;

/**
 * How {@link Backend} compiles a module: the calling convention of the entry stub and of calls
 * to Java ({@link CallingConvention#host()} by default; {@link CallingConvention#WINDOWS_X64}
 * runs through the runtime's ms_abi path on Linux too), whether to keep a machine-code listing
 * with IR comments, and whether to append the functions to the perf map.
 */
public final class CompileOptions {
  private CallingConvention convention = CallingConvention.host();
  private boolean listing;
  private boolean perfMap;
  private boolean optimize = true;
  private boolean parallel = !Boolean.getBoolean("kiln.sequential");
  private boolean verifyPasses = Boolean.getBoolean("kiln.verifyPasses");
  private boolean lazy;

  /**
   * The defaults: host convention, no listing, no perf map, the IR passes on, large modules
   * compiled on several threads unless the system property {@code kiln.sequential} is {@code
   * true}, verifying after each pass only if the system property {@code kiln.verifyPasses} is
   * {@code true} (the tests set it).
   */
  public CompileOptions() {}

  /**
   * Uses {@code convention} at the entry and for calls to Java.
   *
   * @param convention the calling convention, not null
   * @return these options
   */
  public CompileOptions convention(CallingConvention convention) {
    if (convention == null) {
      throw new IllegalArgumentException("the calling convention is null");
    }
    this.convention = convention;
    return this;
  }

  /**
   * Keeps the listing ({@link CompiledModule#listing()}).
   *
   * @param listing whether to keep it
   * @return these options
   */
  public CompileOptions listing(boolean listing) {
    this.listing = listing;
    return this;
  }

  /**
   * Appends each function's address, size and name to {@code /tmp/perf-PID.map}, so that
   * {@code perf report} names compiled code.
   *
   * @param perfMap whether to append to the perf map
   * @return these options
   */
  public CompileOptions perfMap(boolean perfMap) {
    this.perfMap = perfMap;
    return this;
  }

  /**
   * Runs the IR-to-IR optimization passes before instruction selection (the default).
   *
   * @param optimize whether the passes run
   * @return these options
   */
  public CompileOptions optimize(boolean optimize) {
    this.optimize = optimize;
    return this;
  }

  /**
   * Compiles a large module's functions on several threads (the default), or all on the calling
   * thread. The machine code is the same either way, and so is a failure.
   *
   * @param parallel whether other threads may compile functions
   * @return these options
   */
  public CompileOptions parallel(boolean parallel) {
    this.parallel = parallel;
    return this;
  }

  /**
   * Verifies the module after each IR pass, failing with {@link IllegalStateException} (a bug
   * of the pass) if one left it malformed.
   *
   * @param verifyPasses whether to verify after each pass
   * @return these options
   */
  public CompileOptions verifyPasses(boolean verifyPasses) {
    this.verifyPasses = verifyPasses;
    return this;
  }

  /**
   * Compiles each function on its first call instead of all of them before the module is
   * returned: compiling the module then runs only the passes that read other functions, and a
   * program that calls few of its functions compiles only those. A call of a function not yet
   * compiled stops in a stand-in, which compiles and installs the function and then enters it;
   * later calls go straight to it (through the function table: a call to another function is
   * an indirect call). A failure to compile or install it, such as {@link
   * dev.kiln.runtime.ExecutableMemoryDeniedException}, propagates out of the call that reached
   * it. With a {@link #listing(boolean) listing} the module is compiled whole.
   *
   * @param lazy whether functions are compiled on their first call
   * @return these options
   */
  public CompileOptions lazy(boolean lazy) {
    this.lazy = lazy;
    return this;
  }

  /** {@return whether functions are compiled on their first call (unless a listing is kept)} */
  public boolean lazy() {
    return lazy && !listing;
  }

  /** {@return whether the IR passes run} */
  public boolean optimize() {
    return optimize;
  }

  /** {@return whether other threads may compile functions} */
  public boolean parallel() {
    return parallel;
  }

  /** {@return whether the module is verified after each IR pass} */
  public boolean verifyPasses() {
    return verifyPasses;
  }

  /** {@return the convention of the entry stub and of calls to Java} */
  public CallingConvention convention() {
    return convention;
  }

  /** {@return whether a listing is kept} */
  public boolean listing() {
    return listing;
  }

  /** {@return whether the perf map is written} */
  public boolean perfMap() {
    return perfMap;
  }
}
