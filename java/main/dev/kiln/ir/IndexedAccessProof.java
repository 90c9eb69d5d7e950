package dev.kiln.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The proof of an indexed access {@code [vB + vI*S + K]} in bounds (docs/ir.md, memory): the
 * index below a length ({@code vI <u vL}) and the length fitting after the base
 * ({@code vL <=u (Zc - vB) >> log2 S}, {@code vB <=u Zc}). Every fact is about the current
 * values of SSA values: a fact that a branch or check established on every path to an
 * instruction, after the definitions of its operands, still holds there (a value redefined
 * since would have to reach the instruction through the check again). Queries walk the
 * dominator tree up from the instruction, so each costs its depth; a block's facts are
 * collected when a query first reaches it.
 */
public final class IndexedAccessProof {
  /** The largest length the induction rule accepts: an index below it plus a step cannot wrap. */
  private static final long MAX_LENGTH = 1L << 62;
  /** The largest step of the induction rule. */
  private static final long MAX_STEP = 1L << 31;

  /** A fact {@code x REL y}, REL one of ult, ule, slt, sle. */
  private static final class Fact {
    private final Value x;
    private final IntCond rel;
    private final Value y;

    Fact(Value x, IntCond rel, Value y) {
      this.x = x;
      this.rel = rel;
      this.y = y;
    }
  }

  /** A {@code bounds_check} of an index, in a list per index. */
  private static final class Check {
    private final Block block;
    private final int index;
    private final Value length;
    private final Check next;

    Check(Block block, int index, Value length, Check next) {
      this.block = block;
      this.index = index;
      this.length = length;
      this.next = next;
    }
  }

  /** An access without an index, in a list per base: its bytes bound the base. */
  private static final class Access {
    private final Block block;
    private final int index;
    /** The largest base the access allows: size - width - offset. */
    private final long baseMax;
    private final Access next;

    Access(Block block, int index, long baseMax, Access next) {
      this.block = block;
      this.index = index;
      this.baseMax = baseMax;
      this.next = next;
    }
  }

  private final Function f;
  private final DominatorTree dom;
  /**
   * By block id: whether its definitions, checks and accesses are recorded. Queries read only
   * blocks dominating a block they ask about (where SSA puts the definitions of its operands),
   * so a block is recorded with all its dominators, when first asked about.
   */
  private final boolean[] recorded;
  /** By value id: the defining instruction (null for a parameter) and block. */
  private final Instruction[] definition;
  private final Block[] defBlock;
  /**
   * By block id, once {@link #known}: the fact that holds in the block by the edge into it, or
   * null: the fact of its only incoming edge, or of a loop header's only edge from outside the
   * loop (the others come from blocks it dominates) if its operands are defined in blocks
   * strictly dominating the header, so no iteration changes them.
   */
  private final Fact[] entering;
  /** By block id: whether its {@link #entering} fact is found yet. */
  private final boolean[] known;
  /** By index value id: its {@code bounds_check}s. */
  private final Check[] checks;
  /**
   * By constant: the {@code bounds_check}s of an {@code iconst} index, whichever copy of the
   * constant they name (remat gives each block its own).
   */
  private final Map<Long, Check> constantChecks = new HashMap<>();
  /** By base value id: its accesses without an index at a non-positive offset. */
  private final Access[] accesses;

  private IndexedAccessProof(Function f, DominatorTree dom) {
    this.f = f;
    this.dom = dom;
    recorded = new boolean[f.blockCount()];
    definition = new Instruction[f.valueCount()];
    defBlock = new Block[f.valueCount()];
    entering = new Fact[f.blockCount()];
    known = new boolean[f.blockCount()];
    checks = new Check[f.valueCount()];
    accesses = new Access[f.valueCount()];
  }

