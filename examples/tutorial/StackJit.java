package tutorial;

import dev.kiln.backend.Backend;
import dev.kiln.backend.CompileOptions;
import dev.kiln.backend.Instantiation;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.FunctionBuilder;
import dev.kiln.ir.Instance;
import dev.kiln.ir.InstanceOptions;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.JavaCallback;
import dev.kiln.ir.JavaFunction;
import dev.kiln.ir.Module;
import dev.kiln.ir.RunControl;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import dev.kiln.ir.Variable;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kiln tutorial: a toy stack language, the interpreter its author already has, and a JIT for
 * it onto the Kiln IR. Run it from the repository root after {@code mvn -o package -DskipTests}:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/kiln.jar examples/tutorial/StackJit.java \
 *     examples/tutorial/fib.stack 30 [--interp] [--stats] [--time-limit=SECONDS] [--dump-ir]
 * </pre>
 *
 * <p>The file has three parts: the language and its loader, the interpreter, and the JIT. Only the
 * JIT knows Kiln; docs/tutorial.md walks through all three.
 */
public final class StackJit {
  /** Values one call may hold on its operand stack. */
  public static final int MAX_STACK = 256;
  /** Locals (parameters included) of one function: indexes 0 to 255. */
  public static final int MAX_LOCALS = 256;
  /** Calls that may be active at once, main's included. */
  public static final int MAX_CALL_DEPTH = 10_000;

  private static final String USAGE = "usage: StackJit FILE.stack [ARG...] [--interp] [--stats]"
      + " [--time-limit=SECONDS] [--dump-ir]";

  private StackJit() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false);
    System.exit(run(args, out, System.err));
  }

  /**
   * Runs the command line {@code args}, printing the program's output to {@code out} and errors to
   * {@code err}.
   *
   * @return the exit status: 0 done, 1 the program is malformed, 2 bad command line or unreadable
   *     file, 3 runtime error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("StackJit: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    String text;
    try {
      text = Files.readString(Path.of(options.file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      err.println("StackJit: cannot read " + options.file + ": " + e.getMessage());
      return 2;
    }
    long start = System.nanoTime();
    long loaded = start;
    long compiled = start;
    boolean ran = false;
    try {
      Program program = Loader.load(text);
      Func main = program.main();
      if (main.params() != options.mainArgs.length && !options.dumpIr) {
        err.println("StackJit: main takes " + main.params() + " argument(s), "
            + options.mainArgs.length + " given\n" + USAGE);
        return 2;
      }
      loaded = System.nanoTime();
      if (options.interpret) {
        compiled = loaded;
        ran = true;
        new StackInterpreter(program, out, options.timeLimit).run(options.mainArgs);
      } else {
        Module module = Jit.compile(program, values -> {
          out.println(values[0]);
          return 0;
        });
        if (options.dumpIr) {
          out.print(module);
          return 0;
        }
        RunControl control = new RunControl();
        InstanceOptions instanceOptions =
            new InstanceOptions().maxCallDepth(MAX_CALL_DEPTH).control(control);
        // Compiled to x86-64 machine code or, where the OS refuses executable memory, in Kiln's
        // reference interpreter: an Instance with the same results, traps and output either way.
        Instantiation run =
            Backend.compileOrInterpret(module, new CompileOptions(), instanceOptions);
        if (!run.compiled()) {
          err.println("StackJit: warning: " + run.interpretedBecause() + "; interpreting");
        }
        try (Instance instance = run.instance()) {
          compiled = System.nanoTime();
          ran = true;
          if (options.timeLimit != null) { // counted from the start of main, as the interpreter's
            CompletableFuture.delayedExecutor(options.timeLimit.toNanos(), TimeUnit.NANOSECONDS)
                .execute(control::cancel);
          }
          instance.callRaw("main", options.mainArgs);
        } catch (TrapException trap) {
          throw Jit.runError(trap);
        }
      }
      if (out.checkError()) {
        err.println("StackJit: cannot write the output");
        return 3;
      }
      return 0;
    } catch (SourceError e) {
      err.println(e.format(options.file, text));
      return 1;
    } catch (RunError e) {
      out.flush();
      err.println(options.file + ":" + e.line + ": runtime error: " + e.getMessage()
          + " in function '" + e.function + "'");
      return 3;
    } finally {
      out.flush();
      if (options.stats && ran) {
        long end = System.nanoTime();
        err.printf("StackJit: load %.1f ms, %s%.1f ms%n", (loaded - start) / 1e6,
            options.interpret ? "run " : String.format("compile %.1f ms, run ",
                (compiled - loaded) / 1e6), (end - compiled) / 1e6);
      }
    }
  }

  /** The command line. */
  private static final class Options {
    String file;
    long[] mainArgs;
    boolean interpret;
    boolean stats;
    boolean dumpIr;
    Duration timeLimit;

    static Options parse(String[] args) {
      Options o = new Options();
      List<Long> numbers = new ArrayList<>();
      for (String a : args) {
        if (a.equals("--interp")) {
          o.interpret = true;
        } else if (a.equals("--stats")) {
          o.stats = true;
        } else if (a.equals("--dump-ir")) {
          o.dumpIr = true;
        } else if (a.startsWith("--time-limit=")) {
          o.timeLimit = seconds(a.substring("--time-limit=".length()));
        } else if (a.startsWith("--")) {
          throw new IllegalArgumentException("unknown option " + a);
        } else if (o.file == null) {
          o.file = a;
        } else {
          try {
            numbers.add(Long.parseLong(a));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an argument of main is a 64-bit integer, not '"
                + a + "'");
          }
        }
      }
      if (o.file == null) {
        throw new IllegalArgumentException("no program file given");
      }
      if (o.dumpIr && o.interpret) {
        throw new IllegalArgumentException("--dump-ir shows the JIT's output: drop --interp");
      }
      o.mainArgs = numbers.stream().mapToLong(Long::longValue).toArray();
      return o;
    }

    private static Duration seconds(String text) {
      try {
        double s = Double.parseDouble(text);
        if (s > 0 && s <= 1e6) {
          return Duration.ofNanos((long) (s * 1e9));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--time-limit takes seconds (more than 0), not '"
          + text + "'");
    }
  }
}

