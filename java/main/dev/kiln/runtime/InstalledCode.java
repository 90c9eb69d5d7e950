package dev.kiln.runtime;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A handle on one installed function. Invoke it with the method matching its {@link Signature} (a
 * mismatch throws {@link IllegalArgumentException}); once the handle or its cache is closed, every
 * invoke throws {@link IllegalStateException} instead of jumping into freed memory.
 *
 * <p>Lifetime: installed code is freed when no open handle can reach it, where a handle reaches
 * its own code and, transitively, the callees that code declared ({@link
 * CodeCache.Function#callees}, {@link #addCallee}). So closing a handle whose code live code still
 * calls only closes the handle; the code is freed with its last caller. A handle that becomes
 * unreachable is closed by a {@link Cleaner}, and closing the cache frees all of its code at once.
 *
 * <p>Thread-safe: any number of threads may invoke at once. Closing is the caller's to order: close
 * a handle (or its cache) only after every invoke of it has returned, just as one frees memory only
 * after its last use. An invoke keeps its own handle reachable until the code has returned.
 */
public final class InstalledCode implements AutoCloseable {
  /** The owner; also keeps it reachable, so its Cleaner cannot unmap code a handle still uses. */
  private final CodeCache cache;

  private final CodeSpace space;
  private final CodeAllocation allocation;
  private final long entry;

  /** Bytes of code from the entry to the end of the installed function. */
  private final int size;

  private final Signature signature;
  private final CallingConvention convention;
  private final int abi;

  /** The arity when the signature is {@code (long x n) -> long}, else -1: the hot-path check. */
  private final int longArity;

  private final Cleaner.Cleanable cleanable;
  private volatile boolean open = true;

  InstalledCode(
      CodeCache cache,
      CodeSpace space,
      CodeAllocation allocation,
      long entry,
      int size,
      Signature signature,
      CallingConvention convention) {
    this.cache = cache;
    this.space = space;
    this.allocation = allocation;
    this.entry = entry;
    this.size = size;
    this.signature = signature;
    this.convention = convention;
    this.abi = convention.id();
    this.longArity =
        signature.doubleArguments() || signature.doubleResult() ? -1 : signature.arity();
    this.cleanable = Cleaners.CLEANER.register(this, new Release(space, allocation));
  }

  /** {@return the cache the code is installed in} */
  public CodeCache cache() {
    return cache;
  }

  /** {@return the argument and result types the code is invoked with} */
  public Signature signature() {
    return signature;
  }

  /** {@return the calling convention the code follows} */
  public CallingConvention convention() {
    return convention;
  }

  /**
   * The entry address, for a call from other generated code. It stays valid while this handle is
   * open, and while installed code that declared this code a callee (at its install, or with
   * {@link #addCallee}) is installed; code that keeps the address must declare it so, or it may
   * jump into freed memory once this handle is closed or collected.
   *
   * @return the address of the entry's first byte
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public long address() {
    ensureOpen();
    return entry;
  }

  /**
   * Declares that this code may call {@code callee}, e.g. through a call table filled after this
   * code was installed. From now on the callee's code stays installed as long as this code is,
   * even after every handle on it is closed or collected; code that calls itself back through a
   * chain of callees is freed once no open handle reaches it. Callees are code of the same cache,
   * which closes all of its code at once.
   *
   * @param callee the code this code may call
   * @throws IllegalStateException if this handle, {@code callee} or the cache is closed
   * @throws IllegalArgumentException if {@code callee} is installed in another cache
   */
  public void addCallee(InstalledCode callee) {
    ensureOpen();
    space.addCallee(allocation, callee.allocationIn(space));
  }

  /** The pages of this code, shared with the other handles of the same install. */
  CodeAllocation allocation() {
    return allocation;
  }

  /** This handle's allocation, checked to be open and in {@code owner}, for a dependency. */
  CodeAllocation allocationIn(CodeSpace owner) {
    if (space != owner) {
      throw new IllegalArgumentException(
          "cannot depend on " + this + ": it is installed in another code cache");
    }
    ensureOpen();
    return allocation;
  }

  /**
   * Another entry point into the same installed code, {@code offset} bytes after this one: a code
   * generator can install one blob with several functions (calling each other with relative calls)
   * and get a handle per function. The new handle keeps the code alive on its own.
   *
   * @param offset bytes from this entry to the new one
   * @param entrySignature how the new entry is invoked
   * @return a new handle on the same code
   * @throws IllegalArgumentException if the offset is outside this entry's code
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public InstalledCode entryAt(int offset, Signature entrySignature) {
    if (offset < 0 || offset >= size) {
      throw new IllegalArgumentException(
          "entry offset " + offset + " is outside the installed code's " + size + " bytes");
    }
    ensureOpen();
    space.addHandle(allocation);
    return new InstalledCode(
        cache, space, allocation, entry + offset, size - offset, entrySignature, convention);
  }

  /**
   * Whether this handle can still invoke its code.
   *
   * @return false once this handle or its cache is closed
   */
  public boolean isOpen() {
    return open && allocation.live;
  }

  /**
   * Calls a {@code () -> long} function.
   *
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public long invoke0() {
    expectLongs(0);
    try {
      return Shim.call0(abi, entry);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (long) -> long} function.
   *
   * @param a the first argument
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public long invoke1(long a) {
    expectLongs(1);
    try {
      return Shim.call1(abi, entry, a);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (long, long) -> long} function.
   *
   * @param a the first argument
   * @param b the second argument
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public long invoke2(long a, long b) {
    expectLongs(2);
    try {
      return Shim.call2(abi, entry, a, b);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (long, long, long) -> long} function.
   *
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public long invoke3(long a, long b, long c) {
    expectLongs(3);
    try {
      return Shim.call3(abi, entry, a, b, c);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (long x n) -> long} function with exactly n arguments.
   *
   * @param args the arguments, as many as the signature has
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public long invoke(long... args) {
    expectLongs(args.length);
    try {
      return switch (args.length) {
        case 0 -> Shim.call0(abi, entry);
        case 1 -> Shim.call1(abi, entry, args[0]);
        case 2 -> Shim.call2(abi, entry, args[0], args[1]);
        case 3 -> Shim.call3(abi, entry, args[0], args[1], args[2]);
        case 4 -> Shim.call4(abi, entry, args[0], args[1], args[2], args[3]);
        case 5 -> Shim.call5(abi, entry, args[0], args[1], args[2], args[3], args[4]);
        default -> Shim.call6(abi, entry, args[0], args[1], args[2], args[3], args[4], args[5]);
      };
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (long x n) -> double} function with exactly n arguments.
   *
   * @param args the arguments, as many as the signature has
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public double invokeForDouble(long... args) {
    expect(args.length, false, true);
    long[] a = padded(args);
    try {
      return Shim.callDouble(abi, entry, a[0], a[1], a[2], a[3], a[4], a[5]);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (double) -> double} function.
   *
   * @param a the argument
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public double invokeWithDoubles(double a) {
    expect(1, true, true);
    try {
      return Shim.callDoubles(abi, entry, a, 0.0);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (double, double) -> double} function.
   *
   * @param a the first argument
   * @param b the second argument
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed
   */
  public double invokeWithDoubles(double a, double b) {
    expect(2, true, true);
    try {
      return Shim.callDoubles(abi, entry, a, b);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /**
   * Calls a {@code (long x n) -> long} function while {@code handler} serves the {@link
   * HostFunction#UPCALL} helper on this thread. A failed upcall makes this invoke throw once the
   * generated code has returned: the handler's own exception, or {@link IllegalStateException}
   * for an upcall from a misaligned stack (see {@link Upcall}).
   *
   * @param handler serves the upcalls of this call
   * @param args the arguments, as many as the signature has
   * @return the function's result
   * @throws IllegalArgumentException if the signature is another
   * @throws IllegalStateException if the handle or its cache is closed, or an upcall failed
   */
  public long invokeWithUpcall(Upcall handler, long... args) {
    if (handler == null) {
      throw new NullPointerException("upcall handler");
    }
    expectLongs(args.length);
    long[] a = padded(args);
    try {
      return Shim.callWithUpcall(abi, entry, handler, a[0], a[1], a[2], a[3], a[4], a[5]);
    } finally {
      Reference.reachabilityFence(this); // the native call holds only the entry address
    }
  }

  /** Six arguments, the given ones first: extra arguments are ignored by the callee (ABI-safe). */
  private static long[] padded(long[] args) {
    long[] a = new long[Signature.MAX_LONG_ARGUMENTS];
    System.arraycopy(args, 0, a, 0, Math.min(args.length, a.length));
    return a;
  }

  private void expectLongs(int arity) {
    if (arity != longArity) {
      throw mismatch(arity, false, false);
    }
    ensureOpen();
  }

  private void expect(int arity, boolean doubleArguments, boolean doubleResult) {
    if (arity != signature.arity()
        || doubleArguments != signature.doubleArguments()
        || doubleResult != signature.doubleResult()) {
      throw mismatch(arity, doubleArguments, doubleResult);
    }
    ensureOpen();
  }

  private IllegalArgumentException mismatch(
      int arity, boolean doubleArguments, boolean doubleResult) {
    return new IllegalArgumentException(
        "cannot call a function of type "
            + signature
            + " as "
            + Signature.describe(arity, doubleArguments, doubleResult));
  }

  private void ensureOpen() {
    if (!open || !allocation.live) {
      throw new IllegalStateException(
          "the installed code at 0x"
              + Long.toHexString(entry)
              + " is closed (by its close() or its cache's); it can no longer be invoked");
    }
  }

  /**
   * Closes this handle: it can no longer be invoked. Its code is freed once no open handle reaches
   * it (its own, another entry's, or a caller's through declared callees); until then code that
   * calls it keeps working. Idempotent.
   */
  @Override
  public void close() {
    open = false;
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "InstalledCode["
        + signature
        + ", "
        + convention
        + ", 0x"
        + Long.toHexString(entry)
        + (isOpen() ? "" : ", closed")
        + "]";
  }

  /**
   * The cleaner's action: frees the allocation. A class, not a lambda: a run of {@code kiln run}
   * links no lambda, whose first one would cost the JVM's lambda machinery's start-up.
   */
  private static final class Release implements Runnable {
    private final CodeSpace space;
    private final CodeAllocation allocation;

    Release(CodeSpace space, CodeAllocation allocation) {
      this.space = space;
      this.allocation = allocation;
    }

    @Override
    public void run() {
      space.release(allocation);
    }
  }
}
