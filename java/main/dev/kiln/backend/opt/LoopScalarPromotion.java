package dev.kiln.backend.opt;

import dev.kiln.ir.Address;
import dev.kiln.ir.Block;
import dev.kiln.ir.BlockCall;
import dev.kiln.ir.DominatorTree;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.MemType;
import dev.kiln.ir.Memory;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scalar promotion: an innermost loop that touches memory only at constant addresses inside
 * the memory (a constant base, no index) and otherwise runs only pure instructions keeps each
 * location it loads in an SSA value. The preheader loads it; a store in the loop becomes the new
 * value (narrowed as its loads extend it); a location the loop stores gets a header parameter and
 * is stored back on every edge to the header and out of the loop, before the poll there. Nothing
 * in the loop can trap or call, and every edge that may poll stores first, so memory is as the
 * loop left it wherever anything could observe it.
 */
public final class LoopScalarPromotion implements Pass {
  @Override
  public String name() {
    return "promote";
  }

  /** A promoted location: its bytes, how its loads read it and how its stores write it. */
  private static final class Location {
    final Memory memory;
    final long at;
    MemType load;
    MemType store;
    boolean broken;

    Location(Memory memory, long at) {
      this.memory = memory;
      this.at = at;
    }

    Type type() {
      return load.type();
    }
  }

  @Override
  public void run(Function f) {
    if (!f.mayContain(Opcode.LOAD)) {
      return;
    }
    LoopNest nest = LoopNest.of(f);
    boolean[] outer = nest.outerLoops();
    List<Block> headers = new ArrayList<>();
    for (int l = 0; l < nest.count(); l++) {
      if (!outer[l]) {
        headers.add(nest.header(l));
      }
    }
    int[] loopAt = loopsByHeader(f, nest);
    for (Block h : headers) {
      DominatorTree dom = DominatorTree.of(f);
      int l = loopAt[h.id()];
      if (l >= 0 && promote(f, l, dom, nest)) {
        nest = LoopNest.of(f); // edges moved: find the loops anew
        loopAt = loopsByHeader(f, nest);
      }
    }
  }

  /** The loop of {@code nest} each block heads, by block id; -1 for a block heading none. */
  private static int[] loopsByHeader(Function f, LoopNest nest) {
    int[] loopAt = new int[f.blockCount()];
    Arrays.fill(loopAt, -1);
    for (int l = 0; l < nest.count(); l++) {
      loopAt[nest.header(l).id()] = l; // one loop per header
    }
    return loopAt;
  }

  /** Promotes what loop {@code l} allows; whether it changed anything. */
  private static boolean promote(Function f, int l, DominatorTree dom, LoopNest nest) {
    Definitions defs = new Definitions(f);
    List<Block> body = nest.ownBlocksInOrder(l);
    if (!reducible(body, nest.header(l), dom)) {
      return false;
    }
    List<Location> found = new ArrayList<>();
    for (Block b : body) {
      for (Instruction inst : b.instructions()) {
        Opcode op = inst.opcode();
        if (op == Opcode.LOAD || op == Opcode.STORE) {
          Location at = location(inst, defs, found);
          if (at == null) {
            return false; // may trap, or may touch any location
          }
          note(at, inst);
        } else if (op != Opcode.JUMP && op != Opcode.BRIF && !Effects.isPure(inst, defs)) {
          return false;
        }
      }
    }
    List<Location> promoted = new ArrayList<>();
    for (Location at : found) {
      if (!at.broken && at.load != null && promoted.size() < Thresholds.PROMOTED_LOCATIONS) {
        promoted.add(at);
      }
    }
    if (promoted.isEmpty()) {
      return false;
    }
    rewrite(f, l, dom, nest, body, promoted, defs);
    return true;
  }