// ============================================================================================
// Part 1: the language. A program is a list of functions; a function is a list of instructions
// working on an operand stack of 64-bit ints and on numbered locals (the parameters are the first
// locals). Every function returns one int.
// ============================================================================================

/** The instructions, each with the kind of operand it takes. */
enum Op {
  PUSH(Operand.NUMBER), LOAD(Operand.LOCAL), STORE(Operand.LOCAL),
  ADD, SUB, MUL, DIV, MOD, NEG,
  LT, LE, GT, GE, EQ, NE,
  JUMP(Operand.LABEL), JZ(Operand.LABEL), JNZ(Operand.LABEL),
  CALL(Operand.FUNCTION), RET, PRINT, DUP, POP;

  enum Operand { NONE, NUMBER, LOCAL, LABEL, FUNCTION }

  final Operand operand;

  Op() {
    this(Operand.NONE);
  }

  Op(Operand operand) {
    this.operand = operand;
  }
}

/**
 * One instruction. {@code arg} is the constant of push, the local of load and store, the index of
 * the target instruction of a jump, or the index of the called function.
 */
record Insn(Op op, long arg, int line, int column) {}

/** A function: its parameters are locals 0 to params-1; the other locals start at 0. */
record Func(String name, int params, int locals, Insn[] code, int line) {}

/** A loaded program: the functions in file order, one of them main. */
record Program(List<Func> functions) {
  Func main() {
    return functions.stream().filter(f -> f.name().equals("main")).findFirst().orElseThrow();
  }
}

/** A mistake in the program's text, found before it runs: by the loader or by the JIT. */
final class SourceError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int line;
  final int column;

  /** {@code line} 0: a mistake of the whole file. */
  SourceError(String message, int line, int column) {
    super(message, null, false, false);
    this.line = line;
    this.column = column;
  }

  /** {@code FILE:LINE:COL: error: MESSAGE}, then the line and a caret under the column. */
  String format(String file, String text) {
    if (line == 0) {
      return file + ": error: " + getMessage();
    }
    String source = text.split("\r?\n", -1)[line - 1];
    StringBuilder caret = new StringBuilder();
    for (int i = 0; i < column - 1; i++) {
      caret.append(source.charAt(i) == '\t' ? '\t' : ' ');
    }
    return file + ":" + line + ":" + column + ": error: " + getMessage() + "\n" + source + "\n"
        + caret + "^";
  }
}

