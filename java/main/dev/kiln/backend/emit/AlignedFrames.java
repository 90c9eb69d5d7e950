package dev.kiln.backend.emit;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.Arrays;
import java.util.List;

/**
 * Which functions keep rsp 16-byte aligned at their calls. The host ABIs require it at a call
 * into host code (System V AMD64 ABI 3.2.2, Microsoft x64 ABI "Stack allocation"); the internal
 * convention does not. So a function aligns only if its calls may reach host code: it calls an
 * import (C or Java), calls through the function table (any function may be the target), or
 * calls a function that aligns. An aligning function is thus entered only from aligning
 * functions or the entry stub, with rsp = 8 mod 16, which its frame size relies on.
 */
final class AlignedFrames {
  private AlignedFrames() {}

  /**
   * Per function, whether it aligns its calls.
   *
   * @param functions the module's functions after lowering, in module order
   * @return indexed like {@code functions}
   */
  static boolean[] of(List<MachineFunction> functions) {
    int n = functions.size();
    boolean[] aligns = new boolean[n];
    // the direct callers of each function, as linked lists: head per callee, next per edge
    int[] head = new int[n];
    int[] caller = new int[16];
    int[] next = new int[16];
    int edges = 0;
    int[] work = new int[n];
    int top = 0;
    for (int i = 0; i < n; i++) {
      MachineFunction mf = functions.get(i);
      for (int k = 0; k < mf.callCount(); k++) {
        Instruction inst = mf.at(mf.call(k));
        if (inst.opcode() == Opcode.CALL && inst.callee() instanceof Function callee) {
          if (edges == caller.length) {
            caller = Arrays.copyOf(caller, 2 * edges);
            next = Arrays.copyOf(next, 2 * edges);
          }
          caller[edges] = i;
          next[edges] = head[callee.index()];
          head[callee.index()] = ++edges; // 0 ends a list
        } else {
          aligns[i] = true;
        }
      }
      if (aligns[i]) {
        work[top++] = i;
      }
    }
    while (top > 0) {
      for (int e = head[work[--top]]; e != 0; e = next[e - 1]) {
        if (!aligns[caller[e - 1]]) {
          aligns[caller[e - 1]] = true;
          work[top++] = caller[e - 1];
        }
      }
    }
    return aligns;
  }
}
