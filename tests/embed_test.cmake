# Installs the library into a scratch prefix, builds examples/embed against the installed
# package as another project would, and runs its C++ and C programs on the bundled
# example: their decisions must be the pinned ones.
# -DBUILD=build tree -DSOURCE=repository root -DWORK=scratch folder
file(REMOVE_RECURSE ${WORK})
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${ARGN}\nexited with ${code}\n${out}\n${err}")
  endif()
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix)
if(EXISTS ${WORK}/prefix/include/compiler OR EXISTS ${WORK}/prefix/include/engine)
  message(FATAL_ERROR "internal headers were installed")
endif()
run(${CMAKE_COMMAND} -S ${SOURCE}/examples/embed -B ${WORK}/build -DCMAKE_PREFIX_PATH=${WORK}/prefix
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK}/build)
file(READ ${SOURCE}/tests/decisions/eaeu.jsonl expected)
foreach(program screen_declarations screen_declarations_c)
  execute_process(
    COMMAND ${WORK}/build/${program} examples/eaeu examples/eaeu/data/persons.csv examples/eaeu/data/declarations.jsonl
    WORKING_DIRECTORY ${SOURCE}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${program} exited with ${code}\n${err}")
  endif()
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "${program}: the decisions differ from tests/decisions/eaeu.jsonl\n${out}")
  endif()
  message(STATUS "${program}: ${err}")
endforeach()