/** An error while the program runs, in either engine: the message, the function and the line. */
final class RunError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final String DIVISION_BY_ZERO = "division by zero";
  static final String TOO_DEEP = "stack overflow (more than " + StackJit.MAX_CALL_DEPTH
      + " nested calls)";
  static final String TIME_LIMIT = "time limit exceeded";
  static final String UNDERFLOW = "operand stack underflow";
  static final String OVERFLOW = "operand stack overflow (more than " + StackJit.MAX_STACK
      + " values)";
  final String function;
  final int line;

  RunError(String message, String function, int line) {
    super(message, null, false, false);
    this.function = function;
    this.line = line;
  }
}

/**
 * Reads the text form: one instruction per line ({@code push 3}, {@code add}, {@code jz done}),
 * {@code func NAME PARAMS} to start a function, {@code NAME:} for a label, {@code ;} comments.
 */
final class Loader {
  private static final Pattern TOKEN = Pattern.compile("\\S+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private record Token(String text, int line, int column) {}

  /** A function being read, with the jumps whose labels it resolves at its end. */
  private static final class Draft {
    final Token name;
    final int params;
    final List<Insn> code = new ArrayList<>();
    final List<Token> operands = new ArrayList<>(); // the operand token of each instruction
    final Map<String, Integer> labels = new LinkedHashMap<>();
    final Map<String, Token> labelTokens = new HashMap<>();
    int locals;

    Draft(Token name, int params) {
      this.name = name;
      this.params = params;
      this.locals = params;
    }
  }

  private Loader() {}

  /** The program in {@code text}, checked: every label, callee and operand exists and fits. */
  static Program load(String text) {
    List<Draft> drafts = new ArrayList<>();
    Map<String, Integer> functionIndex = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int l = 0; l < lines.length; l++) {
      List<Token> tokens = new ArrayList<>();
      String code = lines[l].split(";", 2)[0]; // the line without its comment
      for (Matcher m = TOKEN.matcher(code); m.find(); ) {
        tokens.add(new Token(m.group(), l + 1, m.start() + 1));
      }
      Draft current = drafts.isEmpty() ? null : drafts.get(drafts.size() - 1);
      if (!tokens.isEmpty() && tokens.get(0).text().equals("func")) {
        Draft d = function(tokens);
        Integer earlier = functionIndex.putIfAbsent(d.name.text(), drafts.size());
        if (earlier != null) {
          throw error(d.name, "function '" + d.name.text() + "' is already defined at line "
              + drafts.get(earlier).name.line());
        }
        drafts.add(d);
        continue;
      }
      if (!tokens.isEmpty() && tokens.get(0).text().endsWith(":")) {
        label(current, tokens.remove(0));
      }
      if (!tokens.isEmpty()) {
        instruction(current, tokens);
      }
    }
    List<Func> functions = new ArrayList<>();
    for (Draft d : drafts) {
      functions.add(finish(d, functionIndex));
    }
    if (!functionIndex.containsKey("main")) {
      throw new SourceError("no function 'main'", 0, 0);
    }
    return new Program(List.copyOf(functions));
  }

  private static Draft function(List<Token> tokens) {
    Token func = tokens.get(0);
    if (tokens.size() != 3) {
      throw error(func, "a function starts with 'func NAME PARAMS', e.g. 'func fib 1'");
    }
    Token name = tokens.get(1);
    if (!NAME.matcher(name.text()).matches()) {
      throw error(name, "a function name is letters, digits and '_', not '" + name.text() + "'");
    }
    int params = (int) number(tokens.get(2), 0, StackJit.MAX_LOCALS, "parameter count");
    return new Draft(name, params);
  }

  private static void label(Draft d, Token token) {
    String name = token.text().substring(0, token.text().length() - 1);
    if (d == null) {
      throw error(token, "label '" + name + "' outside a function: start one with 'func'");
    }
    if (!NAME.matcher(name).matches()) {
      throw error(token, "a label is letters, digits and '_' before ':', not '" + token.text()
          + "'");
    }
    Token earlier = d.labelTokens.putIfAbsent(name, token);
    if (earlier != null) {
      throw error(token, "label '" + name + "' is already defined at line " + earlier.line());
    }
    d.labels.put(name, d.code.size());
  }

