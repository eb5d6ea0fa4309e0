# The out-of-tree plugin SDK test (tests/test_sdk.sh): installs this build into a temporary
# prefix, builds examples/plugins/redact against it with CMake and with pkg-config, and runs
# it in pipelines by name and by path. Included from tests/CMakeLists.txt.
find_program(SLUICE_BASH bash)
if(SLUICE_BASH)
  add_test(NAME sdk_out_of_tree
    COMMAND ${SLUICE_BASH} ${PROJECT_SOURCE_DIR}/tests/test_sdk.sh ${PROJECT_BINARY_DIR}
            ${PROJECT_SOURCE_DIR} $<TARGET_FILE:sluice>)
  set_tests_properties(sdk_out_of_tree PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 300
    # It installs the whole build, so every plugin must have been built; it uses this cmake.
    ENVIRONMENT "CMAKE=${CMAKE_COMMAND};SLUICE_BIN=$<TARGET_FILE:sluice>"
    LABELS "sdk;e2e")
endif()
