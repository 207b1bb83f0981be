# Screens the bundled example with one engine and input format and compares the
# decisions with the checked-in file: a lowering mistake both engines share cannot pass.
# -DTAUEKEL=binary -DSOURCE=repository root -DENGINE=jit|interp -DINPUT=declarations file
# UPDATE_GOLDEN=1 in the environment rewrites the expected file (review the change).
set(expected_file ${SOURCE}/tests/decisions/eaeu.jsonl)
execute_process(
  COMMAND ${TAUEKEL} run --profiles examples/eaeu --declarations ${INPUT}
          --persons examples/eaeu/data/persons.csv --engine ${ENGINE} --quiet
  WORKING_DIRECTORY ${SOURCE}
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE err
  RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "tauekel run exited with ${code}\n${err}")
endif()
if(DEFINED ENV{UPDATE_GOLDEN})
  file(WRITE ${expected_file} "${actual}")
  return()
endif()
file(READ ${expected_file} expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/eaeu-${ENGINE}.actual.jsonl "${actual}")
  message(FATAL_ERROR "the decisions for ${INPUT} (engine ${ENGINE}) differ from tests/decisions/eaeu.jsonl; "
                      "see ${CMAKE_CURRENT_BINARY_DIR}/eaeu-${ENGINE}.actual.jsonl")
endif()
