package dev.kiln.bytecode;

/**
 * The Kiln instruction set: opcode numbers, their names and operand shapes. See
 * {@code package-info.java} for the machine model. Each instruction is the opcode followed
 * inline by its operands in the shape's order; the operand letters are:
 *
 * <ul>
 *   <li>{@code d} destination slot, {@code s} source slot (frame-relative indices);
 *   <li>{@code i} a 32-bit immediate, {@code k} an index into the 64-bit constant pool,
 *       {@code c} an index into the string pool;
 *   <li>{@code t} a branch target: an absolute offset into the program's code array;
 *   <li>{@code f} a function index, {@code p} a position-table index (for error messages),
 *       {@code n} a flag (1 = last argument of {@code print}).
 * </ul>
 *
 * <p>The name and shape tables below are in opcode order; the constants are the switch labels of
 * the interpreter and the JIT.
 */
public final class Op {
  /** {@code MOV d s}: d = s. */
  public static final int MOV = 0;
  /** {@code CONST_I d i}: d = imm (a 32-bit int, sign-extended). */
  public static final int CONST_I = 1;
  /** {@code CONST_K d k}: d = constants[k] (a 64-bit int or the raw bits of a float). */
  public static final int CONST_K = 2;
  /** {@code ADD_I d s s}: d = a + b (wrapping). */
  public static final int ADD_I = 3;
  /** {@code SUB_I d s s}: d = a - b. */
  public static final int SUB_I = 4;
  /** {@code MUL_I d s s}: d = a * b. */
  public static final int MUL_I = 5;
  /** {@code DIV_I d s s p}: d = a / b, truncating; division by zero fails; MIN / -1 = MIN. */
  public static final int DIV_I = 6;
  /** {@code REM_I d s s p}: d = a % b, sign of a; division by zero fails; MIN % -1 = 0. */
  public static final int REM_I = 7;
  /** {@code AND_I d s s}: d = a & b. */
  public static final int AND_I = 8;
  /** {@code OR_I d s s}: d = a | b. */
  public static final int OR_I = 9;
  /** {@code XOR_I d s s}: d = a ^ b. */
  public static final int XOR_I = 10;
  /** {@code SHL_I d s s}: d = a << (b mod 64). */
  public static final int SHL_I = 11;
  /** {@code SHR_I d s s}: d = a >> (b mod 64), arithmetic. */
  public static final int SHR_I = 12;
  /** {@code USHR_I d s s}: d = a >>> (b mod 64), logical. */
  public static final int USHR_I = 13;
  /** {@code ADD_I_IMM d s i}: d = a + imm. */
  public static final int ADD_I_IMM = 14;
  /** {@code MUL_I_IMM d s i}: d = a * imm. */
  public static final int MUL_I_IMM = 15;
  /** {@code DIV_I_IMM d s i}: d = a / imm (imm is never 0, so it cannot fail). */
  public static final int DIV_I_IMM = 16;
  /** {@code REM_I_IMM d s i}: d = a % imm (imm is never 0, so it cannot fail). */
  public static final int REM_I_IMM = 17;
  /** {@code AND_I_IMM d s i}: d = a & imm. */
  public static final int AND_I_IMM = 18;
  /** {@code OR_I_IMM d s i}: d = a | imm. */
  public static final int OR_I_IMM = 19;
  /** {@code XOR_I_IMM d s i}: d = a ^ imm. */
  public static final int XOR_I_IMM = 20;
  /** {@code SHL_I_IMM d s i}: d = a << imm. */
  public static final int SHL_I_IMM = 21;
  /** {@code SHR_I_IMM d s i}: d = a >> imm. */
  public static final int SHR_I_IMM = 22;
  /** {@code USHR_I_IMM d s i}: d = a >>> imm. */
  public static final int USHR_I_IMM = 23;
  /** {@code NEG_I d s}: d = -a. */
  public static final int NEG_I = 24;
  /** {@code NOT_I d s}: d = ~a. */
  public static final int NOT_I = 25;
  /** {@code NOT_B d s}: d = !a (bools are 0 and 1). */
  public static final int NOT_B = 26;
  /** {@code ADD_F d s s}: d = a + b (binary64). */
  public static final int ADD_F = 27;
  /** {@code SUB_F d s s}: d = a - b. */
  public static final int SUB_F = 28;
  /** {@code MUL_F d s s}: d = a * b. */
  public static final int MUL_F = 29;
  /** {@code DIV_F d s s}: d = a / b (IEEE: no error). */
  public static final int DIV_F = 30;
  /** {@code NEG_F d s}: d = -a (flips the sign bit, so -0.0 is right). */
  public static final int NEG_F = 31;
  /** {@code I2F d s}: d = float(a), round to nearest. */
  public static final int I2F = 32;
  /** {@code F2I d s}: d = int(a): truncate, NaN to 0, saturate (Java's (long) cast). */
  public static final int F2I = 33;
  /** {@code EQ_I d s s}: d = a == b (ints or bools). */
  public static final int EQ_I = 34;
  /** {@code NE_I d s s}: d = a != b. */
  public static final int NE_I = 35;
  /** {@code LT_I d s s}: d = a < b (signed). */
  public static final int LT_I = 36;
  /** {@code LE_I d s s}: d = a <= b. */
  public static final int LE_I = 37;
  /** {@code EQ_F d s s}: d = a == b (IEEE: false on NaN). */
  public static final int EQ_F = 38;
  /** {@code NE_F d s s}: d = a != b (true on NaN). */
  public static final int NE_F = 39;
  /** {@code LT_F d s s}: d = a < b (false on NaN). */
  public static final int LT_F = 40;
  /** {@code LE_F d s s}: d = a <= b. */
  public static final int LE_F = 41;
  /** {@code JMP t}: goto t. */
  public static final int JMP = 42;
  /** {@code JT s t}: if a != 0 goto t. */
  public static final int JT = 43;
  /** {@code JF s t}: if a == 0 goto t. */
  public static final int JF = 44;
  /** {@code J_EQ_I s s t}: if a == b goto t. */
  public static final int J_EQ_I = 45;
  /** {@code J_NE_I s s t}: if a != b goto t. */
  public static final int J_NE_I = 46;
  /** {@code J_LT_I s s t}: if a < b goto t. */
  public static final int J_LT_I = 47;
  /** {@code J_LE_I s s t}: if a <= b goto t. */
  public static final int J_LE_I = 48;
  /** {@code J_GT_I s s t}: if a > b goto t. */
  public static final int J_GT_I = 49;
  /** {@code J_GE_I s s t}: if a >= b goto t. */
  public static final int J_GE_I = 50;
  /** {@code J_EQ_I_IMM s i t}: if a == imm goto t. */
  public static final int J_EQ_I_IMM = 51;
  /** {@code J_NE_I_IMM s i t}: if a != imm goto t. */
  public static final int J_NE_I_IMM = 52;
  /** {@code J_LT_I_IMM s i t}: if a < imm goto t. */
  public static final int J_LT_I_IMM = 53;
  /** {@code J_LE_I_IMM s i t}: if a <= imm goto t. */
  public static final int J_LE_I_IMM = 54;
  /** {@code J_GT_I_IMM s i t}: if a > imm goto t. */
  public static final int J_GT_I_IMM = 55;
  /** {@code J_GE_I_IMM s i t}: if a >= imm goto t. */
  public static final int J_GE_I_IMM = 56;
  /** {@code J_EQ_F s s t}: if a == b goto t (floats; false on NaN). */
  public static final int J_EQ_F = 57;
  /** {@code J_NE_F s s t}: if a != b goto t (true on NaN). */
  public static final int J_NE_F = 58;
  /** {@code J_LT_F s s t}: if a < b goto t. */
  public static final int J_LT_F = 59;
  /** {@code J_LE_F s s t}: if a <= b goto t. */
  public static final int J_LE_F = 60;
  /** {@code J_NLT_F s s t}: if !(a < b) goto t (taken on NaN). */
  public static final int J_NLT_F = 61;
  /** {@code J_NLE_F s s t}: if !(a <= b) goto t (taken on NaN). */
  public static final int J_NLE_F = 62;
  /** {@code FOR_I s s t}: a = a + 1; if a < b goto t (the back edge of a for loop). */
  public static final int FOR_I = 63;
  /** {@code FOR_I_IMM s i t}: a = a + 1; if a < imm goto t. */
  public static final int FOR_I_IMM = 64;
  /** {@code NEW_ARRAY d s p}: d = a fresh zero-filled array of a elements; negative size, out of memory fail. */
  public static final int NEW_ARRAY = 65;
  /** {@code LEN d s}: d = length of array a. */
  public static final int LEN = 66;
  /** {@code ALOAD d s s p}: d = a[b]; index out of bounds fails. */
  public static final int ALOAD = 67;
  /** {@code ASTORE s s s p}: a[b] = c; index out of bounds fails. */
  public static final int ASTORE = 68;
  /** {@code CALL d f s p}: d = f(slots s, s+1, ...): the callee's frame starts at slot s (its parameters); d = -1 when f returns nothing; stack overflow fails. */
  public static final int CALL = 69;
  /** {@code RET s}: return a. */
  public static final int RET = 70;
  /** {@code RET_VOID}: return. */
  public static final int RET_VOID = 71;
  /** {@code PRINT_I s n}: print int a, then a space (n = 0) or a newline (n = 1). */
  public static final int PRINT_I = 72;
  /** {@code PRINT_F s n}: print float a as Double.toString, then separator. */
  public static final int PRINT_F = 73;
  /** {@code PRINT_B s n}: print bool a, then separator. */
  public static final int PRINT_B = 74;
  /** {@code PRINT_S c n}: print string literal strings[c], then separator. */
  public static final int PRINT_S = 75;
  /** {@code ASSERT s p}: if a == 0 fail with assertion failed. */
  public static final int ASSERT = 76;
  /** {@code HEAP_MARK d}: d = the heap's allocation mark (what a later HEAP_FREE frees back to). */
  public static final int HEAP_MARK = 77;
  /** {@code HEAP_FREE s}: frees every array allocated since mark a was taken (none may be reachable). */
  public static final int HEAP_FREE = 78;