  private static void instruction(Draft d, List<Token> tokens) {
    Token mnemonic = tokens.get(0);
    Op op = Arrays.stream(Op.values()).filter(o -> o.name().equalsIgnoreCase(mnemonic.text()))
        .findFirst().orElseThrow(() -> error(mnemonic, "unknown instruction '" + mnemonic.text()
            + "'"));
    if (d == null) {
      throw error(mnemonic, "instruction outside a function: start one with 'func'");
    }
    boolean wantsOperand = op.operand != Op.Operand.NONE;
    if (tokens.size() != (wantsOperand ? 2 : 1)) {
      Token at = tokens.size() > 1 ? tokens.get(wantsOperand ? 2 : 1) : mnemonic;
      throw error(at, wantsOperand ? "'" + mnemonic.text() + "' takes one operand"
          : "'" + mnemonic.text() + "' takes no operand");
    }
    Token operand = wantsOperand ? tokens.get(1) : null;
    long arg = switch (op.operand) {
      case NUMBER -> number(operand, Long.MIN_VALUE, Long.MAX_VALUE, "constant");
      case LOCAL -> number(operand, 0, StackJit.MAX_LOCALS - 1, "local index");
      default -> 0; // labels and functions are resolved at the function's end
    };
    if (op.operand == Op.Operand.LOCAL) {
      d.locals = Math.max(d.locals, (int) arg + 1);
    }
    d.code.add(new Insn(op, arg, mnemonic.line(), mnemonic.column()));
    d.operands.add(operand);
  }

  private static Func finish(Draft d, Map<String, Integer> functionIndex) {
    if (d.code.isEmpty()) {
      throw error(d.name, "function '" + d.name.text() + "' has no instructions");
    }
    Insn last = d.code.get(d.code.size() - 1);
    if (last.op() != Op.RET && last.op() != Op.JUMP) {
      throw new SourceError("function '" + d.name.text() + "' ends with '"
          + last.op().name().toLowerCase(Locale.ROOT)
          + "': its last instruction must be ret or jump",
          last.line(), last.column());
    }
    for (Map.Entry<String, Integer> label : d.labels.entrySet()) {
      if (label.getValue() == d.code.size()) {
        throw error(d.labelTokens.get(label.getKey()),
            "label '" + label.getKey() + "' marks no instruction");
      }
    }
    Insn[] code = d.code.toArray(new Insn[0]);
    for (int pc = 0; pc < code.length; pc++) {
      Token operand = d.operands.get(pc);
      Integer target = switch (code[pc].op().operand) {
        case LABEL -> d.labels.get(operand.text());
        case FUNCTION -> functionIndex.get(operand.text());
        default -> -1;
      };
      if (target == null) {
        throw error(operand, code[pc].op() == Op.CALL
            ? "no function '" + operand.text() + "'"
            : "no label '" + operand.text() + "' in function '" + d.name.text() + "'");
      }
      if (target >= 0) {
        code[pc] = new Insn(code[pc].op(), target, code[pc].line(), code[pc].column());
      }
    }
    return new Func(d.name.text(), d.params, d.locals, code, d.name.line());
  }

  private static long number(Token token, long min, long max, String what) {
    try {
      long n = Long.parseLong(token.text());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(token, "the " + what + " is an integer from " + min + " to " + max + ", not '"
        + token.text() + "'");
  }

  private static SourceError error(Token at, String message) {
    return new SourceError(message, at.line(), at.column());
  }
}

// ============================================================================================
// Part 2: the interpreter, the "toy language processor" the author already has. One array holds
// the locals and operands of every active call, frame after frame; every step checks what can go
// wrong.
// ============================================================================================

final class StackInterpreter {
  private final Program program;
  private final PrintStream out;
  private final boolean hasDeadline;
  private final long deadline;
  private long[] stack = new long[1024];
  private int sp; // the next free slot of stack
  private int operandBase; // where the current call's operands start, after its locals
  private int polls;
  private Func function; // the function running
  private Insn insn; // the instruction running, for error messages

  /** A caller waiting for its callee to return. */
  private record Frame(Func function, int returnPc, int base) {}

