package dev.kiln.backend.opt;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.IndexedAccessProof;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IntCond;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of versioning a loop behind a chain of guards, which loop-bce and
 * loop-room share: a guard's compare and branch (to the next guard, or else to the loop as it
 * was), the check that a length fits after a base, the copy of the loop and the marks of the
 * accesses that the guards prove.
 */
final class LoopVersions {
  private LoopVersions() {}

  /** Appends {@code iconst value} to {@code b}, returning its value. */
  static Value constant(Block b, Function f, long value) {
    Instruction c = f.newConstant(Type.I64, value);
    b.append(c);
    return c.result();
  }

  /**
   * Ends guard block {@code g} in {@code brif (icmp cond x, y)} to a new block, which it
   * returns, or else to the checked loop's header {@code h}: a compare fused with its branch,
   * so the guard keeps no condition in a register.
   */
  static Block check(Function f, Block g, IntCond cond, Value x, Value y, Block h,
      List<Value> params, int position) {
    Instruction cmp = f.newIntCompare(cond, x, y, position);
    g.append(cmp);
    Block next = f.newBlockBefore(h);
    g.append(Instruction.brif(cmp.result(), next, List.of(), h, params, position));
    return next;
  }

  /**
   * Ends guard block {@code g} in the check that length {@code len} of elements of
   * {@code scale} bytes fits after {@code base}: {@code len <=u (limit - base) >> log2 scale},
   * a guard before having put the base at most {@code limit} (docs/ir.md, the room).
   */
  static Block roomCheck(Function f, Block g, Value base, long limit, Value len, int scale,
      Block h, List<Value> params, int position) {
    Instruction room = f.newArithmetic(Opcode.ISUB, position, constant(g, f, limit), base);
    g.append(room);
    Value most = room.result();
    if (scale > 1) {
      Instruction shift = f.newArithmetic(Opcode.USHR, position, most,
          constant(g, f, Integer.numberOfTrailingZeros(scale)));
      g.append(shift);
      most = shift.result();
    }
    return check(f, g, IntCond.ULE, len, most, h, params, position);
  }

  /** Whether one of {@code blocks} has a {@code bounds_check}. */
  static boolean checksBounds(List<Block> blocks) {
    for (int n = 0; n < blocks.size(); n++) { // no iterator to allocate in C1-compiled code
      List<Instruction> insts = blocks.get(n).instructions();
      for (int i = 0; i < insts.size(); i++) {
        if (insts.get(i).opcode() == Opcode.BOUNDS_CHECK) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * By value id, the outermost loop that a use of the value lies outside of while its definition
   * lies inside, exit-edge arguments aside, or -1: the value is used outside exactly the loops
   * around its definition up to that one ({@link #escapes}).
   */
  static int[] escaping(Function f, LoopNest nest, int[] defBlock) {
    int[] escapes = new int[f.valueCount()];
    Arrays.fill(escapes, -1);
    List<Block> blocks = f.blocks();
    // indexed loops: an iterator is an allocation in C1-compiled code
    for (int n = 0; n < blocks.size(); n++) {
      Block b = blocks.get(n);
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        for (int k = 0; k < inst.argCount(); k++) {
          escape(inst.arg(k), b, nest, defBlock, escapes);
        }
        List<BlockCall> targets = inst.targets();
        for (int t = 0; t < targets.size(); t++) {
          List<Value> args = targets.get(t).args();
          for (int k = 0; k < args.size(); k++) {
            escape(args.get(k), b, nest, defBlock, escapes);
          }
        }
      }
    }
    return escapes;
  }

  /** Notes in {@code escapes} the loops around {@code v}'s definition that its use in {@code b} leaves. */
  private static void escape(Value v, Block b, LoopNest nest, int[] defBlock, int[] escapes) {
    for (int l = nest.innermost(defBlock[v.id()]); l >= 0 && !nest.contains(l, b.id());
        l = nest.parent(l)) {
      if (escapes[v.id()] < 0 || nest.contains(l, nest.header(escapes[v.id()]).id())) {
        escapes[v.id()] = l;
      }
    }
  }

  /** Whether value {@code v}, defined in {@code loop}, is used outside it ({@link #escaping}). */
  static boolean escapes(int[] escaping, Value v, int loop, LoopNest nest) {
    int l = escaping[v.id()];
    return l >= 0 && nest.contains(l, nest.header(loop).id());
  }

  /**
   * Copies a loop's {@code blocks} (placed before its header {@code h}) without the
   * {@code skipped} instructions, its values renamed to their copies or to what
   * {@code renamed} holds already, adding the copies to {@code copied}; returns the copy of
   * the header.
   */
  static Block copy(Function f, List<Block> blocks, Block h, Value[] renamed,
      Set<Instruction> skipped, List<Block> copied) {
    Map<Block, Block> copies = new HashMap<>();
    for (Block b : blocks) {
      Block c = f.newBlockBefore(h);
      copies.put(b, c);
      copied.add(c);
      for (Value p : b.params()) {
        renamed[p.id()] = c.addParam(p.type());
      }
    }
    for (Block b : blocks) {
      Block c = copies.get(b);
      for (Instruction inst : b.instructions()) {
        if (!skipped.contains(inst)) {
          c.append(f.duplicate(inst, renamed));
        }
      }
    }
    redirectAmongCopies(copies);
    return copies.get(h);
  }

  /**
   * Makes each copy's edges to a copied block go to that block's copy instead: the copied
   * region's edges among its own blocks.
   *
   * @param copies the copy of each copied block
   */
  static void redirectAmongCopies(Map<Block, Block> copies) {
    for (Block c : copies.values()) {
      List<BlockCall> targets = c.terminator().targets();
      for (int t = 0; t < targets.size(); t++) { // each copy's edges, not each pair of blocks
        Block copied = copies.get(targets.get(t).target());
        if (copied != null) {
          c.redirect(targets.get(t).target(), copied);
        }
      }
    }
  }

  /**
   * Marks the indexed accesses of the copied loops on the {@code guarded} bases that the guards
   * now prove in bounds ({@link IndexedAccessProof}); no other access can have a proof.
   */
  static void markProven(Function f, List<Block> copies, Set<Value> guarded) {
    IndexedAccessProof proof = null;
    for (Block b : copies) {
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        if ((inst.opcode() != Opcode.LOAD && inst.opcode() != Opcode.STORE) || inst.inBounds()) {
          continue;
        }
        Address ad = inst.address(); // address() builds one per call
        if (ad.index() == null || !guarded.contains(ad.base())) {
          continue;
        }
        if (proof == null) {
          proof = IndexedAccessProof.of(f, DominatorTree.of(f));
        }
        if (proof.proves(b, i)) {
          b.set(i, f.inBoundsAccess(inst, ad));
        }
      }
    }
  }
}
