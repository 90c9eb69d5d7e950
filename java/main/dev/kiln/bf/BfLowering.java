package dev.kiln.bf;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Module;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers {@link BfProgram} IR to a module of Kiln IR whose function {@code @run()} runs the
 * program. In a large program the outermost loops of about a quarter of it or less (but not much
 * less) become functions of their own, {@code @loopN(pointer) -> pointer} for the loop at
 * instruction N, which {@code @run} calls: the back end compiles a module's functions on several
 * threads, and a large program's compile is most of its time (each such loop is entered rarely,
 * so the calls cost nothing worth measuring).
 *
 * <p>The tape is memory {@code $tape} of one byte per cell, addressed by the cell index, so a
 * load or store outside it traps {@code MEMORY_OUT_OF_BOUNDS} with the cell index as the address
 * and the Brainfuck instruction's index as the position. The cell pointer is a value passed to
 * every block as its parameter (explicit SSA: linear in the program, however deep its loops). Output
 * goes to memory {@code $output} (an i64 byte count, then the bytes), drained by the Java import
 * {@code @flush()} when full and by the host after the run, so output before a trap is kept.
 * Input comes from {@code @read() -> i64} (-1 at end of input). Blocks are created in program
 * order, so the only branches to earlier blocks (where the back end polls its run control) are
 * the loop back edges.
 */
public final class BfLowering {
  /** The function that runs the program. */
  public static final String RUN = "run";
  /** The tape memory. */
  public static final String TAPE = "tape";
  /** The output memory: its byte count as an i64 at 0, then the bytes. */
  public static final String OUTPUT = "output";
  /** The import that writes out and empties the output memory. */
  public static final String FLUSH = "flush";
  /** The import that reads one byte of input, or -1 at its end. */
  public static final String READ = "read";
  /** Where the output bytes start in {@link #OUTPUT}. */
  public static final int OUTPUT_BYTES = 8;
  /** How many output bytes {@link #OUTPUT} holds before the code calls {@link #FLUSH}. */
  public static final int OUTPUT_CAPACITY = 4096;

  /**
   * The fewest Brainfuck IR instructions a program needs for its large loops to become functions
   * of their own, which the back end compiles on several threads. A smaller program compiles in
   * a few hundred milliseconds, where a second thread saves less than the cut costs its run: what
   * the passes know about the tape and the pointer does not cross a call.
   */
  static final int OUTLINE_MIN_INSTRUCTIONS = 4_000;
  /**
   * Into how many parts of about equal size the outlining aims to cut a large program: a loop of
   * at most this part of the program (and at least a quarter of such a part) becomes a function,
   * so that two compile threads get even shares while calls stay few and far between.
   */
  static final int OUTLINE_PARTS = 4;

  private final BfProgram program;
  private final FunctionBuilder b;
  private final Memory tape;
  private final Memory output;
  private final JavaFunction flush;
  private final JavaFunction read;
  /** The function of each loop made one, by the index of its JZ; null for every other index. */
  private final FunctionBuilder[] outlined;
  /** The cell pointer in the current block. */
  private Value pointer;
  /** The block starting at each instruction index that begins one (size + 1 entries). */
  private final Block[] blocks;
  /** The loop block of each SCAN instruction. */
  private final Block[] scanLoops;
  /** The block of each OUT instruction that flushes a full output memory, and the one after it. */
  private final Block[] flushes;
  private final Block[] afterFlushes;

  private BfLowering(BfProgram program, Memory[] memories, JavaFunction[] imports,
      FunctionBuilder b, FunctionBuilder[] outlined, Value pointer) {
    this.program = program;
    this.tape = memories[0];
    this.output = memories[1];
    this.flush = imports[0];
    this.read = imports[1];
    this.b = b;
    this.outlined = outlined;
    this.pointer = pointer;
    this.blocks = new Block[program.size() + 1];
    this.scanLoops = new Block[program.size()];
    this.flushes = new Block[program.size()];
    this.afterFlushes = new Block[program.size()];
  }

  /**
   * The module running {@code program} on a tape of {@code tapeCells} cells; its imports are bound
   * at instantiation ({@code InstanceOptions.bind}).
   */
  public static Module lower(BfProgram program, int tapeCells) {
    Module module = new Module();
    Memory[] memories = {module.memory(TAPE, tapeCells),
        module.memory(OUTPUT, OUTPUT_BYTES + OUTPUT_CAPACITY)};
    JavaFunction[] imports = {module.importJava(FLUSH, Signature.of(List.of(), null)),
        module.importJava(READ, Signature.of(List.of(), Type.I64))};
    FunctionBuilder run = module.define(RUN, Signature.of(List.of(), null));
    FunctionBuilder[] outlined = new FunctionBuilder[program.size()];
    List<Integer> loops = outlinedLoops(program);
    for (int k = 0; k < loops.size(); k++) {
      outlined[loops.get(k)] =
          module.define("loop" + loops.get(k), Signature.of(List.of(Type.I64), Type.I64));
    }
    new BfLowering(program, memories, imports, run, outlined, run.iconst(0))
        .lowerFunction(0, program.size());
    for (int k = 0; k < loops.size(); k++) {
      FunctionBuilder f = outlined[loops.get(k)];
      new BfLowering(program, memories, imports, f, outlined, f.param(0))
          .lowerFunction(loops.get(k), program.a(loops.get(k)));
    }
    return module;
  }

