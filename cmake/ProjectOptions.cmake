# One INTERFACE target carries the language standard, warnings and Qt defines for every target.
add_library(initlab_project_options INTERFACE)
target_compile_features(initlab_project_options INTERFACE cxx_std_20)
target_compile_options(initlab_project_options INTERFACE
    -Wall -Wextra -Wpedantic -Wno-unused-parameter)
target_compile_definitions(initlab_project_options INTERFACE
    QT_NO_KEYWORDS                 # torch has a method named `slots`
    QT_NO_CAST_FROM_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    INITLAB_VERSION="${PROJECT_VERSION}")

# A build with AddressSanitizer and UndefinedBehaviorSanitizer: configure a separate folder with
# -DINITLAB_SANITIZE=ON and run its tests (LibTorch itself is not instrumented; its allocations are
# still checked through the interposed allocator).
option(INITLAB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(INITLAB_SANITIZE)
    target_compile_options(initlab_project_options INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(initlab_project_options INTERFACE -fsanitize=address,undefined)
endif()
