# `cmake --install`: the static library, the public headers and a CMake package, so that
# another project does `find_package(tauekel)` and links `tauekel::tauekel`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TAUEKEL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tauekel)

install(TARGETS tauekel tauekel_antlr4 tauekel_llvm EXPORT tauekelTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tauekel DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tauekelTargets NAMESPACE tauekel:: DESTINATION ${TAUEKEL_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tauekelConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tauekelConfig.cmake INSTALL_DESTINATION ${TAUEKEL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tauekelConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tauekelConfig.cmake ${PROJECT_BINARY_DIR}/tauekelConfigVersion.cmake
        DESTINATION ${TAUEKEL_CMAKE_DIR})
