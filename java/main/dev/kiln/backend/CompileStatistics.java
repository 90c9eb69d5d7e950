package dev.kiln.backend;

/**
 * What compiling a module took and made.
 *
 * @param functions the functions compiled
 * @param instructions the IR instructions compiled
 * @param spilledValues values the register allocator put in stack slots
 * @param codeBytes bytes of machine code, the entry stub and constants included
 * @param lowerNanos time spent in instruction selection
 * @param allocateNanos time spent in register allocation
 * @param emitNanos time spent emitting and assembling
 * @param installNanos time spent installing the code into executable memory
 */
public record CompileStatistics(int functions, int instructions, int spilledValues,
    int codeBytes, long lowerNanos, long allocateNanos, long emitNanos, long installNanos) {}