  private static final String[] NAMES = {
    "MOV", "CONST_I", "CONST_K", "ADD_I", "SUB_I", "MUL_I",
    "DIV_I", "REM_I", "AND_I", "OR_I", "XOR_I", "SHL_I",
    "SHR_I", "USHR_I", "ADD_I_IMM", "MUL_I_IMM", "DIV_I_IMM", "REM_I_IMM",
    "AND_I_IMM", "OR_I_IMM", "XOR_I_IMM", "SHL_I_IMM", "SHR_I_IMM", "USHR_I_IMM",
    "NEG_I", "NOT_I", "NOT_B", "ADD_F", "SUB_F", "MUL_F",
    "DIV_F", "NEG_F", "I2F", "F2I", "EQ_I", "NE_I",
    "LT_I", "LE_I", "EQ_F", "NE_F", "LT_F", "LE_F",
    "JMP", "JT", "JF", "J_EQ_I", "J_NE_I", "J_LT_I",
    "J_LE_I", "J_GT_I", "J_GE_I", "J_EQ_I_IMM", "J_NE_I_IMM", "J_LT_I_IMM",
    "J_LE_I_IMM", "J_GT_I_IMM", "J_GE_I_IMM", "J_EQ_F", "J_NE_F", "J_LT_F",
    "J_LE_F", "J_NLT_F", "J_NLE_F", "FOR_I", "FOR_I_IMM", "NEW_ARRAY",
    "LEN", "ALOAD", "ASTORE", "CALL", "RET", "RET_VOID",
    "PRINT_I", "PRINT_F", "PRINT_B", "PRINT_S", "ASSERT", "HEAP_MARK",
    "HEAP_FREE",
  };
  private static final String[] SHAPES = {
    "ds", "di", "dk", "dss", "dss", "dss", "dssp", "dssp", "dss", "dss",
    "dss", "dss", "dss", "dss", "dsi", "dsi", "dsi", "dsi", "dsi", "dsi",
    "dsi", "dsi", "dsi", "dsi", "ds", "ds", "ds", "dss", "dss", "dss",
    "dss", "ds", "ds", "ds", "dss", "dss", "dss", "dss", "dss", "dss",
    "dss", "dss", "t", "st", "st", "sst", "sst", "sst", "sst", "sst",
    "sst", "sit", "sit", "sit", "sit", "sit", "sit", "sst", "sst", "sst",
    "sst", "sst", "sst", "sst", "sit", "dsp", "ds", "dssp", "sssp", "dfsp",
    "s", "", "sn", "sn", "sn", "cn", "sp", "d", "s",
  };
  /** The number of opcodes; valid opcodes are {@code 0 .. COUNT-1}. */
  public static final int COUNT = NAMES.length;
  /**
   * {@link #length}, {@link #isBranch} and {@link #positionOperand} of each opcode, precomputed:
   * compilers call them for every instruction, often while the JVM still interprets them.
   */
  private static final int[] LENGTHS = new int[COUNT];
  private static final boolean[] BRANCHES = new boolean[COUNT];
  private static final boolean[] DEFINES = new boolean[COUNT];
  private static final int[] POSITION_OPERANDS = new int[COUNT];

