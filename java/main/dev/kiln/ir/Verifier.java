package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that functions are well formed, so that interpreters and code generators never see
 * invalid IR. The rules (docs/ir.md lists them): types of operands and results; each use dominated
 * by its definition (a block parameter counts as defined at the block's entry, a branch argument
 * as used at the branch); each block ending in exactly one terminator; every block reachable from
 * the entry block and none branching to it; arguments of branches, calls and returns matching
 * their targets; referenced memories and callees belonging to the module; scales of 1, 2, 4 or 8
 * and offsets of 32 bits. The work is near-linear in the size of a function (the dominators come
 * from {@link DominatorTree}).
 */
final class Verifier {
  private final Module module;
  private final Function f;
  private final IrPrinter.Names names = IrPrinter.Names.AS_NUMBERED;
  private final List<IrVerificationException.Problem> problems;
  /** Layout index of each block id, -1 for a block not in the layout. */
  private final int[] layoutIndex;
  /** Defining block (layout index) and instruction index (-1: a parameter), by value id. */
  private final int[] defBlock;
  private final int[] defIndex;
  private DominatorTree dominators;
  /** The accesses dominating ones checked already, found at the first need. */
  private DominatingChecks checks;
  /** The proofs of indexed accesses, found at the first need. */
  private IndexedAccessProof indexed;
  /** Incoming edges by block id, and the block of the only one; counted at the first need. */
  private int[] predecessors;
  private Block[] onlyPredecessor;
  /**
   * The blocks a guard enters, in lists by the value id of a base it bounds (entry numbers from
   * 1; 0 ends a list); indexed at the first need.
   */
  private int[] guardHead;
  private int[] guardNext;
  private Block[] guardBlock;
  private int guardCount;

  private Verifier(Function f, List<IrVerificationException.Problem> problems) {
    this.module = f.module();
    this.f = f;
    this.problems = problems;
    this.layoutIndex = new int[f.blockCount()];
    this.defBlock = new int[f.valueCount()];
    this.defIndex = new int[f.valueCount()];
  }

  /** Every problem of every function of {@code module}. */
  static List<IrVerificationException.Problem> check(Module module) {
    List<IrVerificationException.Problem> problems = new ArrayList<>();
    for (Function f : module.functions()) {
      if (!f.isFinished()) {
        problems.add(new IrVerificationException.Problem(f.toString(), null, null,
            "is not finished (call FunctionBuilder.finish)", f.line(), 1));
      } else if (f.blocks.isEmpty()) {
        problems.add(new IrVerificationException.Problem(f.toString(), null, null,
            "has no blocks", f.line(), 1));
      } else {
        new Verifier(f, problems).run();
      }
    }
    return problems;
  }

  /**
   * Clears the {@code inbounds} mark of each access of {@code f} that the IR does not prove
   * (see {@link Function#clearUnprovenInBounds}); all of them if its definitions or blocks are
   * malformed. Clearing a mark never breaks another access's proof: a checked access bounds its
   * bytes as a proven one does.
   */
  static int clearUnprovenInBounds(Function f) {
    Verifier v = new Verifier(f, new ArrayList<>());
    v.indexLayout();
    Arrays.fill(v.defBlock, -1);
    // one walk over the blocks, each checked while in cache; the marked accesses are noted by
    // place, so that only they are looked at again
    boolean wellFormed = true;
    List<Instruction> marked = new ArrayList<>();
    int[] place = new int[8]; // layout index of the block, then the index in it, per access
    for (int b = 0; b < f.blocks.size(); b++) {
      Block block = f.blocks.get(b);
      wellFormed &= v.recordDefinitions(b, block) & v.checkStructure(block);
      List<Instruction> insts = block.instructions;
      for (int i = 0; i < insts.size(); i++) {
        if (insts.get(i).inBounds) {
          if (2 * marked.size() == place.length) {
            place = Arrays.copyOf(place, 2 * place.length);
          }
          place[2 * marked.size()] = b;
          place[2 * marked.size() + 1] = i;
          marked.add(insts.get(i));
        }
      }
    }
    if (marked.isEmpty()) {
      return 0;
    }
    List<Instruction> unproven = new ArrayList<>();
    if (!wellFormed) {
      unproven = marked;
    } else {
      // the cached tree is the current graph's: every edit of the graph drops it, which verifying
      // checks (run)
      v.dominators = DominatorTree.of(f);
      for (int k = 0; k < marked.size(); k++) {
        Block block = f.blocks.get(place[2 * k]);
        Instruction inst = marked.get(k);
        if (!v.dominators.reachable(block) || !v.provenInBounds(block, place[2 * k + 1], inst)) {
          unproven.add(inst);
        }
      }
    }
    for (Instruction inst : unproven) {
      inst.inBounds = false;
    }
    return unproven.size();
  }

