package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsmCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run asm(String source) throws IOException {
    Path file = dir.resolve("prog.s");
    Files.writeString(file, source);
    return run("asm", file.toString());
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsBytesTabAndTextPerInstruction() throws IOException {
    Run r = asm(String.join("\n",
        ".intel_syntax noprefix",
        "# sum 1..n in rax",
        "sum:  xor eax, eax      ; clear",
        "loop: add rax, rdi",
        "      dec rdi",
        "      jnz loop",
        "      mov rcx, QWORD PTR [rbx+rcx*8+16]",
        "      mov eax, DWORD PTR ds:0x10",
        "      movsd xmm0, QWORD PTR [rip+one]",
        "      ret",
        "      .align 16",
        "one:  .quad 0x3ff0000000000000",
        ""));
    assertEquals(0, r.code(), r.err());
    assertEquals(String.join("\n",
        "31 c0\txor    eax,eax",
        "48 01 f8\tadd    rax,rdi",
        "48 ff cf\tdec    rdi",
        "75 f8\tjne    0x2 <loop>",
        "48 8b 4c cb 10\tmov    rcx,QWORD PTR [rbx+rcx*8+0x10]",
        "8b 04 25 10 00 00 00\tmov    eax,DWORD PTR ds:0x10",
        "f2 0f 10 05 02 00 00 00\tmovsd  xmm0,QWORD PTR [rip+one]",
        "c3\tret",
        "90\t.align 16",
        "00 00 00 00 00 00 f0 3f\t.quad  0x3ff0000000000000",
        ""), r.out());
  }

  @Test
  void reportsEveryErrorWithFileAndLine() throws IOException {
    Run r = asm(String.join("\n",
        "mov rax, ebx",
        "add rax, [rbx+rsp*2]",
        "frob rax",
        "jmp nowhere",
        "ok: ret",
        "ok: ret",
        "mov QWORD PTR [rax], QWORD PTR [rbx]",
        ""));
    assertEquals(1, r.code());
    String f = dir.resolve("prog.s").toString();
    assertEquals(String.join("\n",
        f + ":1: error: mov rax, ebx: operand sizes differ",
        f + ":2: error: rsp cannot be an index register: [rbx+rsp*2]",
        f + ":3: error: frob rax: unknown instruction",
        f + ":4: error: undefined label 'nowhere'",
        f + ":6: error: label 'ok' is already defined on line 5",
        f + ":7: error: mov QWORD PTR [rax], QWORD PTR [rbx]: no such operand combination",
        ""), r.err());
    assertEquals("", r.out());
  }

  @Test
  void missingFileIsAUsageError() {
    Run r = run("asm", dir.resolve("absent.s").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("kiln: cannot read " + dir.resolve("absent.s") + ": no such file"), r.err());
    assertTrue(r.err().contains("usage: "), r.err());
  }
}