  static {
    for (int op = 0; op < COUNT; op++) {
      LENGTHS[op] = 1 + SHAPES[op].length();
      BRANCHES[op] = SHAPES[op].endsWith("t");
      DEFINES[op] = SHAPES[op].startsWith("d") || op == CALL;
      POSITION_OPERANDS[op] = SHAPES[op].indexOf('p');
    }
  }

  private Op() {}

  public static String name(int op) {
    return NAMES[op];
  }

  /** The operand letters of {@code op}, in order (see the class comment). */
  public static String shape(int op) {
    return SHAPES[op];
  }

  /** The index of the {@code p} operand of {@code op} (0 for the first operand), or -1 if none. */
  public static int positionOperand(int op) {
    return POSITION_OPERANDS[op];
  }

  /** The length of an instruction with opcode {@code op}, in ints, opcode included. */
  public static int length(int op) {
    return LENGTHS[op];
  }

  /** Whether {@code op} may transfer control to its {@code t} operand. */
  public static boolean isBranch(int op) {
    return BRANCHES[op];
  }

  /** The target of the branch at {@code pc}: its last operand. */
  public static int target(int[] code, int pc) {
    return code[pc + length(code[pc]) - 1];
  }

  /** Whether the instruction after one with opcode {@code op} may run next (all but jumps and returns). */
  public static boolean fallsThrough(int op) {
    return op != JMP && op != RET && op != RET_VOID;
  }

  /**
   * The slot the instruction at {@code pc} writes its result to: its {@code d} operand, or a
   * call's result slot (-1 for a void call); -1 if it has none. (A {@code FOR_I}'s counter, which
   * it also advances, is its {@code s} operand.)
   */
  public static int resultSlot(int[] code, int pc) {
    return DEFINES[code[pc]] ? code[pc + 1] : -1;
  }

  /** The slot the instruction at {@code pc} writes, or -1: its result, or a for loop's counter. */
  public static int writtenSlot(int[] code, int pc) {
    int op = code[pc];
    return op == FOR_I || op == FOR_I_IMM ? code[pc + 1] : resultSlot(code, pc);
  }
}