  private void run() {
    indexLayout();
    if (!recordDefinitions() || !checkStructure()) {
      return; // dominance is undefined without single definitions and well-formed blocks
    }
    checkEntry();
    dominators = new DominatorTree(f);
    if (f.dominatorTree == null) {
      // the tree of the current graph, as DominatorTree.of would compute it for the first pass
      // that asks; a cached one is left alone, so that verifying changes nothing a pass sees
      f.dominatorTree = dominators;
    } else if (!f.dominatorTree.sameAs(dominators)) {
      // passes and clearUnprovenInBounds trust the cache; verifying after each pass tests it
      problem(null, null, "has a dominator tree cached from before an edit of its control-flow"
          + " graph that did not drop it");
    }
    for (int b = 0; b < f.blocks.size(); b++) {
      Block block = f.blocks.get(b);
      if (!dominators.reachable(block)) {
        blockProblem(block, "is unreachable from the entry block");
        continue;
      }
      for (int i = 0; i < block.instructions.size(); i++) {
        checkInstruction(block, b, i, block.instructions.get(i));
      }
    }
  }

  /** Records each block's place in the layout, -1 for a block not in it. */
  private void indexLayout() {
    Arrays.fill(layoutIndex, -1);
    for (int i = 0; i < f.blocks.size(); i++) {
      layoutIndex[f.blocks.get(i).id()] = i;
    }
  }

  private boolean recordDefinitions() {
    Arrays.fill(defBlock, -1);
    boolean ok = true;
    for (int b = 0; b < f.blocks.size(); b++) {
      ok &= recordDefinitions(b, f.blocks.get(b));
    }
    return ok;
  }

  /** Records the definitions of {@code block}, at layout index {@code b}. */
  private boolean recordDefinitions(int b, Block block) {
    boolean ok = true;
    for (int k = 0; k < block.params.size(); k++) { // no iterator to allocate in C1 code
      ok &= define(block.params.get(k), b, -1, block, null);
    }
    for (int i = 0; i < block.instructions.size(); i++) {
      Instruction inst = block.instructions.get(i);
      if (inst.result() != null) {
        ok &= define(inst.result(), b, i, block, inst);
      }
    }
    return ok;
  }

  private boolean define(Value v, int b, int i, Block block, Instruction inst) {
    if (v.function() != f) {
      problem(block, inst, v + " belongs to " + v.function());
      return false;
    }
    if (defBlock[v.id()] >= 0) {
      problem(block, inst, v + " is defined twice");
      return false;
    }
    defBlock[v.id()] = b;
    defIndex[v.id()] = i;
    return true;
  }

  private boolean checkStructure() {
    boolean ok = true;
    for (Block block : f.blocks) {
      ok &= checkStructure(block);
    }
    return ok;
  }

  /** Whether {@code block} ends in its only terminator, branching to blocks of the layout. */
  private boolean checkStructure(Block block) {
    boolean ok = true;
    List<Instruction> insts = block.instructions;
    for (int i = 0; i < insts.size(); i++) {
      Instruction inst = insts.get(i);
      if (inst.opcode().isTerminator() && i < insts.size() - 1) {
        problem(block, inst, "terminator before the end of the block");
        ok = false;
      }
      for (int k = 0; k < inst.targets().size(); k++) {
        Block t = inst.targets().get(k).target();
        if (t.function() != f || layoutIndex[t.id()] < 0) {
          problem(block, inst, "branch to " + t + ", which is not a block of " + f);
          ok = false;
        }
      }
    }
    if (block.terminator() == null) {
      blockProblem(block, "does not end in a terminator");
      ok = false;
    }
    return ok;
  }

