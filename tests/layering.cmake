# The layering test: every #include of our own sources names a folder its folder may
# use, so dependencies go one way. Reports each wrong include as file:line.
#
#   cmake -DSOURCE=<project root> -P tests/layering.cmake
cmake_minimum_required(VERSION 3.25)

# Each folder's direct dependencies, as its CMake target links them (target_link_libraries),
# lower folders first. A folder may include itself and whatever its dependencies may.
set(folders
  include          # the public headers (include/tauekel/): standard headers and each other
  support          # exact decimals, dates, codes, files: none of the others
  grammar          # the generated parser, and the ANTLR runtime it comes with
  stdlib
  compiler
  governance       # approvals: a profile's meaning, keys, signatures (libsodium)
  runtime/vector
  runtime/load
  runtime/data
  runtime/interp
  runtime/exec
  runtime/jit
  engine
  effectiveness    # control results, figures per profile, backtests: over the engine
  api              # the public interface's implementation (from main's include/tauekel work)
  service          # the screening service behind `tauekel serve` (likewise)
  worker           # `tauekel worker` over NATS JetStream, on the service's loading
  cli)
set(deps_include "")
set(deps_support include)  # the public headers are the lowest layer: Expected lives there
set(deps_grammar "")
set(deps_stdlib "")
set(deps_compiler support grammar stdlib)
set(deps_runtime/vector compiler)
set(deps_runtime/load runtime/vector include)
set(deps_runtime/data runtime/load)
set(deps_runtime/interp runtime/data)
set(deps_runtime/exec runtime/interp)
set(deps_runtime/jit runtime/exec)
set(deps_governance compiler)
set(deps_engine runtime/jit governance)
set(deps_effectiveness engine)
set(deps_api engine)
set(deps_service engine)
set(deps_worker service)
set(deps_cli worker effectiveness)

# Headers included without a folder: those of the grammar target (generated into the build tree).
set(grammar_headers TauekelLexer.h TauekelParser.h antlr4-runtime.h)
# The C library's headers, standard too for public headers (the C interface includes them).
set(c_standard_headers assert.h ctype.h errno.h float.h inttypes.h limits.h locale.h math.h setjmp.h signal.h
    stdarg.h stdbool.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h wctype.h)

if(NOT SOURCE OR NOT IS_DIRECTORY "${SOURCE}")
  message(FATAL_ERROR "usage: cmake -DSOURCE=<project root> -P layering.cmake")
endif()

foreach(folder ${folders})
  set(allowed_${folder} ${folder})
  foreach(dep ${deps_${folder}})
    if(NOT DEFINED allowed_${dep})
      message(FATAL_ERROR "layering map: ${folder} depends on ${dep}, which is not listed before it")
    endif()
    list(APPEND allowed_${folder} ${allowed_${dep}})
  endforeach()
  list(REMOVE_DUPLICATES allowed_${folder})
endforeach()

# The folder of a project path (runtime/ splits one level further), or "" if none of ours.
function(folder_of path out)
  string(REGEX MATCH "^[^/]+" top "${path}")
  if(top STREQUAL "runtime")
    string(REGEX MATCH "^runtime/[^/]+" top "${path}")
  endif()
  if(NOT top IN_LIST folders)
    set(top "")
  endif()
  set(${out} "${top}" PARENT_SCOPE)
endfunction()

# The folder an include names: "tauekel/…" are the public headers.
function(included_folder path out)
  if(path MATCHES "^tauekel/")
    set(${out} include PARENT_SCOPE)
  elseif(path IN_LIST grammar_headers)
    set(${out} grammar PARENT_SCOPE)
  else()
    folder_of("${path}" folder)
    set(${out} "${folder}" PARENT_SCOPE)
  endif()
endfunction()

set(roots grammar support compiler stdlib runtime engine api service worker cli include)
set(files "")
foreach(root ${roots})
  file(GLOB_RECURSE found RELATIVE "${SOURCE}" "${SOURCE}/${root}/*.h" "${SOURCE}/${root}/*.cpp"
       "${SOURCE}/${root}/*.def" "${SOURCE}/${root}/*.g4")
  list(APPEND files ${found})
endforeach()
list(SORT files)
list(LENGTH files file_count)
if(file_count EQUAL 0)
  message(FATAL_ERROR "no sources under ${SOURCE}")
endif()

set(errors "")
set(include_count 0)
foreach(file ${files})
  folder_of("${file}" from)
  if(from STREQUAL "")
    list(APPEND errors "${file}: its folder is not in the layering map (tests/layering.cmake)")
    continue()
  endif()
  file(READ "${SOURCE}/${file}" rest)
  file(STRINGS "${SOURCE}/${file}" lines ENCODING UTF-8 REGEX "^[ \t]*#[ \t]*include")
  set(line_number 1)
  foreach(line ${lines})
    # Where the line is, counting from the last one found (a file may repeat a line).
    string(FIND "${rest}" "${line}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${file}: lost the line \"${line}\" (a character file(STRINGS) changes?)")
    endif()
    string(SUBSTRING "${rest}" 0 ${at} before)
    string(REGEX MATCHALL "\n" newlines "${before}")
    list(LENGTH newlines skipped)
    math(EXPR line_number "${line_number} + ${skipped}")
    string(LENGTH "${line}" length)
    math(EXPR at "${at} + ${length}")
    string(SUBSTRING "${rest}" ${at} -1 rest)

    if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([\"<])([^\">]*)[\">]")
      continue()
    endif()
    math(EXPR include_count "${include_count} + 1")
    set(quoted "${CMAKE_MATCH_1}")
    set(path "${CMAKE_MATCH_2}")
    set(where "${file}:${line_number}")
    included_folder("${path}" to)
    if(from STREQUAL "include")
      # Public headers are read by programs that have nothing else of ours.
      if(to STREQUAL "include" OR (quoted STREQUAL "<" AND (path MATCHES "^[a-z_]+$" OR path IN_LIST c_standard_headers)))
        continue()
      endif()
      list(APPEND errors "${where}: a public header may include only standard headers and tauekel/… (${path})")
    elseif(to STREQUAL "")
      if(quoted STREQUAL "\"")
        list(APPEND errors "${where}: \"${path}\" is in none of our folders: name its folder from the project root, or include a third-party header with <>")
      endif()
    elseif(NOT to IN_LIST allowed_${from})
      string(REPLACE ";" " " may "${allowed_${from}}")
      list(APPEND errors "${where}: ${from} may not include ${to} (${path}), only ${may}")
    endif()
  endforeach()
endforeach()

if(errors)
  # One line each, unwrapped, so that editors and the fixture test can read them.
  foreach(error ${errors})
    message(NOTICE "${error}")
  endforeach()
  list(LENGTH errors error_count)
  message(FATAL_ERROR "${error_count} include(s) against the layering (the map: tests/layering.cmake)")
endif()
message(STATUS "layering: ${include_count} includes of ${file_count} files, all one way")
