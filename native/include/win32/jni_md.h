/* The JNI machine-dependent definitions for Windows x64, for cross-compiling kiln.dll with
 * mingw-w64 against a non-Windows JDK's jni.h (whose include/<os>/jni_md.h describes its host).
 * The types match the Windows JDK's own header: jint is a 32-bit long (LLP64), jlong 64 bits. */
#ifndef KILN_WIN32_JNI_MD_H
#define KILN_WIN32_JNI_MD_H

#ifndef JNIEXPORT
#define JNIEXPORT __declspec(dllexport)
#endif
#define JNIIMPORT __declspec(dllimport)
/* Empty: x64 Windows has one calling convention (__stdcall would be ignored). JDK 24+ jni.h
 * defines JNICALL empty itself, after including this file; an identical redefinition is legal. */
#define JNICALL

typedef long jint;
typedef __int64 jlong;
typedef signed char jbyte;

#endif
