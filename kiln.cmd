@echo off
rem Runs the Kiln command line from any directory. Builds target\kiln.jar first when it is
rem missing or older than any source (one notice line; build output only if it fails).
rem
rem KILN_JAR=FILE runs that jar instead, as it is (never rebuilt): e.g. another build.
rem
rem KILN_JAVA_OPTS=OPTION... adds JVM options, after the launcher's own, so they win.
rem
rem Start-up: the JVM maps a class-data-sharing archive (CDS) of the classes a run loads, made
rem next to the jar (kiln.jsa) by one silent training run (dev.kiln.cli.ArchiveTraining) whenever it is
rem missing or older than the jar, or was made by another java. Without a usable archive the JVM
rem silently starts without it (-Xshare:auto, the default; its CDS messages are switched off).
rem The same as ./kiln, which says more.
setlocal
set "ROOT=%~dp0"
if defined KILN_JAR (set "JAR=%KILN_JAR%") else (set "JAR=%ROOT%target\kiln.jar")
if not exist "%JAR%" if defined KILN_JAR (
  echo kiln: KILN_JAR=%KILN_JAR%: no such file 1>&2
  exit /b 1
)
for %%J in ("%JAR%") do set "ARCHIVE=%%~dpnJ.jsa"
set "JAVA_BIN="
for %%J in (java.exe) do set "JAVA_BIN=%%~$PATH:J"

rem One PowerShell run says what to do: build (the jar is stale), train (the archive is), or run.
set "STATE=run"
for /f %%S in ('powershell -NoProfile -Command "$j = Get-Item -LiteralPath $env:JAR -ErrorAction SilentlyContinue; if (-not $env:KILN_JAR) { if (-not $j) { 'build'; exit }; $sources = 'java\main', 'java\resources', 'native', 'pom.xml', 'CMakeLists.txt' | ForEach-Object { Join-Path $env:ROOT $_ }; $newer = Get-ChildItem -Recurse -File -LiteralPath $sources -ErrorAction SilentlyContinue | Where-Object { $_.LastWriteTime -gt $j.LastWriteTime } | Select-Object -First 1; if ($newer) { 'build'; exit } }; $a = Get-Item -LiteralPath $env:ARCHIVE -ErrorAction SilentlyContinue; $jv = if ($env:JAVA_BIN) { Get-Item -LiteralPath $env:JAVA_BIN -ErrorAction SilentlyContinue }; $made = Get-Content -LiteralPath ($env:ARCHIVE + '.java') -ErrorAction SilentlyContinue | Select-Object -First 1; if (-not $a -or $a.LastWriteTime -lt $j.LastWriteTime -or ($jv -and $a.LastWriteTime -lt $jv.LastWriteTime) -or $made -ne $env:JAVA_BIN) { 'train' } else { 'run' }"') do set "STATE=%%S"

if "%STATE%"=="build" (
  echo kiln: building target\kiln.jar ^(mvn package, tests skipped^)... 1>&2
  pushd "%ROOT%"
  call mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package > "%TEMP%\kiln-build.log" 2>&1
  if errorlevel 1 (
    type "%TEMP%\kiln-build.log" 1>&2
    echo kiln: the build failed 1>&2
    popd
    exit /b 1
  )
  popd
  rem An up-to-date jar may be left untouched by Maven; mark it as checked.
  powershell -NoProfile -Command "(Get-Item -LiteralPath $env:JAR).LastWriteTime = Get-Date"
  set "STATE=train"
)

rem Kiln needs JDK 17+, which all know --enable-native-access (JDK 24+ would warn without it).
set JVM=java --enable-native-access=ALL-UNNAMED -Xlog:cds*=off
rem A young generation of at least 256 MB: a large program compiles without a young collection
rem (./kiln explains why).
set JVM=%JVM% -XX:NewSize=256m
rem JIT mode (the default) leaves the one-off compile to C1 alone (TieredStopAtLevel=1), which
rem inlines callees of up to 20 bytecodes only (C1MaxInlineSize=20: cheaper compiles);
rem --mode=interp keeps HotSpot's defaults (./kiln explains why). In the for list "=" separates
rem like a space, so --mode=interp and --mode interp both arrive as two items.
set "JIT_MODE=-XX:TieredStopAtLevel=1 -XX:C1MaxInlineSize=20"
set "UNRELOCATED=-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
set "INTERPRETING="
set "PREVIOUS="
for %%A in (%*) do call :mode "%%~A"
if "%STATE%"=="train" call :train
if not defined INTERPRETING set JVM=%JVM% %JIT_MODE%
rem Brainfuck's one function: C1 compiles a running loop sooner (./kiln explains why).
if not defined INTERPRETING if "%~1"=="bf" set JVM=%JVM% -XX:Tier3BackEdgeThreshold=6000
rem The archive maps where it was made for, unrelocated (./kiln explains why); a JDK that refuses
rem the option fails the new archive's check below, which leaves it empty.
if exist "%ARCHIVE%" for %%A in ("%ARCHIVE%") do if %%~zA GTR 0 set JVM=%JVM% %UNRELOCATED% "-XX:SharedArchiveFile=%ARCHIVE%"
%JVM% %KILN_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%

rem The training run lists the classes that dev.kiln.cli.ArchiveTraining loads (the commands users
rem run, in one JVM, with the JIT's flags, without the caller's KILN_JAVA_OPTS or the JVM's option
rem variables, which would change what it loads); -Xshare:dump makes a static archive of exactly
rem those, written only to the file -XX:SharedArchiveFile names (./kiln explains why). The
rem temporary archive is renamed into place; a failed one leaves an empty archive, so it is not
rem retried before the jar changes.
:train
setlocal
set "JAVA_TOOL_OPTIONS="
set "JDK_JAVA_OPTIONS="
set "_JAVA_OPTIONS="
set "TRAINING=%ARCHIVE%.%RANDOM%.tmp"
set "CLASSES=%TRAINING%.classlist"
%JVM% %JIT_MODE% "-XX:DumpLoadedClassList=%CLASSES%" -cp "%JAR%" dev.kiln.cli.ArchiveTraining "%ROOT%examples" > nul 2>&1
if exist "%CLASSES%" %JVM% %JIT_MODE% -Xshare:dump "-XX:SharedClassListFile=%CLASSES%" "-XX:SharedArchiveFile=%TRAINING%" -cp "%JAR%" > nul 2>&1
del "%CLASSES%" > nul 2>&1
if not exist "%TRAINING%" type nul > "%TRAINING%" 2> nul
rem A new archive is checked once against its checksum before it is renamed into place: JDK 17
rem dies mapping a truncated archive, and checking on every run would slow each start-up.
for %%A in ("%TRAINING%") do if %%~zA GTR 0 %JVM% %JIT_MODE% %UNRELOCATED% "-XX:SharedArchiveFile=%TRAINING%" -XX:+VerifySharedSpaces -Xshare:on -cp "%JAR%" -version > nul 2>&1 || type nul > "%TRAINING%"
> "%ARCHIVE%.java" echo.%JAVA_BIN%
move /y "%TRAINING%" "%ARCHIVE%" > nul 2>&1 || del "%TRAINING%" > nul 2>&1
endlocal
exit /b 0

:mode
if "%PREVIOUS%"=="--mode" if "%~1"=="interp" set "INTERPRETING=1"
set "PREVIOUS=%~1"
exit /b 0
