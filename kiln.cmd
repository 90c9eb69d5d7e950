@echo off
rem Runs the Kiln command line from any directory. Builds target\kiln.jar first when it is
rem missing or older than any source (one notice line; build output only if it fails).
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%target\kiln.jar"
powershell -NoProfile -Command "$j = Get-Item -LiteralPath $env:JAR -ErrorAction SilentlyContinue; if (-not $j) { exit 1 }; $sources = 'java\main', 'java\resources', 'native', 'pom.xml', 'CMakeLists.txt' | ForEach-Object { Join-Path $env:ROOT $_ }; $newer = Get-ChildItem -Recurse -File -LiteralPath $sources -ErrorAction SilentlyContinue | Where-Object { $_.LastWriteTime -gt $j.LastWriteTime } | Select-Object -First 1; if ($newer) { exit 1 }; exit 0"
if errorlevel 1 (
  echo kiln: building target\kiln.jar ^(mvn package, tests skipped^)... 1>&2
  pushd "%ROOT%"
  call mvn -B -q -DskipTests package > "%TEMP%\kiln-build.log" 2>&1
  if errorlevel 1 (
    type "%TEMP%\kiln-build.log" 1>&2
    echo kiln: the build failed 1>&2
    popd
    exit /b 1
  )
  popd
  rem An up-to-date jar may be left untouched by Maven; mark it as checked.
  powershell -NoProfile -Command "(Get-Item -LiteralPath $env:JAR).LastWriteTime = Get-Date"
)
rem Kiln needs JDK 17+, which all know --enable-native-access (JDK 24+ would warn without it).
java --enable-native-access=ALL-UNNAMED -jar "%JAR%" %*
exit /b %ERRORLEVEL%