  /**
   * The proof over {@code f}, which collects the facts of a block at the first query that needs
   * them: {@code f} must not change while it is in use. Edges from unreachable blocks count for
   * nothing: they never run (and the verifier rejects such blocks).
   *
   * @param f a function that passes the verifier's structural checks
   * @param dom its dominator tree
   * @return the proof
   */
  public static IndexedAccessProof of(Function f, DominatorTree dom) {
    return new IndexedAccessProof(f, dom);
  }

  /** Records reachable block {@code b} and its dominators, those not recorded yet. */
  private void record(Block b) {
    // checks found now, keyed by constant once the walk has recorded their indexes' definitions
    List<Check> found = new ArrayList<>();
    for (Block g = b; g != null && !recorded[g.id()]; g = dom.idom(g)) {
      recorded[g.id()] = true;
      List<Value> params = g.params();
      for (int k = 0; k < params.size(); k++) { // no iterator to allocate in C1-compiled code
        defBlock[params.get(k).id()] = g;
      }
      List<Instruction> insts = g.instructions();
      for (int i = 0; i < insts.size(); i++) {
        Instruction inst = insts.get(i);
        Value result = inst.result();
        if (result != null) {
          definition[result.id()] = inst;
          defBlock[result.id()] = g;
        }
        Opcode op = inst.opcode();
        if (op == Opcode.BOUNDS_CHECK) {
          int id = inst.arg(0).id();
          checks[id] = new Check(g, i, inst.arg(1), checks[id]);
          found.add(checks[id]);
        } else if (op == Opcode.LOAD || op == Opcode.STORE) {
          Address ad = inst.address(); // address() builds one per call
          if (ad.index() == null && ad.offset() <= 0) {
            int id = ad.base().id();
            accesses[id] = new Access(g, i, inst.memory().size() - inst.memType().width()
                - ad.offset(), accesses[id]);
          }
        }
      }
    }
    for (int k = 0; k < found.size(); k++) {
      Check c = found.get(k);
      // an index is defined in a block dominating its check's: recorded by now
      Instruction d = definition[c.block.instructions().get(c.index).arg(0).id()];
      if (d != null && d.opcode() == Opcode.ICONST) {
        constantChecks.put(d.immediate(), new Check(c.block, c.index, c.length,
            constantChecks.get(d.immediate())));
      }
    }
  }

  /** The fact entering {@code t} (see {@link #entering}); {@code t} is recorded. */
  private Fact entering(Block t) {
    if (!known[t.id()]) {
      known[t.id()] = true;
      // the edges from blocks t does not dominate (for a loop header, the ways in)
      int edges = 0;
      int entries = 0;
      Block entry = null;
      for (Block p : dom.predecessors(t)) {
        int n = callsTo(p, t);
        edges += n;
        if (!dom.dominates(t, p)) {
          entries += n;
          entry = p;
        }
      }
      if (entries == 1) {
        Fact fact = edgeFact(entry, t);
        entering[t.id()] = edges == 1 || fact != null && definedBefore(fact.x, t)
            && definedBefore(fact.y, t) ? fact : null;
      }
    }
    return entering[t.id()];
  }

  /** How many of {@code p}'s terminator's edges go to {@code t}. */
  private static int callsTo(Block p, Block t) {
    int n = 0;
    for (BlockCall call : p.terminator().targets()) {
      if (call.target() == t) {
        n++;
      }
    }
    return n;
  }

  /** The only edge into {@code b}, or null. */
  private BlockCall onlyEdge(Block b) {
    List<Block> preds = dom.predecessors(b);
    if (preds.size() != 1) {
      return null;
    }
    BlockCall only = null;
    for (BlockCall call : preds.get(0).terminator().targets()) {
      if (call.target() == b) {
        if (only != null) {
          return null;
        }
        only = call;
      }
    }
    return only;
  }

  /** Whether {@code v} is defined in a block strictly dominating {@code t}. */
  private boolean definedBefore(Value v, Block t) {
    Block d = defBlock[v.id()];
    return d != null && d != t && dom.reachable(d) && dom.dominates(d, t);
  }

