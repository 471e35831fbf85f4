# Warnings are errors for our own targets only; Qt and system headers are included as SYSTEM.
add_library(shivx_warnings INTERFACE)
target_compile_options(shivx_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    $<$<BOOL:${SHIVX_WERROR}>:-Werror>)
target_compile_definitions(shivx_warnings INTERFACE
    QT_NO_CAST_TO_ASCII QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_NO_URL_CAST_FROM_STRING)