  /**
   * Whether every block of the loop but its header is entered only from blocks of the loop
   * before it in {@code body}'s order: then a block's predecessors are rewritten before it.
   */
  private static boolean reducible(List<Block> body, Block header, DominatorTree dom) {
    Map<Block, Integer> at = new HashMap<>();
    for (Block b : body) {
      at.put(b, at.size());
    }
    for (Block b : body) {
      for (Block p : b == header ? List.<Block>of() : dom.predecessors(b)) {
        Integer k = at.get(p);
        if (k == null || k >= at.get(b)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The location of a load or store, made on first sight; null unless its address is a constant
   * inside its memory. Overlapping locations of other widths are marked broken.
   */
  private static Location location(Instruction access, Definitions defs,
      List<Location> found) {
    Address ad = access.address();
    Long base = ad.index() == null ? defs.constant(ad.base()) : null;
    int width = access.memType().width();
    if (base == null) {
      return null;
    }
    long at = base + ad.offset();
    if (at < 0 || at > access.memory().size() - width) {
      return null;
    }
    Location seen = of(found, access.memory(), at);
    if (seen != null) {
      return seen;
    }
    Location loc = new Location(access.memory(), at);
    found.add(loc);
    for (Location other : found) {
      long otherWidth = other.load != null ? other.load.width()
          : other.store != null ? other.store.width() : 0;
      if (other != loc && other.memory == loc.memory && other.at < at + width
          && at < other.at + otherWidth) {
        other.broken = loc.broken = true;
      }
    }
    return loc;
  }

  /**
   * Records how {@code access} uses its location: all its loads must read alike (zero-extended
   * or whole), and its stores must write their width with a value of the loads' type.
   */
  private static void note(Location at, Instruction access) {
    MemType t = access.memType();
    if (access.opcode() == Opcode.LOAD) {
      boolean kept = t == MemType.U8 || t == MemType.U16 || t == MemType.U32 || t == MemType.I64
          || t == MemType.F64;
      at.broken |= !kept || at.load != null && at.load != t
          || at.store != null && at.store.width() != t.width();
      at.load = t;
    } else {
      at.broken |= at.store != null && at.store != t
          || at.load != null && at.load.width() != t.width();
      at.store = t;
    }
    if (at.load != null && at.store != null && at.load.width() == 8) {
      at.broken |= at.load != at.store; // i64 and f64 do not mix
    }
  }

  private static void rewrite(Function f, int l, DominatorTree dom, LoopNest nest,
      List<Block> body, List<Location> promoted, Definitions defs) {
    Block h = nest.header(l);
    Block pre = LoopInvariantCodeMotion.preheader(f, l, dom, nest);
    Instruction zero = f.newConstant(Type.I64, 0);
    pre.insertBeforeTerminator(zero);
    int n = promoted.size();
    Value[] entry = new Value[n];
    for (int k = 0; k < n; k++) {
      Location at = promoted.get(k);
      Instruction load = f.newLoad(at.load, at.memory, address(zero, at), true,
          Instruction.NO_POSITION);
      pre.insertBeforeTerminator(load);
      entry[k] = load.result();
    }
    Map<Block, Value[]> out = new HashMap<>();
    Value[] replacement = new Value[f.valueCount()];
    Set<Instruction> dead = Collections.newSetFromMap(new IdentityHashMap<>());
    Value[] atHeader = entry.clone();
    for (int k = 0; k < n; k++) {
      if (promoted.get(k).store != null) {
        atHeader[k] = h.addParam(promoted.get(k).type());
        pre.terminator().targets().get(0).addArg(entry[k]);
      }
    }
    for (Block b : body) {
      Value[] current = b == h ? atHeader.clone() : join(b, dom, out, promoted);
      List<Instruction> insts = b.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        Location loc = inst.opcode() == Opcode.LOAD || inst.opcode() == Opcode.STORE
            ? find(promoted, inst, defs) : null;
        int k = loc == null ? -1 : promoted.indexOf(loc);
        if (k < 0) {
          continue;
        }
        dead.add(inst);
        if (inst.opcode() == Opcode.LOAD) {
          replacement[inst.result().id()] = current[k];
          continue;
        }
        Value v = inst.arg(0);
        MemType t = promoted.get(k).load;
        if (t.width() < 8 && !fits(v, t.width(), defs)) {
          // what the loads would read back: the stored bytes, zero-extended
          Instruction mask = f.newConstant(Type.I64, (1L << (8 * t.width())) - 1);
          Instruction band = f.newArithmetic(Opcode.BAND, inst.position(), v, mask.result());
          b.insert(i++, mask);
          b.insert(i++, band);
          v = band.result();
        }
        current[k] = v;
      }
      out.put(b, current);
    }
    for (Block b : body) {
      for (BlockCall call : b.terminator().targets()) {
        if (call.target() == h) {
          for (int k = 0; k < n; k++) {
            if (promoted.get(k).store != null) {
              call.addArg(out.get(b)[k]);
            }
          }
        }
      }
    }
    for (Block b : body) {
      storeOnLeaving(f, b, l, nest, zero, promoted, out.get(b));
    }
    for (Block b : body) {
      b.removeIf(Removal.in(dead));
    }
    f.replaceUses(replacement);
  }

  /**
   * Whether {@code v} is known to be zero-extended from {@code width} bytes already: a constant,
   * a zero-extending load or a {@code band} with a constant mask that fit them.
   */
  private static boolean fits(Value v, int width, Definitions defs) {
    long mask = (1L << (8 * width)) - 1;
    Long c = defs.constant(v);
    if (c != null) {
      return (c & ~mask) == 0;
    }
    Instruction d = defs.of(v);
    if (d == null) {
      return false;
    }
    if (d.opcode() == Opcode.LOAD) {
      MemType t = d.memType();
      return (t == MemType.U8 || t == MemType.U16 || t == MemType.U32) && t.width() <= width;
    }
    if (d.opcode() == Opcode.BAND) {
      Long m = defs.constant(d.arg(1));
      return m != null && (m & ~mask) == 0;
    }
    return false;
  }

  /** The promoted location {@code access} touches (it has one: the loop's accesses were found). */
  private static Location find(List<Location> promoted, Instruction access, Definitions defs) {
    Address ad = access.address();
    return of(promoted, access.memory(), defs.constant(ad.base()) + ad.offset());
  }

  /** The location among {@code locations} at byte {@code at} of {@code memory}, or null. */
  private static Location of(List<Location> locations, Memory memory, long at) {
    for (Location loc : locations) {
      if (loc.memory == memory && loc.at == at) {
        return loc;
      }
    }
    return null;
  }

  /**
   * The values of the promoted locations on entry to {@code b} (not the header): its
   * predecessors', all in the loop and done already; a new parameter where they differ.
   */
  private static Value[] join(Block b, DominatorTree dom, Map<Block, Value[]> out,
      List<Location> promoted) {
    List<Block> preds = new ArrayList<>();
    for (Block p : dom.predecessors(b)) {
      if (!preds.contains(p)) {
        preds.add(p);
      }
    }
    Value[] current = out.get(preds.get(0)).clone();
    for (int k = 0; k < current.length; k++) {
      boolean same = true;
      for (Block p : preds) {
        same &= out.get(p)[k] == current[k];
      }
      if (same) {
        continue;
      }
      current[k] = b.addParam(promoted.get(k).type());
      for (Block p : preds) {
        for (BlockCall call : p.terminator().targets()) {
          if (call.target() == b) {
            call.addArg(out.get(p)[k]);
          }
        }
      }
    }
    return current;
  }

  /**
   * Stores the locations the loop writes on each edge of {@code b} to the header or out of the
   * loop: before its terminator if every edge is one, else in a block of its own on the edge.
   */
  private static void storeOnLeaving(Function f, Block b, int l, LoopNest nest,
      Instruction zero, List<Location> promoted, Value[] values) {
    Block h = nest.header(l);
    List<Block> leaving = new ArrayList<>();
    boolean all = true;
    for (BlockCall call : b.terminator().targets()) {
      boolean leaves = call.target() == h || !nest.contains(l, call.target().id());
      all &= leaves;
      if (leaves && !leaving.contains(call.target())) {
        leaving.add(call.target());
      }
    }
    if (all) {
      for (Instruction s : stores(f, zero, promoted, values)) {
        b.insertBeforeTerminator(s);
      }
      return;
    }
    for (Block target : leaving) {
      Block edge = f.newBlockAfter(b);
      List<Value> args = new ArrayList<>();
      for (Value p : target.params()) {
        args.add(edge.addParam(p.type()));
      }
      for (Instruction s : stores(f, zero, promoted, values)) {
        edge.append(s);
      }
      edge.append(Instruction.jump(target, args, Instruction.NO_POSITION));
      b.redirect(target, edge);
    }
  }

  /** The stores of the locations the loop writes, of {@code values}. */
  private static List<Instruction> stores(Function f, Instruction zero, List<Location> promoted,
      Value[] values) {
    List<Instruction> stores = new ArrayList<>();
    for (int k = 0; k < promoted.size(); k++) {
      Location at = promoted.get(k);
      if (at.store != null) {
        stores.add(f.newStore(at.store, at.memory, values[k], address(zero, at), true,
            Instruction.NO_POSITION));
      }
    }
    return stores;
  }

  /** {@code [zero + at]}: a constant address the verifier sees inside the memory. */
  private static Address address(Instruction zero, Location at) {
    return Address.at(zero.result(), (int) at.at);
  }
}