  /**
   * The JZ indexes of the loops that become functions of their own: in a program of at least
   * {@link #OUTLINE_MIN_INSTRUCTIONS}, the outermost loops of between a quarter of and one
   * {@link #OUTLINE_PARTS}th of it, in program order; a larger loop is looked into.
   */
  static List<Integer> outlinedLoops(BfProgram program) {
    List<Integer> loops = new ArrayList<>();
    int size = program.size();
    if (size < OUTLINE_MIN_INSTRUCTIONS) {
      return loops;
    }
    int most = size / OUTLINE_PARTS;
    int i = 0;
    while (i < size) {
      if (program.op(i) != BfProgram.JZ) {
        i++;
        continue;
      }
      int end = program.a(i); // the instruction after the loop's JNZ
      int length = end - i;
      if (length > most) {
        i++; // look inside
      } else {
        if (4 * length >= most) {
          loops.add(i);
        }
        i = end;
      }
    }
    return loops;
  }

  /**
   * Lowers instructions {@code [from, to)}, each loop made a function a call of it; the
   * function returns the pointer, or for {@code @run} flushes the output.
   */
  private void lowerFunction(int from, int to) {
    createBlocks(from, to);
    for (int i = from; i < to; i++) {
      enter(i, from);
      b.at(i);
      if (outlined[i] != null && i != from) {
        pointer = b.call(outlined[i].function(), pointer);
        i = program.a(i) - 1; // on after its JNZ
        continue;
      }
      lower(i);
    }
    enter(to, from);
    if (from == 0 && to == program.size()) {
      b.call(flush);
      b.ret();
    } else {
      b.ret(pointer);
    }
    b.sealAll();
    b.finish();
  }

  /**
   * Creates a block for each branch target, each instruction after a branch, each scan loop and
   * each output flush, in program order (the entry block is instruction 0's: nothing branches
   * back to it).
   */
  private void createBlocks(int from, int to) {
    boolean[] starts = new boolean[program.size() + 1];
    for (int i = from; i < to; i++) {
      int op = program.op(i);
      if (outlined[i] != null && i != from) {
        starts[program.a(i)] = true; // a call, then on after the loop
        i = program.a(i) - 1;
      } else if (op == BfProgram.JZ || op == BfProgram.JNZ) {
        starts[program.a(i)] = true;
        starts[i + 1] = true;
      }
    }
    for (int i = from; i <= to; i++) {
      if (i > from && starts[i]) {
        blocks[i] = newBlock();
      }
      if (i == to) {
        break;
      }
      if (outlined[i] != null && i != from) {
        i = program.a(i) - 1;
      } else if (program.op(i) == BfProgram.SCAN) {
        scanLoops[i] = newBlock();
      } else if (program.op(i) == BfProgram.OUT) {
        flushes[i] = newBlock();
        afterFlushes[i] = newBlock();
      }
    }
  }

  /** A block whose parameter is the cell pointer. */
  private Block newBlock() {
    Block block = b.newBlock();
    b.appendParam(block, Type.I64);
    return block;
  }

  /** Continues in {@code block}, whose parameter is the pointer from then on. */
  private void switchTo(Block block) {
    b.switchTo(block);
    pointer = block.params().get(0);
  }

  private void jump(Block target) {
    b.jump(target, pointer);
  }

  private void brif(Value c, Block then, Block otherwise) {
    b.brif(c, then, List.of(pointer), otherwise, List.of(pointer));
  }

  /** Continues in the block starting at instruction {@code i}, if one does. */
  private void enter(int i, int from) {
    if (i == from || blocks[i] == null) {
      return;
    }
    if (b.currentBlock() != null) {
      jump(blocks[i]);
    }
    switchTo(blocks[i]);
  }

  private void lower(int i) {
    int x = program.a(i);
    int y = program.b(i);
    switch (program.op(i)) {
      case BfProgram.ADD -> store(x, b.iadd(load(x), b.iconst(y)));
      case BfProgram.SET -> store(x, b.iconst(y));
      case BfProgram.MOVE -> pointer = b.iadd(pointer, b.iconst(x));
      case BfProgram.OUT -> write(load(x), flushes[i], afterFlushes[i]);
      case BfProgram.IN -> {
        Value c = b.call(read);
        // At end of input the cell keeps its value, but is still accessed (and so checked).
        store(x, b.select(b.icmp(IntCond.SGE, c, b.iconst(0)), c, load(x)));
      }
      case BfProgram.JZ -> brif(load(0), blocks[i + 1], blocks[x]);
      case BfProgram.JNZ -> brif(load(0), blocks[x], blocks[i + 1]);
      case BfProgram.MUL -> {
        Value count = load(0);
        Value target = load(x);
        store(x, switch (y) {
          case 1 -> b.iadd(target, count);
          case 255 -> b.isub(target, count);
          default -> b.iadd(target, b.imul(count, b.iconst(y)));
        });
      }
      case BfProgram.SCAN -> {
        Block loop = scanLoops[i];
        jump(loop);
        switchTo(loop);
        pointer = b.iadd(pointer, b.iconst(x));
        brif(load(0), loop, blocks[i + 1]);
      }
      default -> throw new IllegalStateException("bad Brainfuck IR op " + program.op(i));
    }
  }

  private Value load(int offset) {
    return b.load(MemType.U8, tape, Address.at(pointer, offset));
  }

  private void store(int offset, Value value) {
    b.store(MemType.I8, tape, Address.at(pointer, offset), value);
  }

  /** Appends {@code value} to the output memory, flushing it when full. */
  private void write(Value value, Block full, Block done) {
    Value count = b.load(MemType.I64, output, Address.at(b.iconst(0)));
    b.store(MemType.I8, output, Address.at(count, OUTPUT_BYTES), value);
    Value next = b.iadd(count, b.iconst(1));
    b.store(MemType.I64, output, Address.at(b.iconst(0)), next);
    brif(b.icmp(IntCond.EQ, next, b.iconst(OUTPUT_CAPACITY)), full, done);
    switchTo(full);
    b.call(flush);
    jump(done);
    switchTo(done);
  }
}
