# Warnings are errors on our own code; generated code (ANTLR) is compiled without this.
function(tauekel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(TAUEKEL_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Under the sanitizers GCC 12 reports std::variant members as maybe-uninitialized
    # where they are not; the sanitizers themselves check the real thing at run time.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
endfunction()

# The code every input byte or goods item passes through (reading CSV and JSON Lines into
# batches, the engine, decisions as text) is built at -O3 in release builds: measured
# faster end to end on `tauekel run` (docs/performance.md); the rest stays at -O2.
# GCC 12 at -O3 reports std::string's own copies as overlapping (-Wrestrict, GCC bug
# 105651): that one warning is off where -O3 is on.
function(tauekel_hot_path target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O3>)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-Wno-restrict>)
  endif()
endfunction()
