package dev.kiln.backend;

import dev.kiln.backend.emit.ContextBlock;
import dev.kiln.backend.emit.ModuleEmitter;
import dev.kiln.backend.opt.Thresholds;
import dev.kiln.ir.CFunction;
import dev.kiln.ir.Calls;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.JavaCallback;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.runtime.CallingConvention;
import dev.kiln.runtime.CodeCache;
import dev.kiln.runtime.InstalledCode;
import dev.kiln.runtime.NativeMemory;
import dev.kiln.runtime.Signature;
import dev.kiln.runtime.Upcall;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A module compiled to machine code and installed, ready to call: an {@link Instance} like the
 * {@link dev.kiln.ir.Interpreter}, with the same results, traps and side effects. Calls run on
 * the module's own runner thread (see {@link #call}); a Java import's callback runs there too and
 * may call back into the module.
 *
 * <p>Lifetime: the code, its context block and its memories are freed as a unit by
 * {@link #close()}, or by a Cleaner once the module is unreachable. Closing while one of its
 * functions runs (from a callback, or from another thread) throws {@link IllegalStateException}
 * and leaves the module open; calling a closed module throws too.
 */
public final class CompiledModule implements Instance {
  private static final Cleaner CLEANER = Cleaner.create();
  /** Native stack below the deepest allowed frames, for the JVM and the upcall helper. */
  private static final long RESERVE_BYTES = 2L << 20;
  private static final long MAX_STACK_BYTES = 4L << 30;
  /**
   * The least native stack of a runner thread, a main thread's usual 8 MiB: small frames make
   * the depth limit's share small, while the Java frames of nested callbacks it does not count
   * still need room.
   */
  private static final long MIN_STACK_BYTES = 8L << 20;

  private final Module module;
  private final ModuleEmitter.Emitted emitted;
  /** The statistics of a module compiled whole; null when its functions compile on first calls. */
  private final CompileStatistics statistics;
  /** The compiles still to come on first calls; null for a module compiled whole. */
  private final LazyCompilation lazy;
  /** Functions compiled on first calls, kept installed as long as the module; guarded by lock. */
  private final List<InstalledCode> compiledOnCall = new ArrayList<>();
  /** Installing the entry stub (and the whole module when it is not compiled lazily). */
  private final long installNanos;
  private final CallingConvention convention;
  private final boolean perfMap;
  private final State state;
  private final ByteBuffer context;
  private final long contextAddress;
  private final ByteBuffer[] memories;
  private final JavaCallback[] imports;
  private final long[] functionAddresses;
  /**
   * Where the entry stub calls each function (its adapter from the stack arguments), 0 for one
   * not compiled yet; written under {@link #lock} before {@link LazyCompilation#installed}.
   */
  private final long[] entryAddresses;
  private final int maxDepth;
  private final RunControl control;
  private final Upcall upcalls = new Upcalls();
  private final Cleaner.Cleanable cleanable;
  private final Object lock = new Object();
  /** Runs in progress, nested ones included; guarded by {@link #lock}. */
  private int running;
  private boolean closed;

  /** What is freed with the module, reachable from the Cleaner without the module. */
  private record State(CodeCache cache, NativeMemory context, List<NativeMemory> memories,
      Runner runner) implements Runnable {
    @Override
    public void run() {
      runner.shutdown();
      cache.close();
      context.close();
      for (NativeMemory m : memories) {
        m.close();
      }
    }
  }

  private CompiledModule(Module module, ModuleEmitter.Emitted emitted, CompileStatistics stats,
      LazyCompilation lazy, long installNanos, CompileOptions compileOptions, State state,
      InstalledCode entry, InstanceOptions options, ByteBuffer[] memories,
      long[] memoryAddresses, JavaCallback[] imports, long stackBudget) {
    this.module = module;
    this.emitted = emitted;
    this.statistics = stats;
    this.lazy = lazy;
    this.installNanos = installNanos;
    this.convention = compileOptions.convention();
    this.perfMap = compileOptions.perfMap();
    this.state = state;
    this.entry = entry;
    this.context = state.context.buffer().order(ByteOrder.LITTLE_ENDIAN);
    this.contextAddress = state.context.address();
    this.memories = memories;
    this.imports = imports;
    this.maxDepth = options.maxCallDepth();
    this.control = options.control();
    ContextBlock layout = emitted.context();
    functionAddresses = new long[emitted.functionOffsets().length];
    entryAddresses = new long[functionAddresses.length];
    for (int i = 0; i < functionAddresses.length; i++) {
      functionAddresses[i] = entry.address() + emitted.functionOffsets()[i];
      entryAddresses[i] =
          emitted.entryOffsets()[i] < 0 ? 0 : entry.address() + emitted.entryOffsets()[i];
      Function f = module.functions().get(i);
      int at = layout.functionEntry(i);
      context.putLong(at + ContextBlock.ENTRY_SIGNATURE,
          emitted.signatures().indexOf(f.signature()));
      context.putLong(at + ContextBlock.ENTRY_ADDRESS, functionAddresses[i]);
      context.putLong(at + ContextBlock.ENTRY_LEVELS, f.levels());
    }
    for (int i = 0; i < module.imports().size(); i++) {
      Long address = options.cBinding(module.imports().get(i).name());
      if (module.imports().get(i) instanceof CFunction) {
        context.putLong(layout.importAddress(i), address);
      }
    }
    for (int i = 0; i < memoryAddresses.length; i++) {
      context.putLong(layout.memoryBase(i), memoryAddresses[i]);
    }
    context.putLong(ContextBlock.STACK_BUDGET, stackBudget);
    context.putLong(ContextBlock.UNWIND, entry.address() + emitted.unwindOffset());
    this.cleanable = CLEANER.register(this, state);
  }

  private final InstalledCode entry;

  /**
   * Compiles and installs a verified module; with {@code inPlace} (its caller hands it over) the
   * IR passes edit the module itself instead of a copy.
   */
  static CompiledModule create(Module module, boolean inPlace, CompileOptions options,
      InstanceOptions instance) {
    JavaCallback[] imports = new JavaCallback[module.imports().size()];
    for (int i = 0; i < imports.length; i++) {
      if (module.imports().get(i) instanceof JavaFunction j) {
        imports[i] = j.callback() != null ? j.callback() : instance.binding(j.name());
        if (imports[i] == null) {
          throw new IllegalArgumentException("import @" + j.name() + " is not bound");
        }
      } else if (instance.cBinding(module.imports().get(i).name()) == null) {
        throw new IllegalArgumentException("C function @" + module.imports().get(i).name()
            + " is not bound (InstanceOptions.bindC)");
      }
    }
    Pipeline.Result r = null;
    LazyCompilation lazy = null;
    ModuleEmitter.Emitted emitted;
    if (options.lazy()) {
      lazy = new LazyCompilation(Pipeline.prepare(module, inPlace, options), options);
      emitted = lazy.emitStandIns();
    } else {
      r = Pipeline.run(module, inPlace, options, Thresholds.PARALLEL_MIN_INSTRUCTIONS);
      emitted = r.emitted();
    }
    long t0 = System.nanoTime();
    CodeCache cache = new CodeCache();
    List<NativeMemory> owned = new ArrayList<>();
    NativeMemory ctx = null;
    try {
      InstalledCode entry = cache.install(
          new CodeCache.Function(emitted.code(), Signature.longs(1), options.convention()));
      long installNanos = System.nanoTime() - t0;
      ctx = NativeMemory.allocate(emitted.context().size());
      ByteBuffer[] views = new ByteBuffer[module.memories().size()];
      long[] addresses = new long[views.length];
      for (Memory m : module.memories()) {
        ByteBuffer given = instance.memoryBuffer(m.name());
        ByteBuffer bytes;
        if (given != null) {
          if (given.capacity() < m.size()) {
            throw new IllegalArgumentException("the buffer for memory $" + m.name() + " has "
                + given.capacity() + " bytes, fewer than its " + m.size());
          }
          bytes = given.duplicate();
          addresses[m.index()] = NativeMemory.addressOf(given);
        } else {
          NativeMemory nm = NativeMemory.allocate(Math.max(1, m.size()));
          owned.add(nm);
          bytes = nm.buffer();
          addresses[m.index()] = nm.address();
        }
        bytes.clear().limit((int) m.size());
        views[m.index()] = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
      }
      long depthBytes = (long) instance.maxCallDepth() * (lazy != null
          ? lazy.maxActivationBytesPerLevel() : emitted.maxActivationBytes());
      long stackBytes = Math.min(MAX_STACK_BYTES,
          Math.max(MIN_STACK_BYTES, depthBytes + 2 * RESERVE_BYTES));
      Runner runner = new Runner(stackBytes);
      CompileStatistics stats = r == null ? null : new CompileStatistics(
          module.functions().size(), r.instructions(), r.spilledValues(), emitted.code().length,
          r.lowerNanos(), r.allocateNanos(), r.emitNanos(), installNanos, r.compileNanos(),
          r.passNanos(), 0);
      CompiledModule compiled = new CompiledModule(module, emitted, stats, lazy, installNanos,
          options, new State(cache, ctx, owned, runner), entry, instance, views, addresses,
          imports, stackBytes - 2 * RESERVE_BYTES + RESERVE_BYTES / 2);
      if (options.perfMap() && lazy == null) {
        PerfMap.append(module, compiled.functionAddresses, emitted.functionSizes());
      }
      return compiled;
    } catch (RuntimeException | Error e) {
      cache.close();
      if (ctx != null) {
        ctx.close();
      }
      for (NativeMemory m : owned) {
        m.close();
      }
      throw e;
    }
  }

  @Override
  public Module module() {
    return module;
  }

  /**
   * {@return what compiling the module took and made: so far, when its functions are compiled on
   * their first calls}
   */
  public CompileStatistics statistics() {
    if (lazy == null) {
      return statistics;
    }
    return lazy.statistics(emitted.code().length, installNanos);
  }

  /**
   * Where the entry stub calls function {@code i}, compiling and installing it first if it is not
   * yet, on the calling thread (a Java caller's, or the runner's in a stand-in's upcall), or
   * waiting for the helper that compiles it ahead, meanwhile compiling other functions ahead.
   */
  private long entryAddress(int i) {
    if (lazy == null) {
      return entryAddresses[i];
    }
    long t0 = System.nanoTime();
    for (int k = lazy.claim(i); k >= 0; k = lazy.claim(i)) {
      if (k == i) {
        install(i);
      } else {
        installAhead(k);
      }
    }
    lazy.firstCall(System.nanoTime() - t0);
    return entryAddresses[i];
  }

  /**
   * Compiles and installs function {@code i}, claimed by the calling thread, points its table
   * entry at it, and starts a helper compiling ahead what it calls.
   *
   * @throws RuntimeException (or Error) what compiling or installing it threw, which the
   *     function's later calls throw too
   */
  private void install(int i) {
    try {
      ModuleEmitter.FunctionCode code = lazy.compile(i);
      long t0 = System.nanoTime();
      InstalledCode installed = state.cache().install(new CodeCache.Function(code.code(),
          Signature.longs(1), convention, List.of(entry)));
      synchronized (lock) {
        ensureOpen(); // no write to a context block the close has freed
        compiledOnCall.add(installed);
        functionAddresses[i] = installed.address() + code.start();
        entryAddresses[i] = installed.address() + code.entry();
        // the table entry last: once code reads it, the function is installed
        context.putLong(emitted.context().functionEntry(i) + ContextBlock.ENTRY_ADDRESS,
            functionAddresses[i]);
      }
      lazy.installed(i, System.nanoTime() - t0);
      if (perfMap) {
        PerfMap.append(module.functions().get(i).name(), functionAddresses[i],
            code.code().length - code.start());
      }
    } catch (RuntimeException | Error e) {
      lazy.failed(i, e);
      throw e;
    }
    if (lazy.startsHelper()) {
      CompilerThreads.pool().execute(new CompileAhead(this));
    }
  }

  /**
   * A helper's work: compiling the functions that compiled ones call until none is left. A class,
   * not a lambda, since the first of a process would pay the lambda's bootstrap.
   */
  private static final class CompileAhead implements Runnable {
    private final CompiledModule module;

    CompileAhead(CompiledModule module) {
      this.module = module;
    }

    @Override
    public void run() {
      for (int i = module.lazy.claimAhead(); i >= 0; i = module.lazy.claimAhead()) {
        module.installAhead(i);
      }
    }
  }

  /** {@link #install}s function {@code i} before its first call, which throws any failure. */
  private void installAhead(int i) {
    try {
      install(i);
    } catch (RuntimeException | Error e) {
      // recorded: a call that reaches the function throws it
    }
  }

  /**
   * The machine code as a listing with the IR of each instruction as comments, or {@code null}
   * unless {@link CompileOptions#listing(boolean)} asked for it.
   *
   * @return the listing, or {@code null}
   */
  public String listing() {
    return emitted.listing() == null ? null : emitted.listing().toString();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The call runs on the module's runner thread, whose native stack holds the call-depth
   * limit's frames; the calling thread waits for it. An exception a Java callback throws
   * propagates out of this call as the same object.
   */
  @Override
  public Object call(String name, Object... args) {
    Function f = function(name);
    return Calls.box(f, run(f, Calls.unbox(f, args), Integer.MAX_VALUE));
  }

  /**
   * Runs {@code work} on the module's runner thread, where every call of this module that it
   * makes runs directly, without the hand-over between threads that each call from another
   * thread costs (microseconds): the fast path for many short calls.
   *
   * @param work the calls to make
   * @param <T> what {@code work} returns
   * @return what {@code work} returned
   * @throws IllegalStateException if the module is closed
   */
  public <T> T batch(Supplier<T> work) {
    synchronized (lock) {
      ensureOpen();
    }
    return state.runner().run(work::get);
  }

  @Override
  public long callRaw(String name, long... args) {
    return callRawWithin(Integer.MAX_VALUE, name, args);
  }

  /**
   * As {@link #callRaw}, with at most {@code levels} levels of the call-depth limit
   * ({@link InstanceOptions#maxCallDepth}) left to the call: for a caller that counts frames of
   * its own, such as an interpreter handing calls over to compiled code, so that both together
   * overflow where either alone would.
   *
   * @param levels the levels the call may take, its own frame's included
   * @param name the function's name, without {@code @}
   * @param args its raw arguments, one for each parameter
   * @return the raw result
   * @throws TrapException when the IR traps ({@link TrapKind#STACK_OVERFLOW} if even the called
   *     function's own frame takes more than {@code levels})
   */
  public long callRawWithin(int levels, String name, long... args) {
    Function f = function(name);
    Calls.checkRaw(f, args);
    return run(f, args.clone(), levels);
  }

  private Function function(String name) {
    synchronized (lock) {
      ensureOpen();
    }
    return Calls.function(module, name);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the instance is closed");
    }
  }

  @Override
  public ByteBuffer memory(String name) {
    Memory m = module.findMemory(name);
    if (m == null) {
      throw new IllegalArgumentException("the module has no memory $" + name);
    }
    synchronized (lock) {
      ensureOpen();
    }
    return memories[m.index()].duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  private long run(Function f, long[] args, int levels) {
    return state.runner().run(new Execution(this, f, args, levels));
  }

  /**
   * One call of {@link #execute}, handed to the runner: a class, not a lambda, since the first
   * call of a process would pay the lambda's bootstrap.
   */
  private static final class Execution implements Callable<Long> {
    private final CompiledModule module;
    private final Function f;
    private final long[] args;
    private final int levels;

    Execution(CompiledModule module, Function f, long[] args, int levels) {
      this.module = module;
      this.f = f;
      this.args = args;
      this.levels = levels;
    }

    @Override
    public Long call() {
      return module.execute(f, args, levels);
    }
  }

  /**
   * One run on the runner thread, taking at most {@code levels} levels of the call-depth limit;
   * an outermost run resets the depth, stack limit and poll.
   */
  private long execute(Function f, long[] args, int levels) {
    boolean outermost;
    synchronized (lock) {
      ensureOpen();
      outermost = running == 0;
      running++;
    }
    Watchdog watchdog = null;
    long left = -1;
    long outerLimit = context.getLong(ContextBlock.STACK_LIMIT);
    try {
      // On a thread already in compiled code (a callback's call), that code's limit holds; on a
      // fresh runner thread, 0 lets the entry stub compute it from the budget. Before the
      // watchdog starts, which lowers the limit when a trap is due at once.
      long floor = Runner.callbackFloor();
      if (floor != 0 || outermost) {
        context.putLong(ContextBlock.STACK_LIMIT, floor);
      }
      if (outermost) {
        context.putLong(ContextBlock.DEPTH_LEFT, maxDepth);
        watchdog = Watchdog.watch(control, context, ContextBlock.POLL, ContextBlock.STACK_LIMIT);
      }
      left = context.getLong(ContextBlock.DEPTH_LEFT);
      if (Math.min(left, levels) < f.levels()) {
        throw new TrapException(TrapKind.STACK_OVERFLOW, 0, Instruction.NO_POSITION, f.name(),
            0, 0);
      }
      context.putLong(ContextBlock.DEPTH_LEFT, Math.min(left, levels) - f.levels());
      for (int i = 0; i < args.length; i++) {
        context.putLong(ContextBlock.argument(i), args[i]);
      }
      context.putLong(ContextBlock.CALL_TARGET, entryAddress(f.index()));
      long status = entry.invokeWithUpcall(upcalls, contextAddress);
      if (status == ContextBlock.STATUS_TRAP) {
        throw trap();
      }
      if (status != ContextBlock.STATUS_OK) {
        throw new IllegalStateException("compiled code returned status " + status);
      }
      return context.getLong(ContextBlock.RESULT);
    } finally {
      if (left >= 0) {
        context.putLong(ContextBlock.DEPTH_LEFT, left); // the depth of the enclosing run
      }
      // a raised flag keeps the limit lowered for the enclosing run's prologues
      context.putLong(ContextBlock.STACK_LIMIT, outermost ? 0
          : context.get(ContextBlock.POLL) != 0 ? -1 : outerLimit);
      if (watchdog != null) {
        watchdog.close();
      }
      synchronized (lock) {
        running--;
      }
    }
  }

  private TrapException trap() {
    TrapKind kind = TrapKind.values()[(int) context.getLong(ContextBlock.TRAP_KIND)];
    boolean operands = kind == TrapKind.INDEX_OUT_OF_BOUNDS
        || kind == TrapKind.MEMORY_OUT_OF_BOUNDS;
    return new TrapException(kind, context.getLong(ContextBlock.TRAP_CODE),
        (int) context.getLong(ContextBlock.TRAP_POSITION),
        module.functions().get((int) context.getLong(ContextBlock.TRAP_FUNCTION)).name(),
        operands ? context.getLong(ContextBlock.TRAP_INDEX) : 0,
        operands ? context.getLong(ContextBlock.TRAP_LENGTH) : 0);
  }

  /**
   * The upcall helper's handler, {@link #upcall}: a class, not a method reference, since the
   * first call of a process would pay the lambda machinery's start-up.
   */
  private final class Upcalls implements Upcall {
    @Override
    public long upcall(long index, long kind, long unused) {
      return CompiledModule.this.upcall(index, kind, unused);
    }
  }

  /**
   * The upcall helper's handler: runs Java import {@code index} on the context's arguments, or
   * compiles function {@code index} for its lazy stub.
   */
  private long upcall(long index, long kind, long unused) {
    if (kind == ContextBlock.UPCALL_COMPILE) {
      entryAddress((int) index);
      return 0;
    }
    JavaCallback callback = imports[(int) index];
    int n = module.imports().get((int) index).signature().params().size();
    long[] args = new long[n];
    for (int i = 0; i < n; i++) {
      args[i] = context.getLong(ContextBlock.argument(i));
    }
    long outer = Runner.enterCallback(context.getLong(ContextBlock.STACK_LIMIT));
    try {
      long result = callback.call(args);
      context.putLong(ContextBlock.RESULT, result);
      return 0;
    } finally {
      Runner.leaveCallback(outer);
    }
  }

  /**
   * Frees the code, the context block and the memories the module allocated.
   *
   * @throws IllegalStateException if one of its functions is running
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (running > 0) {
        throw new IllegalStateException(
            "cannot close the compiled module while one of its functions runs");
      }
      closed = true;
    }
    if (lazy != null) {
      lazy.stop();
    }
    cleanable.clean();
  }
}
