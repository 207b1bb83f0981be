# Every third-party dependency comes from a Debian package (see README, dev script).
find_package(fmt CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(doctest CONFIG REQUIRED)
find_package(antlr4-runtime 4.9 CONFIG REQUIRED)
find_package(LLVM 16 REQUIRED CONFIG)
find_package(Java COMPONENTS Runtime REQUIRED)
find_package(Threads REQUIRED)
find_package(simdjson CONFIG REQUIRED)  # JSON Lines declarations (libsimdjson-dev)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium)  # approvals: Ed25519, SHA-256 (libsodium-dev)

# The Debian antlr4.jar is not self-contained, so the tool runs with an explicit classpath.
set(ANTLR4_CLASSPATH
  /usr/share/java/antlr4.jar:/usr/share/java/antlr4-runtime.jar:/usr/share/java/antlr3-runtime.jar:/usr/share/java/stringtemplate4.jar:/usr/share/java/treelayout.jar)

# antlr4_shared does not carry its include directory.
add_library(tauekel_antlr4 INTERFACE)
target_link_libraries(tauekel_antlr4 INTERFACE antlr4_shared)
target_include_directories(tauekel_antlr4 SYSTEM INTERFACE ${ANTLR4_INCLUDE_DIR})

add_library(tauekel_llvm INTERFACE)
separate_arguments(TAUEKEL_LLVM_DEFINITIONS NATIVE_COMMAND ${LLVM_DEFINITIONS})
target_compile_definitions(tauekel_llvm INTERFACE ${TAUEKEL_LLVM_DEFINITIONS})
target_include_directories(tauekel_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
# The LLVM components we use, linked statically: the shared libLLVM (120 MB) costs some
# 20 ms to load at every start, which `tauekel check` would pay without using it.
llvm_map_components_to_libnames(TAUEKEL_LLVM_LIBS core orcjit native passes support)
target_link_libraries(tauekel_llvm INTERFACE ${TAUEKEL_LLVM_LIBS})