  /**
   * Whether the access at {@code index} in {@code b}, a load or store with an index, is proven
   * in bounds: {@code [vB + vI*S + K]} of width W in a memory of Z bytes with {@code K >= 0}, a
   * fact {@code vI <u vL} ({@link #below}), a guard {@code vL <=u vM} holding there with
   * {@code vM = ushr vD, log2 S} (or {@code vD} itself if S is 1), {@code vD = isub vZc, vB},
   * {@code vZc} an {@code iconst} with {@code 0 <= Zc <= Z - K - W + S}, and {@code vB <=u C}
   * with {@code C <= Zc} ({@link #baseMax}). Then {@code D = Zc - B} does not wrap and
   * {@code I*S <= (L - 1)*S <= D - S}, so the address lies in {@code [K, Zc - S + K]}, inside
   * {@code [0, Z - W]}.
   *
   * @param b a block
   * @param index the index of the access in {@code b}
   * @return whether the IR proves it in bounds
   */
  public boolean proves(Block b, int index) {
    Instruction access = b.instructions().get(index);
    Address ad = access.address();
    long k = ad.offset();
    long scale = ad.scale();
    if (ad.index() == null || k < 0) {
      return false;
    }
    record(b);
    long most = access.memory().size() - k - access.memType().width() + scale;
    long baseMax = baseMax(ad.base(), b, index);
    for (Block g = b; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      if (fact == null || fact.rel != IntCond.ULE) {
        continue;
      }
      long zc = room(fact.y, ad.base(), scale);
      if (zc >= 0 && zc <= most && baseMax >= 0 && baseMax <= zc
          && below(ad.index(), fact.x, b, index)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The least C that {@code base <=u C} holds with at instruction {@code index} of {@code b}, or
   * -1: a guard ({@link #unsignedMax}), or an access {@code [base + K']} without an index,
   * {@code K' <= 0}, of width W' in a memory of Z' bytes before it in {@code b} or in a block
   * dominating {@code b}: it put {@code base} in {@code [-K', Z' - W' - K']}.
   */
  private long baseMax(Value base, Block b, int index) {
    long most = unsignedMax(base, b);
    for (Access a = accesses[base.id()]; a != null; a = a.next) {
      if ((a.block == b ? a.index < index : dom.reachable(a.block) && dom.dominates(a.block, b))
          && (most < 0 || a.baseMax < most)) {
        most = a.baseMax;
      }
    }
    return most;
  }

  /**
   * Zc if {@code m} is {@code ushr (isub vZc, base), log2 scale} (or the {@code isub} for scale
   * 1) with {@code vZc} a non-negative {@code iconst}, else -1.
   */
  private long room(Value m, Value base, long scale) {
    Instruction d = definition[m.id()];
    if (d != null && d.opcode() == Opcode.USHR) {
      long shift = constant(d.arg(1));
      d = shift >= 0 && shift < 4 && 1L << shift == scale ? definition[d.arg(0).id()] : null;
    } else if (scale != 1) {
      return -1;
    }
    if (d == null || d.opcode() != Opcode.ISUB || !same(d.arg(1), base)) {
      return -1;
    }
    return constant(d.arg(0));
  }

  /**
   * Whether {@code i <u l} holds at instruction {@code index} of {@code b}: a
   * {@code bounds_check i, l} before it in {@code b} or in a block dominating {@code b}, a guard
   * {@code i <u l}, or {@code i} an induction variable below {@code l} ({@link #induction}).
   */
  private boolean below(Value i, Value l, Block b, int index) {
    return checked(i, l, b, index) || holds(i, IntCond.ULT, l, b) || induction(i, l, b)
        || signedBelow(i, l, b) && nonNegativeInduction(i);
  }

  /**
   * Whether guards in {@code b} give {@code i <s l}: {@code i <s t} with {@code t} being
   * {@code l} or guarded {@code t <=s l}, or {@code i <=s t} with guarded {@code t <s l}.
   */
  private boolean signedBelow(Value i, Value l, Block b) {
    for (Block g = b; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      if (fact == null || !same(fact.x, i)) {
        continue;
      }
      if (fact.rel == IntCond.SLT && (same(fact.y, l) || holds(fact.y, IntCond.SLE, l, b))
          || fact.rel == IntCond.SLE && holds(fact.y, IntCond.SLT, l, b)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether guards in {@code b} give {@code i <s 2^62}: {@code i <s t} or {@code i <=s t} with
   * {@code t} guarded {@code <=u 2^62} or below such a length ({@link #signedBelow}).
   */
  private boolean signedSmall(Value i, Block b) {
    for (Block g = b; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      if (fact == null || !same(fact.x, i)
          || fact.rel != IntCond.SLT && fact.rel != IntCond.SLE) {
        continue;
      }
      long tMax = unsignedMax(fact.y, b);
      if (tMax >= 0 && tMax < MAX_LENGTH) {
        return true;
      }
      for (Block h = b; h != null; h = dom.idom(h)) {
        Fact bound = entering(h);
        long lMax = bound == null ? -1 : unsignedMax(bound.y, b);
        if (bound != null && same(bound.x, fact.y)
            && (bound.rel == IntCond.SLT || bound.rel == IntCond.SLE)
            && lMax >= 0 && lMax <= MAX_LENGTH) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code i}, a parameter of a block H, is non-negative wherever H dominates: each edge
   * into H passes a value non-negative there ({@link #nonNegative}), or {@code a = iadd i, c}
   * from a block H dominates, with the step {@code c} from 1 to 2^31 ({@link #step}) and
   * guards there giving {@code i <s 2^62} ({@link #signedSmall}). By induction on the entries
   * into H, {@code a} does not wrap and is positive.
   */
  private boolean nonNegativeInduction(Value i) {
    Block h = defBlock[i.id()];
    if (definition[i.id()] != null || h == null || h == f.entry()) {
      return false;
    }
    int k = h.params().indexOf(i);
    for (Block p : dom.predecessors(h)) {
      record(p);
      for (BlockCall call : p.terminator().targets()) {
        if (call.target() != h) {
          continue;
        }
        Value a = call.args().get(k);
        Instruction add = definition[a.id()];
        boolean stepped = add != null && add.opcode() == Opcode.IADD && add.arg(0) == i
            && dom.dominates(h, p) && step(add.arg(1), p) && signedSmall(i, p);
        if (!stepped && !nonNegative(a, p, h)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether a {@code bounds_check i, l} comes before instruction {@code index} of {@code b}, an
   * {@code iconst} index matching a check of any copy of its constant.
   */
  private boolean checked(Value i, Value l, Block b, int index) {
    Instruction d = definition[i.id()];
    return checked(checks[i.id()], l, b, index) || d != null && d.opcode() == Opcode.ICONST
        && checked(constantChecks.get(d.immediate()), l, b, index);
  }

  /** Whether one of the checks from {@code c} on, of length {@code l}, comes before the place. */
  private boolean checked(Check c, Value l, Block b, int index) {
    for (; c != null; c = c.next) {
      if (same(c.length, l) && (c.block == b ? c.index < index
          : dom.reachable(c.block) && dom.dominates(c.block, b))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code i}, a parameter of a block H that is or dominates {@code b}, lies in
   * {@code [0, l)} wherever H dominates, {@code l} defined in a block strictly dominating H: on
   * each edge into H its argument either is below {@code l} there (a check, a guard
   * {@code a <u l}, or guards {@code a >=s 0} and {@code a <s l}), or is {@code a = iadd i, c}
   * from a block H dominates, the step {@code c} an {@code iconst} from 1 to 2^31 or guarded
   * {@code c + K <=u C} with {@code -2^31 <= K <= -1} and {@code C - K <= 2^31}, the edge taken
   * only if {@code a <s t} (with {@code t} being {@code l} or guarded {@code t <=s l}) or
   * {@code a <=s t} (guarded {@code t <s l}), and a guard {@code l <=u 2^62}. By induction on
   * the entries into H: {@code 0 <= i < l <= 2^62} makes {@code a} non-negative without wrapping,
   * and below {@code l}.
   */
  private boolean induction(Value i, Value l, Block b) {
    Block h = defBlock[i.id()];
    Block d = defBlock[l.id()];
    if (definition[i.id()] != null || h == null || d == null || d == h || h == f.entry()
        || !dom.reachable(b) || !dom.dominates(h, b) || !dom.dominates(d, h)) {
      return false;
    }
    int k = h.params().indexOf(i);
    for (Block p : dom.predecessors(h)) {
      record(p);
      for (BlockCall call : p.terminator().targets()) {
        // the step first: it rules itself out at once on a way in, entryBelow walks up
        if (call.target() == h && !stepBelow(call.args().get(k), i, l, p, h)
            && !entryBelow(call.args().get(k), l, p, h)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether {@code a <u l} holds on the edge from {@code p} into {@code h}, without induction;
   * an argument that is a parameter of {@code p} entered by one edge only (a preheader) is the
   * argument of that edge, where {@code l} is defined already.
   */
  private boolean entryBelow(Value a, Value l, Block p, Block h) {
    while (true) {
      if (checked(a, l, p, p.instructions().size() - 1) || onEdge(a, IntCond.ULT, l, p, h)
          || onEdge(a, IntCond.SLT, l, p, h) && nonNegative(a, p, h)) {
        return true;
      }
      BlockCall only = onlyEdge(p);
      // the only edge's block is p's immediate dominator, recorded with p
      Block q = only == null ? null : dom.idom(p);
      if (definition[a.id()] != null || defBlock[a.id()] != p || q == null
          || !dom.dominates(defBlock[l.id()], q)) {
        return false;
      }
      a = only.args().get(p.params().indexOf(a));
      h = p;
      p = q;
    }
  }

  /** Whether {@code a = iadd i, c} steps {@code i} below {@code l} on the edge (see above). */
  private boolean stepBelow(Value a, Value i, Value l, Block p, Block h) {
    Instruction add = definition[a.id()];
    if (add == null || add.opcode() != Opcode.IADD || add.arg(0) != i
        || !dom.dominates(h, p) || !step(add.arg(1), p)) {
      return false;
    }
    long lMax = unsignedMax(l, p);
    Fact e = edgeFact(p, h);
    if (lMax < 0 || lMax > MAX_LENGTH || e == null || !same(e.x, a)) {
      return false;
    }
    if (e.rel == IntCond.SLT) {
      return same(e.y, l) || holds(e.y, IntCond.SLE, l, p);
    }
    return e.rel == IntCond.SLE && holds(e.y, IntCond.SLT, l, p);
  }

  /** Whether step {@code c} lies in {@code [1, 2^31]} on the edge from {@code p}. */
  private boolean step(Value c, Block p) {
    long s = constant(c);
    if (s >= 1 && s <= MAX_STEP) {
      return true;
    }
    for (Block g = p; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      Instruction add = fact == null || fact.rel != IntCond.ULE ? null : definition[fact.x.id()];
      Instruction k = add == null || add.opcode() != Opcode.IADD || !same(add.arg(0), c) ? null
          : definition[add.arg(1).id()];
      long hi = constant(fact == null ? c : fact.y);
      if (k != null && k.opcode() == Opcode.ICONST && k.immediate() >= -MAX_STEP
          && k.immediate() <= -1 && hi >= 0 && hi - k.immediate() <= MAX_STEP) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code a >=s 0} holds on the edge: {@code a} a non-negative {@code iconst}, or a
   * guard {@code c <=s a} or {@code c <s a} with {@code c} an {@code iconst} that makes it so.
   */
  private boolean nonNegative(Value a, Block p, Block h) {
    Fact e = edgeFact(p, h);
    if (constant(a) >= 0 || e != null && same(e.y, a) && lowerBound(e) >= 0) {
      return true;
    }
    for (Block g = p; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      if (fact != null && same(fact.y, a) && lowerBound(fact) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The least value of {@code y} that a signed fact {@code c <=s y} or {@code c <s y} gives. */
  private long lowerBound(Fact fact) {
    Instruction c = definition[fact.x.id()];
    if (c == null || c.opcode() != Opcode.ICONST) {
      return -1;
    }
    if (fact.rel == IntCond.SLE) {
      return c.immediate();
    }
    return fact.rel == IntCond.SLT && c.immediate() != Long.MAX_VALUE ? c.immediate() + 1 : -1;
  }

  /** Whether {@code x REL y} holds on the edge from {@code p} into {@code h}. */
  private boolean onEdge(Value x, IntCond rel, Value y, Block p, Block h) {
    Fact e = edgeFact(p, h);
    return e != null && same(e.x, x) && e.rel == rel && same(e.y, y) || holds(x, rel, y, p);
  }

  /** Whether a guard {@code x REL y} holds in {@code b}: into it or a block dominating it. */
  private boolean holds(Value x, IntCond rel, Value y, Block b) {
    for (Block g = b; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      if (fact != null && same(fact.x, x) && fact.rel == rel && same(fact.y, y)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The least C of the guards {@code x <=u C} (or {@code x <u C + 1}) holding in {@code b}, C a
   * non-negative {@code iconst}, or -1 if there is none.
   */
  private long unsignedMax(Value x, Block b) {
    long most = -1;
    for (Block g = b; g != null; g = dom.idom(g)) {
      Fact fact = entering(g);
      if (fact == null || !same(fact.x, x)) {
        continue;
      }
      long c = constant(fact.y);
      long m = fact.rel == IntCond.ULE ? c : fact.rel == IntCond.ULT && c >= 1 ? c - 1 : -1;
      if (m >= 0 && (most < 0 || m < most)) {
        most = m;
      }
    }
    return most;
  }

  /**
   * Whether {@code a} and {@code b} are one value, or {@code iconst}s of one constant (passes give
   * each block its own copy of a constant).
   */
  private boolean same(Value a, Value b) {
    if (a == b) {
      return true;
    }
    Instruction x = definition[a.id()];
    Instruction y = definition[b.id()];
    return x != null && y != null && x.opcode() == Opcode.ICONST && y.opcode() == Opcode.ICONST
        && x.immediate() == y.immediate();
  }

  /** The value of {@code v} if an {@code iconst} defines it and it is non-negative, else -1. */
  private long constant(Value v) {
    Instruction c = definition[v.id()];
    return c != null && c.opcode() == Opcode.ICONST && c.immediate() >= 0 ? c.immediate() : -1;
  }

  /**
   * The fact that the edge from {@code p} into {@code t} establishes: {@code p} ends in
   * {@code brif} on an {@code icmp} with {@code t} as one target only (the then edge: the
   * compare held; the else edge: it did not), written as ult, ule, slt or sle; else null.
   */
  private Fact edgeFact(Block p, Block t) {
    Instruction br = p.terminator();
    if (br.opcode() != Opcode.BRIF) {
      return null;
    }
    boolean then = br.targets[0].target() == t;
    if (then == (br.targets[1].target() == t)) {
      return null;
    }
    Instruction cmp = definition[br.arg(0).id()];
    if (cmp == null || cmp.opcode() != Opcode.ICMP) {
      return null;
    }
    Value x = cmp.arg(0);
    Value y = cmp.arg(1);
    IntCond c = then ? cmp.intCond() : cmp.intCond().negated();
    return switch (c) {
      case ULT, ULE, SLT, SLE -> new Fact(x, c, y);
      case UGT, UGE, SGT, SGE -> new Fact(y, c.mirrored(), x);
      case EQ, NE -> null;
    };
  }
}
