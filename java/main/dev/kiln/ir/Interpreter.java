package dev.kiln.ir;

import static dev.kiln.ir.DecodedFunction.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference interpreter: it defines what IR means, is the oracle compiled code is tested
 * against, and runs a module where executable memory is refused. Each function is decoded once
 * into a flat {@code int[]} ({@link DecodedFunction}); values live in {@code long} slots (floats
 * as raw bits) of frames on an explicit stack, so the depth of IR recursion does not depend on the
 * Java stack.
 */
public final class Interpreter implements Instance {
  /** Back edges and function entries between two looks at the {@link RunControl}. */
  private static final int POLL_INTERVAL = 1024;
  private static final IntCond[] INT_CONDS = IntCond.values();
  private static final FloatCond[] FLOAT_CONDS = FloatCond.values();
  private static final MemType[] MEM_TYPES = MemType.values();

  private final Module module;
  private final DecodedFunction[] functions;
  private final int[] functionSignature;
  private final JavaCallback[] imports;
  private final ByteBuffer[] memories;
  private final long[] memorySizes;
  private final int maxDepth;
  private final RunControl control;
  /** A stack no run is using, kept for the next call. */
  private Stack idle;
  /** The call depth of the innermost run in progress: a Java import may call back in. */
  private int activeDepth;
  /** Runs in progress: the outermost one and those its Java callbacks started. */
  private int runs;
  /** When the outermost run in progress started, for the control's time limit. */
  private long runStart;
  private boolean closed;

  /** The frames of one run: value slots and the return records of the calls in progress. */
  private static final class Stack {
    long[] slots = new long[1024];
    long[] scratch = new long[16];
    DecodedFunction[] function = new DecodedFunction[64];
    int[] pc = new int[64];
    int[] fp = new int[64];
    int[] dst = new int[64];
  }

  private Interpreter(Module module, InstanceOptions options) {
    this.module = module;
    List<Signature> signatures = new ArrayList<>();
    List<Function> fs = module.functions();
    functionSignature = new int[fs.size()];
    for (int i = 0; i < fs.size(); i++) {
      int sig = signatures.indexOf(fs.get(i).signature());
      if (sig < 0) {
        sig = signatures.size();
        signatures.add(fs.get(i).signature());
      }
      functionSignature[i] = sig;
    }
    functions = new DecodedFunction[fs.size()];
    for (int i = 0; i < fs.size(); i++) {
      functions[i] = DecodedFunction.decode(fs.get(i), signatures);
    }
    imports = new JavaCallback[module.imports().size()];
    for (int i = 0; i < imports.length; i++) {
      if (module.imports().get(i) instanceof JavaFunction j) {
        imports[i] = j.callback() != null ? j.callback() : options.bindings.get(j.name());
        if (imports[i] == null) {
          throw new IllegalArgumentException("import @" + j.name() + " is not bound");
        }
      }
    }
    memories = new ByteBuffer[module.memories().size()];
    memorySizes = new long[memories.length];
    for (Memory m : module.memories()) {
      ByteBuffer given = options.memories.get(m.name());
      if (given != null && given.capacity() < m.size()) {
        throw new IllegalArgumentException("the buffer for memory $" + m.name() + " has "
            + given.capacity() + " bytes, fewer than its " + m.size());
      }
      ByteBuffer view = given != null ? given.duplicate()
          : ByteBuffer.allocateDirect((int) m.size());
      view.clear().limit((int) m.size());
      memories[m.index()] = view.slice().order(ByteOrder.LITTLE_ENDIAN);
      memorySizes[m.index()] = m.size();
    }
    maxDepth = options.maxCallDepth;
    control = options.control;
  }

  /**
   * {@link #instantiate(Module, InstanceOptions)} with the default options.
   *
   * @param module the module to run
   * @return the instance
   * @throws IrVerificationException if the module is malformed
   * @throws IllegalArgumentException if a Java import is not bound
   */
  public static Interpreter instantiate(Module module) {
    return instantiate(module, new InstanceOptions());
  }

