# shivx_add_test(NAME tst_foo SOURCES tst_foo.cpp [LIBS ...] [GUI] [LABELS ...] [TIMEOUT s])
# One executable per class under test. Engine tests link only the engine (QTEST_GUILESS_MAIN),
# so a GUI dependency cannot creep into it; GUI tests pass GUI and run on the offscreen platform.
function(shivx_add_test)
    cmake_parse_arguments(T "GUI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/tests/helpers/opensslprocess.cpp)
    target_link_libraries(${T_NAME} PRIVATE Shivx::Engine Qt6::Test shivx_warnings ${T_LIBS})
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/helpers)
    target_compile_definitions(${T_NAME} PRIVATE
        SHIVX_TEST_HELPER="$<TARGET_FILE:shivx_test_child>"
        SHIVX_CLI="$<TARGET_FILE:shivx>"
        SHIVX_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        SHIVX_BINARY_DIR="${PROJECT_BINARY_DIR}"
        # Sanitizer builds run several times slower; the few bounds on elapsed time in
        # behaviour tests (responsiveness) are multiplied by this.
        SHIVX_TIME_SCALE=$<IF:$<OR:$<BOOL:${SHIVX_SANITIZE}>,$<BOOL:${SHIVX_TSAN}>>,4,1>)
    add_dependencies(${T_NAME} shivx_test_child)
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    if(SHIVX_SANITIZE OR SHIVX_TSAN)
        # tst_mainwindow takes 34 s alone under TSan and passed 120 s on two loaded cores.
        math(EXPR T_TIMEOUT "${T_TIMEOUT} * 3")
    endif()
    set(env "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
    if(SHIVX_SANITIZE)
        list(APPEND env "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp")
    endif()
    if(SHIVX_TSAN)
        # die_after_fork=0: the process tests fork children through QProcess.
        list(APPEND env "TSAN_OPTIONS=die_after_fork=0 halt_on_error=1 suppressions=${PROJECT_SOURCE_DIR}/tests/tsan.supp")
    endif()
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${env}" LABELS "${T_LABELS}")
endfunction()
