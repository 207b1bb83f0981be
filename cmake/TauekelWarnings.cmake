# Warnings are errors on our own code; generated code (ANTLR) is compiled without this.
function(tauekel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(TAUEKEL_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Under the sanitizers GCC 12 reports std::variant members as maybe-uninitialized
    # where they are not; the sanitizers themselves check the real thing at run time.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
endfunction()
