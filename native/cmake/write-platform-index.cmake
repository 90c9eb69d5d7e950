# cmake -DKILN_OUTPUT_DIR=DIR -P write-platform-index.cmake: lists in DIR/platforms.txt, one a
# line, each platform directory of DIR (e.g. linux-x86_64) that holds the shim's library, so the
# Java loader names exactly what the jar bundles when the host is not among them.
file(GLOB entries LIST_DIRECTORIES true RELATIVE "${KILN_OUTPUT_DIR}" "${KILN_OUTPUT_DIR}/*")
list(SORT entries)
set(index "")
foreach(entry IN LISTS entries)
  if(EXISTS "${KILN_OUTPUT_DIR}/${entry}/libkiln.so" OR EXISTS "${KILN_OUTPUT_DIR}/${entry}/kiln.dll")
    string(APPEND index "${entry}\n")
  endif()
endforeach()
file(WRITE "${KILN_OUTPUT_DIR}/platforms.txt" "${index}")
