package dev.kiln.asm;

import java.util.Arrays;

/**
 * Labels, relaxable branches, alignment and label-relative fixups, and the layout pass that turns
 * the raw byte stream into final code.
 *
 * <p>Relaxable items ("sites": branches to labels and alignment padding) take no bytes in the raw
 * buffer. A raw position plus the number of sites before it identifies a point in the code; its
 * final offset is the raw position plus the total size of those sites. Layout starts every branch
 * short (rel8) and iterates: compute positions (recomputing alignment padding each pass), grow
 * every short branch whose target is out of reach to rel32, repeat until nothing grows. Branches
 * only ever grow, so this reaches a fixed point in at most (number of branches + 1) passes.
 */
final class Relaxer {
  private static final int ALIGN = -1;
  /** Site kind of an unconditional jump (jcc sites use their condition code, 0-15). */
  static final int JMP = -2;
  /** Sites (or fixups) per call of a pass's chunk method (see {@link #layout}). */
  private static final int CHUNK = 32;

  // Sites, four ints each: raw position, kind (a Cond code 0-15 for jcc, JMP, or ALIGN), label id
  // or alignment (low bits) and most padding (from ALIGN_SHIFT), current size in bytes.
  private static final int S_RAW = 0;
  private static final int S_KIND = 1;
  private static final int S_ARG = 2;
  private static final int S_SIZE = 3;
  private static final int ALIGN_SHIFT = 16;
  private int sites;
  private int[] site = new int[4 * 64];
  private int[] extra = new int[1];

  // Fixups, four ints each: a rel32 field at raw position F_RAW, ending the instruction F_TAIL
  // bytes after the field's end, with F_SITES sites before it, relative to label F_LABEL.
  private static final int F_RAW = 0;
  private static final int F_TAIL = 1;
  private static final int F_SITES = 2;
  private static final int F_LABEL = 3;
  private int fixups;
  private int[] fix = new int[4 * 16];

  // Labels: raw position and sites before it (-1 while unbound), whether used, name.
  private int labels;
  private int[] labelAt = new int[2 * 16];
  private boolean[] labelUsed = new boolean[16];
  private String[] labelName = new String[16];

  int siteCount() {
    return sites;
  }

  int newLabel(String name) {
    if (labels == labelUsed.length) {
      labelAt = Arrays.copyOf(labelAt, labels * 4);
      labelUsed = Arrays.copyOf(labelUsed, labels * 2);
      labelName = Arrays.copyOf(labelName, labels * 2);
    }
    labelAt[2 * labels + 1] = -1;
    labelName[labels] = name;
    return labels++;
  }

  void bind(int label, int raw) {
    if (labelAt[2 * label + 1] >= 0) {
      throw new AsmException("label '" + labelName(label) + "' is bound twice");
    }
    labelAt[2 * label] = raw;
    labelAt[2 * label + 1] = sites;
  }

  /** Adds a relaxable jmp (kind JMP) or jcc (kind = condition code) to a label at raw position. */
  void branch(int raw, int kind, int label) {
    labelUsed[label] = true;
    addSite(raw, kind, label, 2);
  }

  /** Pads to a multiple of {@code alignment} (up to 4096) unless that takes over maxPadding. */
  void align(int raw, int alignment, int maxPadding) {
    addSite(raw, ALIGN, alignment | maxPadding << ALIGN_SHIFT, 0);
  }

  private void addSite(int raw, int kind, int arg, int size) {
    int at = 4 * sites;
    if (at == site.length) {
      site = Arrays.copyOf(site, at * 2);
    }
    site[at + S_RAW] = raw;
    site[at + S_KIND] = kind;
    site[at + S_ARG] = arg;
    site[at + S_SIZE] = size;
    sites++;
  }

  /**
   * Records a 32-bit label-relative field at raw position {@code raw}, followed by {@code tail}
   * more bytes of the same instruction (an immediate): x86 RIP-relative displacements and rel32
   * targets count from the end of the instruction (Intel SDM Vol. 2, 2.2.1.6).
   */
  void fixup(int raw, int tail, int label) {
    int at = 4 * fixups;
    if (at == fix.length) {
      fix = Arrays.copyOf(fix, at * 2);
    }
    labelUsed[label] = true;
    fix[at + F_RAW] = raw;
    fix[at + F_TAIL] = tail;
    fix[at + F_SITES] = sites;
    fix[at + F_LABEL] = label;
    fixups++;
  }

  /** The first label that is used but never bound, or -1. */
  int unboundUsedLabel() {
    for (int i = 0; i < labels; i++) {
      if (labelUsed[i] && labelAt[2 * i + 1] < 0) {
        return i;
      }
    }
    return -1;
  }

  String labelName(int label) {
    return labelName[label] != null ? labelName[label] : "L" + label;
  }

  /** Final offset of the point at raw position {@code raw} with {@code sitesBefore} sites before. */
  int finalOffset(int raw, int sitesBefore) {
    return raw + extra[sitesBefore];
  }

