/**
 * Kiln, a JIT toolkit: {@link dev.kiln.ir} is a language-independent SSA IR (builder, verifier,
 * text form, reference interpreter) that {@link dev.kiln.backend} compiles to x86-64,
 * {@link dev.kiln.asm} encodes x86-64 machine code and {@link
 * dev.kiln.runtime} installs it in executable memory and calls it. The runtime loads a native
 * library bundled in the jar (Linux and Windows on x86-64) through JNI, so an application grants
 * this module native access, which JDK 24 and later warn about otherwise: {@code
 * --enable-native-access=dev.kiln} on the module path, {@code ALL-UNNAMED} on the classpath (the
 * option exists from JDK 17 on). The command line ({@code java -jar kiln.jar}) and the Kiln and
 * Brainfuck front ends and JITs are in the module but not part of its API.
 */
module dev.kiln {
  exports dev.kiln.ir;
  exports dev.kiln.backend;
  exports dev.kiln.asm;
  exports dev.kiln.runtime;
}
