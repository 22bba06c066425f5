#!/usr/bin/env bash
# One entry point for a new machine: installs InitLab's Debian packages, configures and builds,
# then either starts the application (run) or runs the whole test suite (test).
#
#   ./setup.sh run     install, build, start the InitLab window
#   ./setup.sh test    install, build, run every test (CTest)
#   ./setup.sh build   install and build only
#   ./setup.sh sanitize  install, build core and its tests with ASan + UBSan, run them
#   ./setup.sh bench   install (also Debian's python3-torch, packaging/bench-packages.txt), build,
#                      then time InitLab against plain PyTorch scripts of the same computation
#                      (bench/compare-pytorch.sh; options after 'bench' go to it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

mode=${1:-run}
case "$mode" in
    run|test|build|sanitize|bench) ;;
    *) echo "usage: $0 run|test|build|sanitize|bench" >&2; exit 2 ;;
esac

packaging/install-deps.sh
# The comparison's PyTorch is a separate list: InitLab itself never needs it.
if [[ "$mode" == bench ]]; then
    packaging/install-deps.sh packaging/bench-packages.txt
fi

# Let ccache share objects between clones in different folders (CI builds a fresh clone each time).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

jobs=$(nproc)
if [[ "$mode" == sanitize ]]; then
    # The core library and its tests (the GUI and CLI are thin layers over it) under AddressSanitizer
    # and UndefinedBehaviorSanitizer, in a build folder of their own.
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINITLAB_SANITIZE=ON \
        -DINITLAB_BUILD_GUI=OFF -DINITLAB_BUILD_CLI=OFF
    cmake --build build-asan --parallel "$jobs"
    cd build-asan
    exec ctest --output-on-failure --parallel "$jobs"
fi

build_dir=${INITLAB_BUILD_DIR:-build}
# The test suite includes a short libFuzzer run of the IDX reader (built with clang).
fuzz=OFF
[[ "$mode" == test ]] && fuzz=ON
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DINITLAB_BUILD_FUZZERS=$fuzz
cmake --build "$build_dir" --parallel "$jobs"

case "$mode" in
    build)
        echo "built: $build_dir/app/gui/initlab and $build_dir/app/cli/initlab-cli"
        ;;
    bench)
        exec bench/compare-pytorch.sh --build "$build_dir" "${@:2}"
        ;;
    test)
        # Widget tests render offscreen; tests that start the GUI binary set it themselves.
        cd "$build_dir"
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$jobs"
        ;;
    run)
        if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
            echo "No display found: starting InitLab under a virtual X server (xvfb-run)." >&2
            exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build_dir/app/gui/initlab" "${@:2}"
        fi
        exec "$build_dir/app/gui/initlab" "${@:2}"
        ;;
esac
