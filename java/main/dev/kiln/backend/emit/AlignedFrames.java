package dev.kiln.backend.emit;

import dev.kiln.backend.lower.MachineFunction;
import dev.kiln.ir.Block;
import dev.kiln.ir.Function;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
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
public final class AlignedFrames {
  private AlignedFrames() {}

  /**
   * Per function, whether it aligns its calls.
   *
   * @param functions the module's functions after lowering, in module order
   * @return indexed like {@code functions}
   */
  static boolean[] of(List<MachineFunction> functions) {
    List<List<Instruction>> calls = new ArrayList<>(functions.size());
    for (MachineFunction mf : functions) {
      List<Instruction> own = new ArrayList<>(mf.callCount());
      for (int k = 0; k < mf.callCount(); k++) {
        own.add(mf.at(mf.call(k)));
      }
      calls.add(own);
    }
    return ofCalls(calls);
  }

  /**
   * Per function, whether it aligns its calls, from the calls its IR makes before the passes that
   * read no other function: those passes and lowering only drop calls, so an aligning function
   * stays one whose calls may reach host code, and a function it calls aligns only if the
   * function aligned here.
   *
   * @param functions the module's functions, in module order
   * @return indexed like {@code functions}
   */
  public static boolean[] ofIr(List<Function> functions) {
    List<List<Instruction>> calls = new ArrayList<>(functions.size());
    for (Function f : functions) {
      List<Instruction> own = new ArrayList<>();
      for (Block b : f.blocks()) {
        for (Instruction inst : b.instructions()) {
          if (inst.opcode() == Opcode.CALL || inst.opcode() == Opcode.CALL_INDIRECT) {
            own.add(inst);
          }
        }
      }
      calls.add(own);
    }
    return ofCalls(calls);
  }

  /** Closes "calls host code" over the callers of each function's calls, by index. */
  private static boolean[] ofCalls(List<List<Instruction>> calls) {
    int n = calls.size();
    boolean[] aligns = new boolean[n];
    // the direct callers of each function, as linked lists: head per callee, next per edge
    int[] head = new int[n];
    int[] caller = new int[16];
    int[] next = new int[16];
    int edges = 0;
    int[] work = new int[n];
    int top = 0;
    for (int i = 0; i < n; i++) {
      for (Instruction inst : calls.get(i)) {
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
