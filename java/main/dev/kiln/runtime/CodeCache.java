package dev.kiln.runtime;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

  /** A function to install: machine code whose entry is its first byte. */
  public record Function(byte[] code, Signature signature, CallingConvention convention) {
    public Function {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(convention, "convention");
    }

    /** A function in the host's C convention. */
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
   */
  public CodeCache() {
    this(DEFAULT_BLOCK_BYTES, Mapping.SINGLE_VIEW, true);
  }

  /**
   * A cache mapping blocks of at least {@code blockBytes} (rounded up to whole pages) the given
   * way, without fallback: a refusal of executable memory throws {@link
   * ExecutableMemoryDeniedException}.
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

  /** Installs one function in the host convention. */
  public InstalledCode install(byte[] code, Signature signature) {
    return install(new Function(code, signature));
  }

  public InstalledCode install(Function function) {
    return installAll(List.of(function)).get(0);
  }

  /** Installs the functions together, packed into shared pages; handles in the same order. */
  public List<InstalledCode> installAll(List<Function> functions) {
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("nothing to install: the list of functions is empty");
    }
    List<byte[]> codes = new ArrayList<>(functions.size());
    for (Function f : functions) {
      codes.add(checked(f));
    }
    long[] offsets = new long[codes.size()];
    CodeAllocation allocation = space.install(codes, offsets);
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

  /** How new code is mapped now (after a fallback, {@link Mapping#DUAL_VIEW}). */
  public Mapping mapping() {
    return space.mapping();
  }

  /** Bytes of memory this cache has mapped, used or free. */
  public long mappedBytes() {
    return space.mappedBytes();
  }

  /** Unmaps all code; every handle of this cache throws on invoke afterwards. Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