  int labelOffset(int label) {
    if (labelAt[2 * label + 1] < 0) {
      throw new AsmException("label '" + labelName(label) + "' is not bound");
    }
    return finalOffset(labelAt[2 * label], labelAt[2 * label + 1]);
  }

  /**
   * Runs relaxation to its fixed point and returns the final code.
   *
   * <p>Each pass walks the sites {@link #CHUNK} at a time, one method call per chunk: layout runs
   * once per program, so one loop over all sites would stay in HotSpot's interpreter (a loop
   * already on the stack is compiled only after tens of thousands of iterations), while a small
   * method called once per chunk is compiled by C1 after about a hundred calls.
   */
  byte[] layout(CodeBuffer raw) {
    extra = new int[sites + 1];
    boolean grew;
    do {
      int acc = 0;
      for (int from = 0; from < sites; from += CHUNK) {
        acc = computePositions(from, Math.min(sites, from + CHUNK), acc);
      }
      grew = false;
      for (int from = 0; from < sites; from += CHUNK) {
        grew |= growOutOfReach(from, Math.min(sites, from + CHUNK));
      }
    } while (grew);
    return emit(raw);
  }

  /**
   * Positions of sites {@code from .. to}, {@code acc} bytes of sites before them; returns the
   * bytes after.
   */
  private int computePositions(int from, int to, int acc) {
    for (int i = from; i < to; i++) {
      int at = 4 * i;
      if (site[at + S_KIND] == ALIGN) {
        int pos = site[at + S_RAW] + acc;
        int pad = -pos & ((site[at + S_ARG] & (1 << ALIGN_SHIFT) - 1) - 1);
        site[at + S_SIZE] = pad <= site[at + S_ARG] >>> ALIGN_SHIFT ? pad : 0;
      }
      acc += site[at + S_SIZE];
      extra[i + 1] = acc;
    }
    return acc;
  }

  /**
   * One pass over the short branches among sites {@code from .. to}; the offsets are computed
   * inline (every used label is bound, {@link #unboundUsedLabel} checked that), as this loop runs
   * for every branch in every pass.
   */
  private boolean growOutOfReach(int from, int to) {
    boolean grew = false;
    for (int i = from; i < to; i++) {
      int at = 4 * i;
      if (site[at + S_KIND] != ALIGN && site[at + S_SIZE] == 2) {
        int end = site[at + S_RAW] + extra[i] + 2;
        int label = 2 * site[at + S_ARG];
        if (!Imm.fits8(labelAt[label] + extra[labelAt[label + 1]] - end)) {
          site[at + S_SIZE] = site[at + S_KIND] == JMP ? 5 : 6;
          grew = true;
        }
      }
    }
    return grew;
  }

  private byte[] emit(CodeBuffer buffer) {
    byte[] in = buffer.data();
    int rawSize = buffer.size();
    byte[] out = new byte[rawSize + extra[sites]];
    for (int from = 0; from < sites; from += CHUNK) {
      emitSites(in, out, from, Math.min(sites, from + CHUNK));
    }
    int last = sites == 0 ? 0 : site[4 * (sites - 1) + S_RAW];
    System.arraycopy(in, last, out, last + extra[sites], rawSize - last);
    for (int from = 0; from < fixups; from += CHUNK) {
      applyFixups(out, from, Math.min(fixups, from + CHUNK));
    }
    return out;
  }

  /** Copies the raw code before each of sites {@code from .. to} to its final place, then emits the site. */
  private void emitSites(byte[] in, byte[] out, int from, int to) {
    int copied = from == 0 ? 0 : site[4 * (from - 1) + S_RAW];
    for (int i = from; i < to; i++) {
      int raw = site[4 * i + S_RAW];
      System.arraycopy(in, copied, out, copied + extra[i], raw - copied);
      copied = raw;
      if (site[4 * i + S_KIND] == ALIGN) {
        Nops.fill(out, finalOffset(raw, i), site[4 * i + S_SIZE]);
      } else {
        emitBranch(out, finalOffset(raw, i), i);
      }
    }
  }

  private void applyFixups(byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      int at = 4 * i;
      int field = finalOffset(fix[at + F_RAW], fix[at + F_SITES]);
      int end = field + 4 + fix[at + F_TAIL];
      int addend = CodeBuffer.readInt(out, field);
      CodeBuffer.writeInt(out, field, labelOffset(fix[at + F_LABEL]) - end + addend);
    }
  }

  private void emitBranch(byte[] out, int at, int index) {
    int kind = site[4 * index + S_KIND];
    int size = site[4 * index + S_SIZE];
    int rel = labelOffset(site[4 * index + S_ARG]) - (at + size);
    if (size == 2) {
      out[at] = (byte) (kind == JMP ? 0xEB : 0x70 + kind);
      out[at + 1] = (byte) rel;
    } else if (kind == JMP) {
      out[at] = (byte) 0xE9;
      CodeBuffer.writeInt(out, at + 1, rel);
    } else {
      out[at] = 0x0F;
      out[at + 1] = (byte) (0x80 + kind);
      CodeBuffer.writeInt(out, at + 2, rel);
    }
  }
}
