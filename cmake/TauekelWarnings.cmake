# Warnings are errors on our own code; generated code (ANTLR) is compiled without this.
function(tauekel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