  StackInterpreter(Program program, PrintStream out, Duration timeLimit) {
    this.program = program;
    this.out = out;
    this.hasDeadline = timeLimit != null;
    this.deadline = System.nanoTime() + (timeLimit == null ? 0 : timeLimit.toNanos());
  }

  /** Runs main with {@code args}, its result ignored. */
  void run(long[] args) {
    ArrayDeque<Frame> callers = new ArrayDeque<>();
    function = program.main();
    System.arraycopy(args, 0, stack, 0, args.length);
    int base = 0; // the current call's locals are stack[base ...]
    enter(base);
    int pc = 0;
    while (true) {
      insn = function.code()[pc++];
      switch (insn.op()) {
        case PUSH -> push(insn.arg());
        case LOAD -> push(stack[base + (int) insn.arg()]);
        case STORE -> stack[base + (int) insn.arg()] = pop();
        case ADD -> { long y = pop(); push(pop() + y); }
        case SUB -> { long y = pop(); push(pop() - y); }
        case MUL -> { long y = pop(); push(pop() * y); }
        case DIV -> { long y = nonZero(pop()); push(pop() / y); } // Java's MIN / -1 is MIN
        case MOD -> { long y = nonZero(pop()); push(pop() % y); }
        case NEG -> push(-pop());
        case LT -> { long y = pop(); push(pop() < y ? 1 : 0); }
        case LE -> { long y = pop(); push(pop() <= y ? 1 : 0); }
        case GT -> { long y = pop(); push(pop() > y ? 1 : 0); }
        case GE -> { long y = pop(); push(pop() >= y ? 1 : 0); }
        case EQ -> { long y = pop(); push(pop() == y ? 1 : 0); }
        case NE -> { long y = pop(); push(pop() != y ? 1 : 0); }
        case JUMP -> pc = jump(pc);
        case JZ -> pc = pop() == 0 ? jump(pc) : pc;
        case JNZ -> pc = pop() != 0 ? jump(pc) : pc;
        case PRINT -> out.println(pop());
        case DUP -> { long v = pop(); push(v); push(v); }
        case POP -> pop();
        case CALL -> {
          Func callee = program.functions().get((int) insn.arg());
          if (callers.size() + 1 == StackJit.MAX_CALL_DEPTH) {
            throw error(RunError.TOO_DEEP, insn.line());
          }
          if (sp - operandBase < callee.params()) {
            throw error(RunError.UNDERFLOW, insn.line());
          }
          callers.push(new Frame(function, pc, base));
          function = callee;
          base = sp - callee.params(); // the arguments become the callee's first locals
          pc = 0;
          enter(base);
        }
        case RET -> {
          long result = pop();
          if (callers.isEmpty()) {
            return;
          }
          sp = base;
          Frame caller = callers.pop();
          function = caller.function();
          pc = caller.returnPc();
          base = caller.base();
          operandBase = base + function.locals();
          insn = function.code()[pc - 1]; // the call, if the result overflows its stack
          push(result);
        }
      }
    }
  }

  /** Starts the current function, whose arguments are in place at {@code stack[base ...]}. */
  private void enter(int base) {
    operandBase = base + function.locals();
    if (operandBase + StackJit.MAX_STACK > stack.length) {
      stack = Arrays.copyOf(stack, Math.max(2 * stack.length, operandBase + StackJit.MAX_STACK));
    }
    Arrays.fill(stack, base + function.params(), operandBase, 0);
    sp = operandBase;
    poll(function.line());
  }

  private int jump(int pc) {
    int target = (int) insn.arg();
    if (target < pc) {
      poll(insn.line()); // a backward jump may be a loop: check the clock
    }
    return target;
  }

  /** Checks the time limit, looking at the clock once every 1,024 calls. */
  private void poll(int line) {
    if (hasDeadline && (++polls & 1023) == 0 && System.nanoTime() - deadline >= 0) {
      throw error(RunError.TIME_LIMIT, line);
    }
  }

  private void push(long value) {
    if (sp - operandBase == StackJit.MAX_STACK) {
      throw error(RunError.OVERFLOW, insn.line());
    }
    stack[sp++] = value;
  }

  private long pop() {
    if (sp == operandBase) {
      throw error(RunError.UNDERFLOW, insn.line());
    }
    return stack[--sp];
  }

  private long nonZero(long divisor) {
    if (divisor == 0) {
      throw error(RunError.DIVISION_BY_ZERO, insn.line());
    }
    return divisor;
  }

