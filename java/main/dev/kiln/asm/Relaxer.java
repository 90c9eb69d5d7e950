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
  private static final int JMP = -2;

  // Sites: raw position, kind (a Cond code 0-15 for jcc, JMP, or ALIGN), label id or alignment.
  private int sites;
  private int[] siteRaw = new int[64];
  private int[] siteKind = new int[64];
  private int[] siteArg = new int[64];
  private int[] siteSize = new int[64];
  private int[] extra = new int[1];

  // Fixups: a rel32 field at raw position fixRaw, ending the instruction fixTail bytes later.
  private int fixups;
  private int[] fixRaw = new int[16];
  private int[] fixTail = new int[16];
  private int[] fixSites = new int[16];
  private int[] fixLabel = new int[16];

  // Labels: raw position and sites before it; labelSites == -1 while unbound.
  private int labels;
  private int[] labelRaw = new int[16];
  private int[] labelSites = new int[16];
  private boolean[] labelUsed = new boolean[16];
  private String[] labelName = new String[16];

  int siteCount() {
    return sites;
  }

  int newLabel(String name) {
    if (labels == labelRaw.length) {
      int n = labels * 2;
      labelRaw = Arrays.copyOf(labelRaw, n);
      labelSites = Arrays.copyOf(labelSites, n);
      labelUsed = Arrays.copyOf(labelUsed, n);
      labelName = Arrays.copyOf(labelName, n);
    }
    labelSites[labels] = -1;
    labelName[labels] = name;
    return labels++;
  }

  void bind(int label, int raw) {
    if (labelSites[label] >= 0) {
      throw new AsmException("label '" + labelName[label] + "' is bound twice");
    }
    labelRaw[label] = raw;
    labelSites[label] = sites;
  }

  boolean isBound(int label) {
    return labelSites[label] >= 0;
  }

  /** Adds a relaxable jmp (kind JMP) or jcc (kind = condition code) to a label at raw position. */
  void branch(int raw, int cond, int label) {
    labelUsed[label] = true;
    addSite(raw, cond, label, 2);
  }

  void jmp(int raw, int label) {
    branch(raw, JMP, label);
  }

  void align(int raw, int alignment) {
    addSite(raw, ALIGN, alignment, 0);
  }

  private void addSite(int raw, int kind, int arg, int size) {
    if (sites == siteRaw.length) {
      int n = sites * 2;
      siteRaw = Arrays.copyOf(siteRaw, n);
      siteKind = Arrays.copyOf(siteKind, n);
      siteArg = Arrays.copyOf(siteArg, n);
      siteSize = Arrays.copyOf(siteSize, n);
    }
    siteRaw[sites] = raw;
    siteKind[sites] = kind;
    siteArg[sites] = arg;
    siteSize[sites] = size;
    sites++;
  }

  /**
   * Records a 32-bit label-relative field at raw position {@code raw}, followed by {@code tail}
   * more bytes of the same instruction (an immediate): x86 RIP-relative displacements and rel32
   * targets count from the end of the instruction (Intel SDM Vol. 2, 2.2.1.6).
   */
  void fixup(int raw, int tail, int label) {
    if (fixups == fixRaw.length) {
      int n = fixups * 2;
      fixRaw = Arrays.copyOf(fixRaw, n);
      fixTail = Arrays.copyOf(fixTail, n);
      fixSites = Arrays.copyOf(fixSites, n);
      fixLabel = Arrays.copyOf(fixLabel, n);
    }
    labelUsed[label] = true;
    fixRaw[fixups] = raw;
    fixTail[fixups] = tail;
    fixSites[fixups] = sites;
    fixLabel[fixups] = label;
    fixups++;
  }

  /** The first label that is used but never bound, or -1. */
  int unboundUsedLabel() {
    for (int i = 0; i < labels; i++) {
      if (labelUsed[i] && labelSites[i] < 0) {
        return i;
      }
    }
    return -1;
  }

  String labelName(int label) {
    return labelName[label];
  }

  /** Final offset of the point at raw position {@code raw} with {@code sitesBefore} sites before. */
  int finalOffset(int raw, int sitesBefore) {
    return raw + extra[sitesBefore];
  }

  int labelOffset(int label) {
    if (labelSites[label] < 0) {
      throw new AsmException("label '" + labelName[label] + "' is not bound");
    }
    return finalOffset(labelRaw[label], labelSites[label]);
  }

  /** Runs relaxation to its fixed point and returns the final code. */
  byte[] layout(CodeBuffer raw) {
    extra = new int[sites + 1];
    boolean grew;
    do {
      computePositions();
      grew = growOutOfReach();
    } while (grew);
    return emit(raw);
  }

  private void computePositions() {
    int acc = 0;
    for (int i = 0; i < sites; i++) {
      if (siteKind[i] == ALIGN) {
        int pos = siteRaw[i] + acc;
        siteSize[i] = -pos & (siteArg[i] - 1);
      }
      acc += siteSize[i];
      extra[i + 1] = acc;
    }
  }

  private boolean growOutOfReach() {
    boolean grew = false;
    for (int i = 0; i < sites; i++) {
      if (siteKind[i] != ALIGN && siteSize[i] == 2) {
        int end = finalOffset(siteRaw[i], i) + 2;
        if (!Imm.fits8(labelOffset(siteArg[i]) - end)) {
          siteSize[i] = siteKind[i] == JMP ? 5 : 6;
          grew = true;
        }
      }
    }
    return grew;
  }

  private byte[] emit(CodeBuffer raw) {
    byte[] in = raw.data();
    byte[] out = new byte[raw.size() + extra[sites]];
    int from = 0;
    for (int i = 0; i < sites; i++) {
      int at = finalOffset(siteRaw[i], i);
      System.arraycopy(in, from, out, from + extra[i], siteRaw[i] - from);
      from = siteRaw[i];
      if (siteKind[i] == ALIGN) {
        Nops.fill(out, at, siteSize[i]);
      } else {
        emitBranch(out, at, i);
      }
    }
    System.arraycopy(in, from, out, from + extra[sites], raw.size() - from);
    for (int i = 0; i < fixups; i++) {
      int field = finalOffset(fixRaw[i], fixSites[i]);
      int end = field + 4 + fixTail[i];
      int addend = CodeBuffer.readInt(out, field);
      CodeBuffer.writeInt(out, field, labelOffset(fixLabel[i]) - end + addend);
    }
    return out;
  }

  private void emitBranch(byte[] out, int at, int site) {
    int kind = siteKind[site];
    int size = siteSize[site];
    int rel = labelOffset(siteArg[site]) - (at + size);
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
