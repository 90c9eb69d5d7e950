package dev.kiln.bytecode;

import java.util.List;

/**
 * One compiled function: its code is {@code code[entry .. end)} of the program's code array. Its
 * frame has {@code frameSize} slots; the parameters are slots {@code 0 .. params.size()-1}, in
 * order; the other slots are locals and temporaries, numbered statically by the compiler.
 */
public record FunctionInfo(
    String name, int entry, int end, int frameSize, List<ValueKind> params, ValueKind result) {}