  private RunError error(String message, int line) {
    return new RunError(message, function.name(), line);
  }
}

// ============================================================================================
// Part 3: the JIT. Each function of the program becomes a function of Kiln IR, and Kiln runs the
// module. Kiln checks division by zero, the call depth and the time limit itself, so the JIT
// contains no safety code and no machine code.
// ============================================================================================

/**
 * Translates the program into a Kiln IR module, one function at a time. The trick of the whole
 * JIT: the depth of the operand stack before each instruction depends only on the instructions,
 * not on the values, so it is a number known while translating, and "the value at stack position
 * 3" is just a variable, like a local. Kiln's builder turns variables into SSA values, so no stack
 * is left in the code that runs.
 */
final class Jit {
  private final Func func;
  private final FunctionBuilder b;
  private final List<Function> functions; // the IR function of each function of the program
  private final JavaFunction print;
  private final Variable[] locals;
  private final List<Variable> stack = new ArrayList<>(); // stack position i is variable i
  private final Block[] blockAt; // the block that starts at each instruction, or null
  private final int[] depthAt; // the stack depth where each block starts, -1 until reached
  private final ArrayDeque<Integer> work = new ArrayDeque<>(); // blocks reached, not translated
  private int sp; // the stack depth before the instruction being translated
  private Insn insn; // the instruction being translated, for error messages

  /** Translates {@code program} into one IR module whose print instructions call {@code print}. */
  static Module compile(Program program, JavaCallback print) {
    Module module = new Module();
    // print is Java code the IR calls: an import taking one i64 and returning nothing. The '.' in
    // its name keeps it apart from the program's function names.
    JavaFunction printImport =
        module.importJava("print.int", Signature.of(List.of(Type.I64), null), print);
    // Every function takes i64 parameters and returns an i64. Define them all before translating
    // any, so that a call can name a function further down the file.
    List<FunctionBuilder> builders = new ArrayList<>();
    for (Func f : program.functions()) {
      builders.add(module.define(f.name(),
          Signature.of(Collections.nCopies(f.params(), Type.I64), Type.I64)));
    }
    List<Function> functions = builders.stream().map(FunctionBuilder::function).toList();
    for (int i = 0; i < builders.size(); i++) {
      new Jit(program.functions().get(i), builders.get(i), functions, printImport).translate();
    }
    return module;
  }

  /** A trap of the IR in the interpreter's words; its position is the line we attached. */
  static RunError runError(TrapException trap) {
    String message = switch (trap.kind()) {
      case DIVISION_BY_ZERO -> RunError.DIVISION_BY_ZERO;
      case STACK_OVERFLOW -> RunError.TOO_DEEP;
      case CANCELLED -> RunError.TIME_LIMIT; // --time-limit cancels the run when it is up
      default -> trap.description(); // the IR we generate raises no other kind
    };
    return new RunError(message, trap.function(), trap.position());
  }

  private Jit(Func func, FunctionBuilder b, List<Function> functions, JavaFunction print) {
    this.func = func;
    this.b = b;
    this.functions = functions;
    this.print = print;
    this.locals = new Variable[func.locals()];
    this.blockAt = new Block[func.code().length];
    this.depthAt = new int[func.code().length];
  }

  private void translate() {
    Insn[] code = func.code();
    // 1. Each local becomes a variable. The parameters start as the function's arguments; a
    //    variable never assigned reads as 0, which is what the interpreter's locals start as.
    b.functionPosition(func.line()); // a time-limit trap on entry names the 'func' line
    for (int i = 0; i < locals.length; i++) {
      locals[i] = b.declare(Type.I64);
      if (i < func.params()) {
        b.def(locals[i], b.param(i));
      }
    }
    // 2. A block starts at the first instruction, at every jump target, and after every
    //    conditional jump (where it falls through). Creating the blocks in instruction order makes
    //    every jump back to an earlier block a loop's back edge, where the IR polls the clock.
    boolean[] starts = new boolean[code.length];
    starts[0] = true;
    for (int pc = 0; pc < code.length; pc++) {
      switch (code[pc].op()) {
        case JZ, JNZ -> starts[(int) code[pc].arg()] = starts[pc + 1] = true;
        case JUMP -> starts[(int) code[pc].arg()] = true;
        default -> { }
      }
    }
    for (int pc = 0; pc < code.length; pc++) {
      blockAt[pc] = starts[pc] ? b.newBlock() : null;
    }
    // 3. Translate each block a path from the entry reaches, once, knowing its stack depth. Code
    //    that no path reaches is never translated.
    Arrays.fill(depthAt, -1);
    b.jump(reach(0));
    while (!work.isEmpty()) {
      int pc = work.pop();
      b.switchTo(blockAt[pc]);
      sp = depthAt[pc];
      do {
        translate(code[pc], pc);
        pc++;
      } while (b.currentBlock() != null && blockAt[pc] == null);
      if (b.currentBlock() != null) {
        b.jump(reach(pc)); // the next instruction starts a block: fall through into it
      }
    }
    // 4. Done: the builder seals the blocks and removes the block parameters it did not need.
    b.finish();
  }