  private void checkEntry() {
    Block entry = f.entry();
    List<Type> params = new ArrayList<>();
    for (Value p : entry.params) {
      params.add(p.type());
    }
    if (!params.equals(f.signature().params())) {
      blockProblem(entry, "the entry block's parameters " + Signature.of(params, null)
          + " do not match the signature " + f.signature());
    }
  }

  private void checkInstruction(Block block, int b, int i, Instruction inst) {
    for (int k = 0; k < inst.args.length; k++) {
      if (!repeated(inst.args, k)) {
        checkUse(block, b, i, inst, inst.args[k]);
      }
    }
    for (int t = 0; t < inst.targets().size(); t++) {
      List<Value> args = inst.targets().get(t).args;
      for (int k = 0; k < args.size(); k++) {
        checkUse(block, b, i, inst, args.get(k));
      }
    }
    Opcode op = inst.opcode();
    switch (op.format()) {
      case CONST -> result(block, inst, op.resultType());
      case UNARY, BINARY -> {
        operands(block, inst, 0, inst.argCount(), op.operandType());
        arity(block, inst, op.format() == Opcode.Format.UNARY ? 1 : 2);
        result(block, inst, op.resultType());
      }
      case COMPARE -> {
        arity(block, inst, 2);
        operands(block, inst, 0, 2, op.operandType());
        result(block, inst, Type.I64);
      }
      case SELECT -> {
        if (arity(block, inst, 3)) {
          operands(block, inst, 0, 1, Type.I64);
          operands(block, inst, 1, 3, inst.result() == null ? null : inst.result().type());
          result(block, inst, inst.arg(1).type());
        }
      }
      case BITCAST -> {
        if (arity(block, inst, 1) && inst.arg(0).type() == inst.bitcastType()) {
          problem(block, inst, "bitcast of " + inst.arg(0) + " to its own type");
        }
        result(block, inst, inst.bitcastType());
      }
      case LOAD, STORE -> checkMemoryAccess(block, i, inst);
      case TRAP -> result(block, inst, null);
      case TRAP_IF, BOUNDS_CHECK -> {
        arity(block, inst, op.format() == Opcode.Format.TRAP_IF ? 1 : 2);
        operands(block, inst, 0, inst.argCount(), Type.I64);
        result(block, inst, null);
      }
      case CALL -> {
        Callee callee = inst.callee();
        if (module.findCallee(callee.name()) != callee) {
          problem(block, inst, callee + " is not part of the module");
        }
        arguments(block, inst, callee.signature(), 0);
        result(block, inst, callee.signature().result());
      }
      case FUNC_REF -> {
        if (!(inst.callee() instanceof Function target) || target.module() != module) {
          problem(block, inst, inst.callee() + " is not a function of the module");
        }
        result(block, inst, Type.I64);
      }
      case CALL_INDIRECT -> {
        if (inst.argCount() >= 1) {
          operands(block, inst, 0, 1, Type.I64);
        }
        arguments(block, inst, inst.signature(), 1);
        result(block, inst, inst.signature().result());
      }
      case DEPTH_ENTER -> {
        if (inst.immediate() < 1 || inst.immediate() > Integer.MAX_VALUE) {
          problem(block, inst, "depth_enter takes 1 to " + Integer.MAX_VALUE + " levels, not "
              + inst.immediate());
        }
        result(block, inst, null);
      }
      case DEPTH_LEAVE -> {
        arity(block, inst, 1);
        operands(block, inst, 0, 1, Type.I64);
        result(block, inst, null);
      }
      case JUMP, BRIF -> {
        if (op == Opcode.BRIF) {
          arity(block, inst, 1);
          operands(block, inst, 0, 1, Type.I64);
        }
        for (BlockCall call : inst.targets()) {
          branchArguments(block, inst, call);
        }
      }
      case RETURN -> {
        Type expected = f.signature().result();
        if (expected == null && inst.argCount() > 0) {
          problem(block, inst, f + " returns nothing");
        } else if (expected != null && inst.argCount() != 1) {
          problem(block, inst, f + " must return a " + expected);
        } else if (expected != null && inst.arg(0).type() != expected) {
          problem(block, inst, "returned value " + inst.arg(0) + " is " + inst.arg(0).type()
              + ", expected " + expected);
        }
      }
      default -> throw new AssertionError(op);
    }
  }

