package dev.kiln.runtime;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Executable memory for generated functions. Code is copied into read-write pages, which are then
 * sealed read-execute before anything can run from them; no page is ever writable and executable at
 * once. Sealed pages are never reopened while their code is installed, so one {@link #installAll}
 * call packs many functions into shared pages, while each {@link #install} call takes at least one
 * page of its own. Pages come from blocks of {@code blockBytes}; freed pages are reused, and a
 * block whose pages are all free is unmapped (one spare is kept).
 *
 * <p>Thread-safe. Lifetime: {@link #close()} unmaps everything and makes every handle throw on
 * invoke; a forgotten cache is released by a {@link Cleaner} once it and all its handles are
 * unreachable.
 */
public final class CodeCache implements AutoCloseable {
  /** Blocks are 64 KiB by default: 16 pages of 4 KiB. */
  public static final int DEFAULT_BLOCK_BYTES = 64 * 1024;

  /** The largest single function accepted (1 GiB), far beyond any generated function. */
  public static final int MAX_CODE_BYTES = 1 << 30;

  /**
   * A function to install: machine code whose entry is its first byte.
   *
   * @param code the machine code; copied at install, so the array may be reused afterwards
   * @param signature how the code is invoked from Java
   * @param convention the calling convention the code follows
   * @param callees installed code of the same cache that this code may call, by an address
   *     embedded in it or read from a table: it stays installed while this code is (see {@link
   *     InstalledCode#addCallee})
   */
  public record Function(
      byte[] code, Signature signature, CallingConvention convention, List<InstalledCode> callees) {
    /**
     * Checks that no component is null and copies the list of callees.
     *
     * @param code the machine code
     * @param signature how the code is invoked from Java
     * @param convention the calling convention the code follows
     * @param callees installed code of the same cache that this code may call
     */
    public Function {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(convention, "convention");
      callees = List.copyOf(Objects.requireNonNull(callees, "callees"));
    }

    /**
     * A function that calls no other installed code.
     *
     * @param code the machine code
     * @param signature how the code is invoked from Java
     * @param convention the calling convention the code follows
     */
    public Function(byte[] code, Signature signature, CallingConvention convention) {
      this(code, signature, convention, List.of());
    }

    /**
     * A function in the host's C convention that calls no other installed code.
     *
     * @param code the machine code
     * @param signature how the code is invoked from Java
     */
    public Function(byte[] code, Signature signature) {
      this(code, signature, CallingConvention.host());
    }
  }

  /** How executable pages are mapped. Either way no page is writable and executable at once. */
  public enum Mapping {
    /** One mapping per page, read-write while code is written, then sealed read-execute. */
    SINGLE_VIEW,
    /**
     * Shared memory mapped twice: a read-write view to write code, a read-execute view to run it.
     * For systems that refuse to turn writable memory executable (SELinux {@code deny_execmem}); it
     * needs a memfd (Linux) or a pagefile section (Windows).
     */
    DUAL_VIEW
  }

  private final CodeSpace space;
  private final Cleaner.Cleanable cleanable;

  /**
   * A cache of {@link #DEFAULT_BLOCK_BYTES} blocks, {@link Mapping#SINGLE_VIEW}, which switches to
   * {@link Mapping#DUAL_VIEW} if the OS refuses to make its pages executable.
   *
   * @throws UnsupportedPlatformException if the native runtime cannot be loaded here
   */
  public CodeCache() {
    this(DEFAULT_BLOCK_BYTES, Mapping.SINGLE_VIEW, true);
  }

  /**
   * A cache mapping its blocks one way, without fallback: a refusal of executable memory throws
   * {@link ExecutableMemoryDeniedException} at install.
   *
   * @param blockBytes the least size of a block, rounded up to whole pages
   * @param mapping how blocks are mapped
   * @throws IllegalArgumentException if {@code blockBytes} is not positive
   * @throws UnsupportedPlatformException if the native runtime cannot be loaded here
   */
  public CodeCache(int blockBytes, Mapping mapping) {
    this(blockBytes, mapping, false);
  }

  private CodeCache(int blockBytes, Mapping mapping, boolean fallBack) {
    NativeLibrary.ensureLoaded();
    Objects.requireNonNull(mapping, "mapping");
    if (blockBytes <= 0) {
      throw new IllegalArgumentException("block size must be positive, got " + blockBytes);
    }
    int pageSize = Shim.pageSize();
    int blockPages = (int) ((blockBytes + (long) pageSize - 1) / pageSize);
    this.space = new CodeSpace(new CodePages(pageSize, blockPages, mapping), fallBack);
    this.cleanable = Cleaners.CLEANER.register(this, space);
  }

  /**
   * Installs one function in the host convention.
   *
   * @param code the machine code, entry at its first byte
   * @param signature how the code is invoked from Java
   * @param callees installed code of this cache that the code calls by address (see {@link
   *     Function#callees()})
   * @return a handle to invoke the code
   * @throws IllegalStateException if this cache or a callee is closed
   * @throws IllegalArgumentException if the code is empty or too large, or a callee belongs to
   *     another cache
   * @throws ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public InstalledCode install(byte[] code, Signature signature, InstalledCode... callees) {
    return install(new Function(code, signature, CallingConvention.host(), List.of(callees)));
  }

  /**
   * Installs one function in pages of its own.
   *
   * @param function the code, its signature, convention and callees
   * @return a handle to invoke the code
   * @throws IllegalStateException if this cache or a callee is closed
   * @throws IllegalArgumentException if the code is empty or too large, or a callee belongs to
   *     another cache
   * @throws UnsupportedOperationException if this build of the shim cannot call the convention
   * @throws ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public InstalledCode install(Function function) {
    return installAll(List.of(function)).get(0);
  }

  /**
   * Installs the functions together, packed into shared pages at 16-byte boundaries. They are
   * freed as a unit, when no handle on any of them is open and no other installed code declared
   * one of them a callee; so they may call each other freely.
   *
   * @param functions the functions, at least one
   * @return one handle per function, in the same order
   * @throws IllegalStateException if this cache or a callee is closed
   * @throws IllegalArgumentException if the list is empty, a code is empty or too large, or a
   *     callee belongs to another cache
   * @throws UnsupportedOperationException if this build of the shim cannot call a convention
   * @throws ExecutableMemoryDeniedException if the OS refuses executable memory
   */
  public List<InstalledCode> installAll(List<Function> functions) {
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("nothing to install: the list of functions is empty");
    }
    List<byte[]> codes = new ArrayList<>(functions.size());
    Set<CodeAllocation> callees = new HashSet<>();
    for (Function f : functions) {
      codes.add(checked(f));
      for (InstalledCode callee : f.callees()) {
        callees.add(callee.allocationIn(space));
      }
    }
    long[] offsets = new long[codes.size()];
    CodeAllocation allocation = space.install(codes, offsets, callees);
    List<InstalledCode> handles = new ArrayList<>(functions.size());
    for (int i = 0; i < functions.size(); i++) {
      Function f = functions.get(i);
      handles.add(
          new InstalledCode(
              this,
              space,
              allocation,
              allocation.address + offsets[i],
              codes.get(i).length,
              f.signature(),
              f.convention()));
    }
    return handles;
  }

  private static byte[] checked(Function f) {
    int length = f.code().length;
    if (length == 0 || length > MAX_CODE_BYTES) {
      throw new IllegalArgumentException(
          "code size must be between 1 and " + MAX_CODE_BYTES + " bytes, got " + length);
    }
    if ((Shim.supportedConventions() >> f.convention().id() & 1) == 0) {
      throw new UnsupportedOperationException(
          "cannot call "
              + f.convention()
              + " code on "
              + Platform.host()
              + " with this build of the Kiln shim");
    }
    return f.code();
  }

  /** {@return how new code is mapped now} After a fallback, {@link Mapping#DUAL_VIEW}. */
  public Mapping mapping() {
    return space.mapping();
  }

  /** {@return the bytes of memory this cache has mapped, used or free} */
  public long mappedBytes() {
    return space.mappedBytes();
  }

  /**
   * Unmaps all code, callers and callees alike; every handle of this cache throws on invoke
   * afterwards. Close it only after every invoke of its code has returned. Idempotent.
   */
  @Override
  public void close() {
    cleanable.clean();
  }
}
