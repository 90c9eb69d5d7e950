package dev.kiln.runtime;

import static dev.kiln.runtime.CallingConvention.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallingConventionTest {
  @Test
  void systemV() {
    assertEquals(List.of(RDI, RSI, RDX, RCX, R8, R9), SYSTEM_V.integerArguments());
    assertEquals(8, SYSTEM_V.floatArguments().size());
    assertEquals(List.of(RBX, RBP, R12, R13, R14, R15), SYSTEM_V.calleeSaved());
    assertEquals(List.of(), SYSTEM_V.calleeSavedXmm());
    assertEquals(0, SYSTEM_V.shadowSpace());
    assertEquals(128, SYSTEM_V.redZone());
    assertFalse(SYSTEM_V.positionalArguments());
  }

  @Test
  void windowsX64() {
    assertEquals(List.of(RCX, RDX, R8, R9), WINDOWS_X64.integerArguments());
    assertEquals(List.of(0, 1, 2, 3), WINDOWS_X64.floatArguments());
    assertTrue(WINDOWS_X64.calleeSaved().containsAll(List.of(RDI, RSI, RBX, RBP, R12, R15)));
    assertEquals(List.of(6, 7, 8, 9, 10, 11, 12, 13, 14, 15), WINDOWS_X64.calleeSavedXmm());
    assertEquals(32, WINDOWS_X64.shadowSpace());
    assertFalse(WINDOWS_X64.hasRedZone());
    assertTrue(WINDOWS_X64.positionalArguments());
    assertEquals(16, WINDOWS_X64.stackAlignment());
  }

  @Test
  void hostMatchesTheOperatingSystem() {
    boolean windows = System.getProperty("os.name").startsWith("Windows");
    assertSame(windows ? WINDOWS_X64 : SYSTEM_V, CallingConvention.host());
  }

  @Test
  void platformNamesMatchTheResourceDirectories() {
    assertEquals("native/linux-x86_64/libkiln.so", Platform.of("Linux", "amd64").libraryResource());
    assertEquals(
        "native/windows-x86_64/kiln.dll", Platform.of("Windows 11", "amd64").libraryResource());
    assertEquals("macosx-aarch64", Platform.of("Mac OS X", "aarch64").toString());
  }
}