  private void checkUse(Block block, int b, int i, Instruction inst, Value v) {
    if (v.function() != f) {
      problem(block, inst, "operand " + v + " belongs to " + v.function());
      return;
    }
    int d = defBlock[v.id()];
    if (d < 0) {
      problem(block, inst, "operand " + v + " is not defined in " + f);
    } else if (d == b ? defIndex[v.id()] >= i : !definitionDominates(f.blocks.get(d), block)) {
      problem(block, inst, "operand " + v + " is not defined before its use (its definition"
          + " does not dominate it)");
    }
  }

  private boolean definitionDominates(Block def, Block use) {
    return dominators.reachable(def) && dominators.dominates(def, use);
  }

  private void checkMemoryAccess(Block block, int index, Instruction inst) {
    Memory memory = inst.memory();
    if (module.findMemory(memory.name()) != memory) {
      problem(block, inst, "memory " + memory + " is not part of the module");
    }
    int scale = inst.scale();
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
      problem(block, inst, "scale " + scale + " is not 1, 2, 4 or 8");
    }
    if (inst.immediate() != (int) inst.immediate()) {
      problem(block, inst, "offset " + inst.immediate() + " does not fit in 32 bits");
    }
    boolean store = inst.opcode() == Opcode.STORE;
    int first = store ? 1 : 0;
    if (inst.argCount() < first + 1 || inst.argCount() > first + 2) {
      problem(block, inst, "malformed address");
      return;
    }
    if (store) {
      if (inst.invariant()) {
        problem(block, inst, "is marked invariant, which only a load may be");
      }
      if (!inst.memType().storable()) {
        problem(block, inst, "store." + inst.memType() + " does not exist");
      }
      operands(block, inst, 0, 1, inst.memType().type());
      result(block, inst, null);
    } else {
      result(block, inst, inst.memType().type());
    }
    operands(block, inst, first, inst.argCount(), Type.I64);
    if (inst.inBounds() && !provenInBounds(block, index, inst)) {
      problem(block, inst, "is marked inbounds, but its address is neither a constant in bounds,"
          + " nor guarded in bounds by a branch into its block or a block dominating it, nor"
          + " checked by a dominating access, nor indexed below a length that fits after its"
          + " base");
    }
  }

  /**
   * Whether the IR proves an access in bounds (docs/ir.md): {@code [vC + K]} with {@code vC} an
   * {@code iconst}, in bounds; or {@code [vB + K]} in a block dominated by (or being) a block whose
   * only predecessor ends in {@code brif vG, thatBlock, otherBlock} with {@code vG = icmp ule vT,
   * vL}, {@code vL} an {@code iconst} from 0 to the memory's size, {@code vT} either {@code vB}
   * (LO = 0) or {@code iadd vB, vLO} of an {@code iconst vLO}, {@code K >= LO} and
   * {@code L + (K - LO) + width <= size}: the guard put {@code vB + LO} in {@code [0, L]}, and
   * every path to the access took it (the dominators are walked up only past a block that proves
   * nothing); or any address whose bytes a dominating access already checked
   * ({@link DominatingChecks}); or an indexed access below a length that fits after its base
   * ({@link IndexedAccessProof}).
   */
  private boolean provenInBounds(Block block, int index, Instruction inst) {
    if (inst.addressIndex() == null && constantOrGuarded(block, inst)) {
      return true;
    }
    if (checks == null) {
      checks = DominatingChecks.of(f, dominators);
    }
    if (checks.covered(block, index)) {
      return true;
    }
    if (inst.addressIndex() == null) {
      return false;
    }
    if (indexed == null) {
      indexed = IndexedAccessProof.of(f, dominators);
    }
    return indexed.proves(block, index);
  }

  /** The proofs of an access without an index: a constant address, or a guard into its block. */
  private boolean constantOrGuarded(Block block, Instruction inst) {
    Value adBase = inst.addressBase();
    long size = inst.memory().size();
    Instruction base = definition(adBase);
    if (base != null && base.opcode() == Opcode.ICONST) {
      long c = base.immediate();
      long k = (int) inst.immediate();
      if (c >= -size && c <= size && c + k >= 0 && c + k + inst.memType().width() <= size) {
        return true;
      }
    }
    if (guardHead == null) {
      indexGuards();
    }
    for (int g = guardHead[adBase.id()]; g != 0; g = guardNext[g]) {
      Block entered = guardBlock[g];
      boolean dominating = entered == block
          || dominators.reachable(block) && dominators.reachable(entered)
          && dominators.dominates(entered, block);
      if (dominating && guards(entered, inst)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Indexes the blocks entered only by the then edge of a {@code brif} on an {@code icmp ule}
   * by the value it bounds, {@code vT}, and by {@code vB} if {@code vT = iadd vB, vLO}: the
   * bases whose accesses {@link #guards} may prove there and in the blocks it dominates.
   */
  private void indexGuards() {
    if (predecessors == null) {
      countPredecessors();
    }
    guardHead = new int[f.valueCount()];
    guardNext = new int[8];
    guardBlock = new Block[8];
    for (Block entered : f.blocks) {
      Instruction guard = guardInto(entered);
      if (guard == null) {
        continue;
      }
      addGuard(guard.arg(0), entered);
      Instruction add = definition(guard.arg(0));
      if (add != null && add.opcode() == Opcode.IADD) {
        addGuard(add.arg(0), entered);
      }
    }
  }

  private void addGuard(Value base, Block entered) {
    int g = ++guardCount;
    if (g == guardNext.length) {
      guardNext = Arrays.copyOf(guardNext, 2 * g);
      guardBlock = Arrays.copyOf(guardBlock, 2 * g);
    }
    guardNext[g] = guardHead[base.id()];
    guardBlock[g] = entered;
    guardHead[base.id()] = g;
  }

  /**
   * Whether the only edge into {@code entered} is the then edge of a guard that puts the access
   * {@code inst} in bounds (see {@link #provenInBounds}).
   */
  private boolean guards(Block entered, Instruction inst) {
    long size = inst.memory().size();
    long k = (int) inst.immediate();
    Instruction guard = guardInto(entered);
    if (guard == null) {
      return false;
    }
    Instruction limit = definition(guard.arg(1));
    if (limit == null || limit.opcode() != Opcode.ICONST || limit.immediate() < 0
        || limit.immediate() > size) {
      return false;
    }
    long lo = 0;
    if (guard.arg(0) != inst.addressBase()) {
      Instruction add = definition(guard.arg(0));
      Instruction offset = add == null || add.opcode() != Opcode.IADD
          || add.arg(0) != inst.addressBase()
          ? null : definition(add.arg(1));
      if (offset == null || offset.opcode() != Opcode.ICONST
          || offset.immediate() != (int) offset.immediate()) {
        return false;
      }
      lo = offset.immediate();
    }
    return k >= lo && limit.immediate() + (k - lo) + inst.memType().width() <= size;
  }

  /**
   * The {@code icmp ule} whose {@code brif}, the only edge into {@code entered}, enters it on its
   * then edge alone; or null.
   */
  private Instruction guardInto(Block entered) {
    Block pred = onlyPredecessor[entered.id()];
    Instruction branch = pred == null ? null : pred.terminator();
    if (branch == null || branch.opcode() != Opcode.BRIF || branch.targets[0].target() != entered
        || branch.targets[1].target() == entered) {
      return null;
    }
    Instruction guard = definition(branch.arg(0));
    return guard != null && guard.opcode() == Opcode.ICMP && guard.intCond() == IntCond.ULE
        ? guard : null;
  }

  /** The instruction defining {@code v}, or null for a block parameter. */
  private Instruction definition(Value v) {
    int b = defBlock[v.id()];
    return b < 0 || defIndex[v.id()] < 0 ? null
        : f.blocks.get(b).instructions.get(defIndex[v.id()]);
  }

  /** Counts each block's incoming edges, noting the block of the only one. */
  private void countPredecessors() {
    predecessors = new int[f.blockCount()];
    onlyPredecessor = new Block[f.blockCount()];
    for (Block b : f.blocks) {
      for (BlockCall call : b.terminator().targets()) {
        int t = call.target().id();
        onlyPredecessor[t] = predecessors[t]++ == 0 ? b : null;
      }
    }
  }

  private void arguments(Block block, Instruction inst, Signature sig, int first) {
    int given = inst.argCount() - first;
    if (given != sig.params().size()) {
      problem(block, inst, given + " arguments for " + sig.params().size() + " parameters "
          + sig);
      return;
    }
    for (int k = 0; k < given; k++) {
      Value v = inst.arg(first + k);
      if (v.type() != sig.params().get(k)) {
        problem(block, inst, "argument " + v + " is " + v.type() + ", expected "
            + sig.params().get(k));
      }
    }
  }

  private void branchArguments(Block block, Instruction inst, BlockCall call) {
    Block target = call.target();
    if (target == f.entry()) {
      problem(block, inst, "branch to the entry block");
    }
    if (call.args.size() != target.params.size()) {
      problem(block, inst, call.args.size() + " arguments for the " + target.params.size()
          + " parameters of " + target);
      return;
    }
    for (int k = 0; k < call.args.size(); k++) {
      Value a = call.args.get(k);
      Value p = target.params.get(k);
      if (a.type() != p.type()) {
        problem(block, inst, "argument " + a + " is " + a.type() + ", but " + target
            + " parameter " + p + " is " + p.type());
      }
    }
  }

  private boolean arity(Block block, Instruction inst, int expected) {
    if (inst.argCount() != expected) {
      problem(block, inst, inst.argCount() + " operands, expected " + expected);
      return false;
    }
    return true;
  }

  /** Whether operand {@code k} repeats an earlier one (its problems are reported once). */
  private static boolean repeated(Value[] args, int k) {
    for (int j = 0; j < k; j++) {
      if (args[j] == args[k]) {
        return true;
      }
    }
    return false;
  }

  private void operands(Block block, Instruction inst, int from, int to, Type expected) {
    for (int k = from; k < to && k < inst.argCount(); k++) {
      Value v = inst.arg(k);
      if (expected != null && v.type() != expected && !repeated(inst.args, k)) {
        problem(block, inst, "operand " + v + " is " + v.type() + ", expected " + expected);
      }
    }
  }

  private void result(Block block, Instruction inst, Type expected) {
    Value r = inst.result();
    if (expected == null && r != null) {
      problem(block, inst, "has a result, but " + inst.opcode().mnemonic() + " produces none");
    } else if (expected != null && r == null) {
      problem(block, inst, "has no result, but produces a " + expected);
    } else if (r != null && r.type() != expected) {
      problem(block, inst, "result " + r + " is " + r.type() + ", expected " + expected);
    }
  }

  private void problem(Block block, Instruction inst, String message) {
    problems.add(new IrVerificationException.Problem(f.toString(),
        block == null ? null : "block" + names.block(block),
        inst == null ? null : IrPrinter.instruction(inst, names), message,
        inst != null && inst.line() > 0 ? inst.line() : block != null ? block.line() : f.line(),
        inst != null && inst.column() > 0 ? inst.column() : 1));
  }

  private void blockProblem(Block block, String message) {
    problem(block, null, message);
  }
}
