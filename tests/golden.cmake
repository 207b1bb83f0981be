# Runs `tauekel check` on one golden case and compares its output with the .expected file.
get_filename_component(dir ${CASE} DIRECTORY)
get_filename_component(name ${CASE} NAME_WE)
get_filename_component(file ${CASE} NAME)
set(expected_file ${dir}/${name}.expected)
execute_process(
  COMMAND ${TAUEKEL} check --color never --quiet ${file}
  WORKING_DIRECTORY ${dir}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE code)
set(actual "${out}${err}exit: ${code}\n")
if(DEFINED ENV{UPDATE_GOLDEN})
  file(WRITE ${expected_file} "${actual}")
  return()
endif()
if(NOT EXISTS ${expected_file})
  message(FATAL_ERROR "missing ${expected_file}; run with UPDATE_GOLDEN=1 and review it\n${actual}")
endif()
file(READ ${expected_file} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output of ${file} differs from ${name}.expected\n--- expected\n${expected}--- actual\n${actual}")
endif()