  /**
   * Verifies {@code module}, binds its imports and memories, and decodes its functions.
   *
   * @param module the module to run
   * @param options its bindings, memories, call-depth limit and run control
   * @return the instance
   * @throws IrVerificationException if the module is malformed
   * @throws IllegalArgumentException if a Java import is not bound or a memory buffer is too small
   */
  public static Interpreter instantiate(Module module, InstanceOptions options) {
    module.verify();
    return new Interpreter(module, options);
  }

  @Override
  public Module module() {
    return module;
  }

  @Override
  public Object call(String name, Object... args) {
    Function f = function(name);
    return Calls.box(f, run(f.index(), Calls.unbox(f, args)));
  }

  @Override
  public long callRaw(String name, long... args) {
    Function f = function(name);
    Calls.checkRaw(f, args);
    return run(f.index(), args.clone());
  }

  private Function function(String name) {
    if (closed) {
      throw new IllegalStateException("the instance is closed");
    }
    return Calls.function(module, name);
  }

  @Override
  public ByteBuffer memory(String name) {
    Memory m = module.findMemory(name);
    if (m == null) {
      throw new IllegalArgumentException("the module has no memory $" + name);
    }
    return memories[m.index()].duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void close() {
    closed = true;
    idle = null;
  }

  private long run(int function, long[] args) {
    Stack stack = idle != null ? idle : new Stack();
    idle = null;
    int outerDepth = activeDepth;
    if (runs++ == 0) {
      runStart = System.nanoTime();
    }
    try {
      return execute(stack, functions[function], args, outerDepth);
    } finally {
      runs--;
      activeDepth = outerDepth;
      idle = stack;
    }
  }

  private TrapException trap(TrapKind kind, long code, int position, DecodedFunction f,
      long index, long length) {
    return new TrapException(kind, code, position, f.name, index, length);
  }

  private void poll(DecodedFunction f, int position) {
    TrapKind due = control.due(runStart);
    if (due != null) {
      throw trap(due, 0, position, f, 0, 0);
    }
  }

  /** The interpreter loop; {@code depth} counts the frames of this run and the runs around it. */
  private long execute(Stack st, DecodedFunction fn, long[] args, int outerDepth) {
    final boolean polling = control != null;
    int countdown = 1; // the first function entry looks at the control at once
    // depth counts levels: a frame takes its function's levels (1 unless declared)
    if (outerDepth > maxDepth - fn.levels) {
      throw trap(TrapKind.STACK_OVERFLOW, 0, Instruction.NO_POSITION, fn, 0, 0);
    }
    int depth = outerDepth + fn.levels;
    int frame = 0; // frames of this run below the current one
    long[] s = st.slots;
    if (fn.frameSize > s.length) {
      s = st.slots = Arrays.copyOf(s, fn.frameSize * 2);
    }
    int fp = 0;
    for (int i = 0; i < args.length; i++) {
      s[fn.paramSlots[i]] = args[i];
    }
    int[] code = fn.code;
    long[] k = fn.constants;
    int pc = 0;
    if (polling && --countdown == 0) {
      countdown = POLL_INTERVAL;
      poll(fn, fn.function.position());
    }
    while (true) {
      switch (code[pc]) {
        case CONST -> {
          s[fp + code[pc + 1]] = k[code[pc + 2]];
          pc += 3;
        }
        case IADD -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] + s[fp + code[pc + 3]];
          pc += 4;
        }
        case ISUB -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] - s[fp + code[pc + 3]];
          pc += 4;
        }
        case IMUL -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] * s[fp + code[pc + 3]];
          pc += 4;
        }
        case SMULHI -> {
          s[fp + code[pc + 1]] = Math.multiplyHigh(s[fp + code[pc + 2]], s[fp + code[pc + 3]]);
          pc += 4;
        }
        case UMULHI -> {
          s[fp + code[pc + 1]] = unsignedMultiplyHigh(s[fp + code[pc + 2]], s[fp + code[pc + 3]]);
          pc += 4;
        }
        case BAND -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] & s[fp + code[pc + 3]];
          pc += 4;
        }
        case BOR -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] | s[fp + code[pc + 3]];
          pc += 4;
        }
        case BXOR -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] ^ s[fp + code[pc + 3]];
          pc += 4;
        }
        // Java's long shifts use the count's low six bits: the count mod 64, also when negative.
        case ISHL -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] << s[fp + code[pc + 3]];
          pc += 4;
        }
        case SSHR -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] >> s[fp + code[pc + 3]];
          pc += 4;
        }
        case USHR -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] >>> s[fp + code[pc + 3]];
          pc += 4;
        }
        // Java defines MIN / -1 == MIN and MIN % -1 == 0, as the IR does.
        case SDIV, SREM, UDIV, UREM -> {
          long a = s[fp + code[pc + 2]];
          long b = s[fp + code[pc + 3]];
          if (b == 0) {
            throw trap(TrapKind.DIVISION_BY_ZERO, 0, code[pc + 4], fn, 0, 0);
          }
          s[fp + code[pc + 1]] = switch (code[pc]) {
            case SDIV -> a / b;
            case SREM -> a % b;
            case UDIV -> Long.divideUnsigned(a, b);
            default -> Long.remainderUnsigned(a, b);
          };
          pc += 5;
        }
        case FADD -> {
          s[fp + code[pc + 1]] = Double.doubleToRawLongBits(
              Double.longBitsToDouble(s[fp + code[pc + 2]])
                  + Double.longBitsToDouble(s[fp + code[pc + 3]]));
          pc += 4;
        }
        case FSUB -> {
          s[fp + code[pc + 1]] = Double.doubleToRawLongBits(
              Double.longBitsToDouble(s[fp + code[pc + 2]])
                  - Double.longBitsToDouble(s[fp + code[pc + 3]]));
          pc += 4;
        }
        case FMUL -> {
          s[fp + code[pc + 1]] = Double.doubleToRawLongBits(
              Double.longBitsToDouble(s[fp + code[pc + 2]])
                  * Double.longBitsToDouble(s[fp + code[pc + 3]]));
          pc += 4;
        }
        case FDIV -> {
          s[fp + code[pc + 1]] = Double.doubleToRawLongBits(
              Double.longBitsToDouble(s[fp + code[pc + 2]])
                  / Double.longBitsToDouble(s[fp + code[pc + 3]]));
          pc += 4;
        }
        case INEG -> {
          s[fp + code[pc + 1]] = -s[fp + code[pc + 2]];
          pc += 3;
        }
        case BNOT -> {
          s[fp + code[pc + 1]] = ~s[fp + code[pc + 2]];
          pc += 3;
        }
        case FNEG -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] ^ Long.MIN_VALUE;
          pc += 3;
        }
        case FABS -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]] & Long.MAX_VALUE;
          pc += 3;
        }
        case FSQRT -> {
          s[fp + code[pc + 1]] = Double.doubleToRawLongBits(
              Math.sqrt(Double.longBitsToDouble(s[fp + code[pc + 2]])));
          pc += 3;
        }
        case FCVT_FROM_SINT -> {
          s[fp + code[pc + 1]] = Double.doubleToRawLongBits((double) s[fp + code[pc + 2]]);
          pc += 3;
        }
        case FCVT_TO_SINT_SAT -> {
          s[fp + code[pc + 1]] = (long) Double.longBitsToDouble(s[fp + code[pc + 2]]);
          pc += 3;
        }
        case COPY -> {
          s[fp + code[pc + 1]] = s[fp + code[pc + 2]];
          pc += 3;
        }
        case SELECT -> {
          s[fp + code[pc + 1]] =
              s[fp + code[pc + 2]] != 0 ? s[fp + code[pc + 3]] : s[fp + code[pc + 4]];
          pc += 5;
        }
        case TRAP -> throw trap(TrapKind.USER, k[code[pc + 1]], code[pc + 2], fn, 0, 0);
        case TRAPNZ -> {
          if (s[fp + code[pc + 1]] != 0) {
            throw trap(TrapKind.USER, k[code[pc + 2]], code[pc + 3], fn, 0, 0);
          }
          pc += 4;
        }
        case TRAPZ -> {
          if (s[fp + code[pc + 1]] == 0) {
            throw trap(TrapKind.USER, k[code[pc + 2]], code[pc + 3], fn, 0, 0);
          }
          pc += 4;
        }
        case BOUNDS_CHECK -> {
          long index = s[fp + code[pc + 1]];
          long length = s[fp + code[pc + 2]];
          if (Long.compareUnsigned(index, length) >= 0) {
            throw trap(TrapKind.INDEX_OUT_OF_BOUNDS, 0, code[pc + 3], fn, index, length);
          }
          pc += 4;
        }
        case FUNC_REF -> {
          s[fp + code[pc + 1]] = code[pc + 2];
          pc += 3;
        }
        case CALL, CALL_INDIRECT -> {
          int dst = code[pc + 1];
          DecodedFunction callee;
          int argsAt;
          int position;
          if (code[pc] == CALL) {
            callee = functions[code[pc + 2]];
            position = code[pc + 3];
            argsAt = pc + 4;
          } else {
            long handle = s[fp + code[pc + 3]];
            position = code[pc + 4];
            if (handle < 0 || handle >= functions.length
                || functionSignature[(int) handle] != code[pc + 2]) {
              throw trap(TrapKind.BAD_INDIRECT_CALL, 0, position, fn, 0, 0);
            }
            callee = functions[(int) handle];
            argsAt = pc + 5;
          }
          if (depth > maxDepth - callee.levels) {
            throw trap(TrapKind.STACK_OVERFLOW, 0, position, fn, 0, 0);
          }
          int n = code[argsAt];
          int calleeFp = fp + fn.frameSize;
          if (calleeFp + callee.frameSize > s.length) {
            s = st.slots = Arrays.copyOf(s, Math.max(s.length * 2, calleeFp + callee.frameSize));
          }
          for (int i = 0; i < n; i++) {
            s[calleeFp + callee.paramSlots[i]] = s[fp + code[argsAt + 1 + i]];
          }
          if (frame == st.pc.length) {
            grow(st);
          }
          st.function[frame] = fn;
          st.pc[frame] = argsAt + 1 + n;
          st.fp[frame] = fp;
          st.dst[frame] = dst;
          frame++;
          depth += callee.levels;
          fn = callee;
          fp = calleeFp;
          code = fn.code;
          k = fn.constants;
          pc = 0;
          if (polling && --countdown == 0) {
            countdown = POLL_INTERVAL;
            poll(fn, fn.function.position());
          }
        }
        case CALL_JAVA -> {
          int n = code[pc + 4];
          long[] a = new long[n];
          for (int i = 0; i < n; i++) {
            a[i] = s[fp + code[pc + 5 + i]];
          }
          activeDepth = depth;
          long r = imports[code[pc + 2]].call(a);
          if (code[pc + 1] >= 0) {
            s[fp + code[pc + 1]] = r;
          }
          pc += 5 + n;
        }
        case CALL_C -> throw new UnsupportedOperationException("@" + fn.name + " calls the C"
            + " function @" + module.imports().get(code[pc + 1]).name()
            + ": the interpreter cannot call C functions");
        case JUMP -> {
          if (polling && code[pc + 3] != 0 && --countdown == 0) {
            countdown = POLL_INTERVAL;
            poll(fn, code[pc + 1]);
          }
          pc = takeEdge(st, s, fp, code, pc + 2);
        }
        case BRIF -> {
          int edge = pc + 3;
          if (s[fp + code[pc + 1]] == 0) {
            edge += 3 + 2 * code[edge + 2];
          }
          if (polling && code[edge + 1] != 0 && --countdown == 0) {
            countdown = POLL_INTERVAL;
            poll(fn, code[pc + 2]);
          }
          pc = takeEdge(st, s, fp, code, edge);
        }
        case DEPTH_ENTER -> {
          if (depth > maxDepth - code[pc + 1]) {
            throw trap(TrapKind.STACK_OVERFLOW, 0, code[pc + 2], fn, 0, 0);
          }
          depth += code[pc + 1];
          pc += 3;
        }
        case DEPTH_LEAVE -> {
          // clamped so that a wrong count cannot wrap the depth; docs/ir.md leaves it unspecified
          depth -= (int) Math.max(0, Math.min(depth, s[fp + code[pc + 1]]));
          pc += 2;
        }
        case RETURN -> {
          long result = code[pc + 1] < 0 ? 0 : s[fp + code[pc + 1]];
          if (frame == 0) {
            return result;
          }
          frame--;
          depth -= fn.levels;
          fn = st.function[frame];
          st.function[frame] = null;
          pc = st.pc[frame];
          fp = st.fp[frame];
          code = fn.code;
          k = fn.constants;
          if (st.dst[frame] >= 0) {
            s[fp + st.dst[frame]] = result;
          }
        }
        default -> {
          int op = code[pc];
          if (op >= ICMP && op < FCMP) {
            s[fp + code[pc + 1]] = INT_CONDS[op - ICMP]
                .test(s[fp + code[pc + 2]], s[fp + code[pc + 3]]) ? 1 : 0;
            pc += 4;
          } else if (op >= FCMP && op < SELECT) {
            s[fp + code[pc + 1]] = FLOAT_CONDS[op - FCMP].test(
                Double.longBitsToDouble(s[fp + code[pc + 2]]),
                Double.longBitsToDouble(s[fp + code[pc + 3]])) ? 1 : 0;
            pc += 4;
          } else if (op >= LOAD && op < STORE) {
            MemType type = MEM_TYPES[op - LOAD];
            int at = address(s, fp, code, pc, type.width(), fn);
            ByteBuffer m = memories[code[pc + 2]];
            s[fp + code[pc + 1]] = switch (type) {
              case I8 -> m.get(at);
              case U8 -> m.get(at) & 0xFF;
              case I16 -> m.getShort(at);
              case U16 -> m.getShort(at) & 0xFFFF;
              case I32 -> m.getInt(at);
              case U32 -> m.getInt(at) & 0xFFFF_FFFFL;
              case I64, F64 -> m.getLong(at);
            };
            pc += 8;
          } else if (op >= STORE && op < TRAP) {
            MemType type = MEM_TYPES[op - STORE];
            int at = address(s, fp, code, pc, type.width(), fn);
            ByteBuffer m = memories[code[pc + 2]];
            long v = s[fp + code[pc + 1]];
            switch (type) {
              case I8 -> m.put(at, (byte) v);
              case I16 -> m.putShort(at, (short) v);
              case I32 -> m.putInt(at, (int) v);
              default -> m.putLong(at, v);
            }
            pc += 8;
          } else {
            throw new AssertionError("bad operation " + op + " at " + pc + " in @" + fn.name);
          }
        }
      }
    }
  }

  /**
   * The checked effective address of the access at {@code pc}: {@code base + index*scale +
   * offset} with wrapping arithmetic, which must be at least 0 and leave {@code width} bytes.
   */
  private int address(long[] s, int fp, int[] code, int pc, int width, DecodedFunction fn) {
    int index = code[pc + 4];
    long ea = s[fp + code[pc + 3]] + (index < 0 ? 0 : s[fp + index] * code[pc + 5])
        + code[pc + 6];
    long size = memorySizes[code[pc + 2]];
    if (ea < 0 || ea > size - width) {
      throw trap(TrapKind.MEMORY_OUT_OF_BOUNDS, 0, code[pc + 7], fn, ea, size);
    }
    return (int) ea;
  }

  /**
   * Passes the edge's arguments to its target's parameters as a parallel copy (an argument may be
   * a parameter of the same block) and returns the target's pc.
   */
  /** The high half of the unsigned product: the signed one corrected for each negative operand. */
  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  private static int takeEdge(Stack st, long[] s, int fp, int[] code, int edge) {
    int n = code[edge + 2];
    int args = edge + 3;
    int params = args + n;
    if (n == 1) {
      s[fp + code[params]] = s[fp + code[args]];
    } else if (n > 1) {
      long[] tmp = st.scratch.length >= n ? st.scratch : (st.scratch = new long[n]);
      for (int i = 0; i < n; i++) {
        tmp[i] = s[fp + code[args + i]];
      }
      for (int i = 0; i < n; i++) {
        s[fp + code[params + i]] = tmp[i];
      }
    }
    return code[edge];
  }

  private static void grow(Stack st) {
    int n = st.pc.length * 2;
    st.function = Arrays.copyOf(st.function, n);
    st.pc = Arrays.copyOf(st.pc, n);
    st.fp = Arrays.copyOf(st.fp, n);
    st.dst = Arrays.copyOf(st.dst, n);
  }
}