  /** Translates one instruction; its operands are the stack variables just below {@code sp}. */
  private void translate(Insn in, int pc) {
    insn = in;
    b.at(in.line()); // a trap in this instruction's IR reports its line
    switch (in.op()) {
      case PUSH -> push(b.iconst(in.arg()));
      case LOAD -> push(b.use(locals[(int) in.arg()]));
      case STORE -> b.def(locals[(int) in.arg()], pop());
      case ADD -> binary(b::iadd);
      case SUB -> binary(b::isub);
      case MUL -> binary(b::imul);
      case DIV -> binary(b::sdiv); // traps on zero; MIN / -1 is MIN, as in Java
      case MOD -> binary(b::srem);
      case NEG -> push(b.ineg(pop()));
      case LT -> binary((x, y) -> b.icmp(IntCond.SLT, x, y)); // 1 or 0
      case LE -> binary((x, y) -> b.icmp(IntCond.SLE, x, y));
      case GT -> binary((x, y) -> b.icmp(IntCond.SGT, x, y));
      case GE -> binary((x, y) -> b.icmp(IntCond.SGE, x, y));
      case EQ -> binary((x, y) -> b.icmp(IntCond.EQ, x, y));
      case NE -> binary((x, y) -> b.icmp(IntCond.NE, x, y));
      case DUP -> { Value v = pop(); push(v); push(v); }
      case POP -> pop();
      case PRINT -> b.call(print, pop());
      case CALL -> {
        Function callee = functions.get((int) in.arg());
        Value[] args = new Value[callee.signature().params().size()];
        for (int i = args.length - 1; i >= 0; i--) {
          args[i] = pop(); // the last argument is on top
        }
        push(b.call(callee, args)); // the IR counts the depth and traps beyond the limit
      }
      case RET -> b.ret(pop());
      case JUMP -> b.jump(reach((int) in.arg()));
      case JZ -> { Value c = pop(); b.brif(c, reach(pc + 1), reach((int) in.arg())); }
      case JNZ -> { Value c = pop(); b.brif(c, reach((int) in.arg()), reach(pc + 1)); }
    }
  }

  private void binary(BinaryOperator<Value> op) {
    Value y = pop();
    Value x = pop();
    push(op.apply(x, y));
  }

  private void push(Value v) {
    if (sp == StackJit.MAX_STACK) {
      throw error(RunError.OVERFLOW);
    }
    if (sp == stack.size()) {
      stack.add(b.declare(Type.I64)); // the first time the stack gets this deep
    }
    b.def(stack.get(sp++), v);
  }

  private Value pop() {
    if (sp == 0) {
      throw error(RunError.UNDERFLOW);
    }
    return b.use(stack.get(--sp));
  }

  /**
   * The block at {@code pc}, reached with the current depth. The first path to a block fixes its
   * depth and queues it for translation; every other path must agree, or a stack position would
   * hold different things on different paths.
   */
  private Block reach(int pc) {
    if (depthAt[pc] < 0) {
      depthAt[pc] = sp;
      work.push(pc);
    } else if (depthAt[pc] != sp) {
      throw error("the stack holds " + sp + " value(s) here but " + depthAt[pc]
          + " on another path to line " + func.code()[pc].line()
          + ": the JIT needs one stack depth per instruction");
    }
    return blockAt[pc];
  }

  private SourceError error(String message) {
    return new SourceError(message, insn.line(), insn.column());
  }
}
