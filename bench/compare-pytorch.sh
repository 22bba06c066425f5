#!/usr/bin/env bash
# Times InitLab against plain PyTorch scripts of the same computation, on this machine, in one run:
#
#  1. one full-size combination of the deep experiment (depth 50, width 512, batch 10000, no
#     histograms): `initlab-cli deep --benchmark` against bench/deep_pytorch.py, with the same
#     threads, seed and OpenBLAS kernels. Target: InitLab's time <= 0.5 x the script's.
#  2. one training epoch of the dropout experiment (784-800-800-10, batch 8, 5000 images):
#     `initlab-cli dropout --benchmark`'s "train s" against bench/dropout_pytorch.py.
#
# Each program runs once to warm up (page cache, CPU clocks; its numbers also serve the agreement
# check of the deep statistics), then --repeats times, InitLab and the script taking turns so that
# both see the same background load; the medians and their ratio are printed.
#
#   bench/compare-pytorch.sh [--build DIR] [--threads N] [--repeats N] [--init I] [--activation A]
#                            [--seed N] [--skip-dropout] [--skip-deep]
#
# Needs Debian's python3-torch (packaging/bench-packages.txt; `./setup.sh bench` installs it and
# builds InitLab first).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

build=$here/../build
threads=$(nproc)
repeats=3
init=heuristic
activation=tanh
seed=0
run_deep=1
run_dropout=1
usage="usage: $0 [--build DIR] [--threads N] [--repeats N] [--init I] [--activation A] [--seed N] [--skip-deep] [--skip-dropout]"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) build=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --repeats) repeats=$2; shift 2 ;;
        --init) init=$2; shift 2 ;;
        --activation) activation=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --skip-deep) run_deep=0; shift ;;
        --skip-dropout) run_dropout=0; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done
[[ "$threads" =~ ^[1-9][0-9]*$ && "$repeats" =~ ^[1-9][0-9]*$ ]] || { echo "$usage" >&2; exit 2; }

cli=$build/app/cli/initlab-cli
# Debian's python3, which python3-torch installs into (a python earlier on PATH may lack torch).
python=/usr/bin/python3
[[ -x "$cli" ]] || { echo "error: $cli not found: build InitLab first (./setup.sh bench does)" >&2; exit 1; }
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "error: $python cannot import torch: packaging/install-deps.sh packaging/bench-packages.txt" >&2
    exit 1
fi

# The same OpenBLAS kernels for both: a user's OPENBLAS_CORETYPE is kept; without one, InitLab
# picks the fastest kernels for this CPU (by starting itself again with the variable set), and the
# script gets the kernels InitLab picked.
kernels=$("$cli" --diagnostics | sed -n 's/^OpenBLAS kernels: *\([A-Za-z0-9_]*\).*/\1/p' | head -n 1)
if [[ -z "${OPENBLAS_CORETYPE:-}" && -n "$kernels" ]]; then
    export OPENBLAS_CORETYPE=$kernels
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/initlab-compare-XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratio A B: A / B with three decimals; verdict R: whether R <= 0.5.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", (b > 0) ? a / b : 0 }'; }
# checked WHAT VALUE: VALUE, or the end of the comparison when a program printed no time.
checked() {
    if [[ -z "$2" ]]; then
        echo "error: $1 printed no time" >&2
        exit 1
    fi
    echo "$2"
}
verdict() { awk -v r="$1" 'BEGIN { print (r > 0 && r <= 0.5) ? "met" : "NOT met" }'; }

echo "InitLab against plain PyTorch on $(nproc) hardware threads; $threads threads for both; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
echo "load before: $(uptime | sed 's/.*load average/load average/')"
echo

status=0

# ---- 1. the deep combination ------------------------------------------------------------------
# One combination's seconds from `initlab-cli deep --benchmark` (its row "init + activation").
initlab_deep() {
    "$cli" deep --benchmark --init "$init" --activation "$activation" --seed "$seed" --threads "$threads" "$@" \
        2>/dev/null | awk -v label="$init + $activation" 'index($0, label " ") == 1 { print $4; exit }'
}
python_deep() {
    "$python" "$here/deep_pytorch.py" --init "$init" --activation "$activation" --seed "$seed" \
        --threads "$threads" "$@"
}
python_seconds() { sed -n 's/.*epoch seconds: \([0-9.]*\).*/\1/p; s/^combination seconds: \([0-9.]*\)$/\1/p'; }

if [[ $run_deep -eq 1 ]]; then
    echo "1. deep: $init + $activation, depth 50, width 512, batch 10000, seed $seed, no histograms"
    echo "   warm-up, and the agreement of the script's statistics with InitLab's deep.csv (same inputs and weights):"
    warm=$(initlab_deep --out "$work/deep")
    [[ -n "$warm" ]] || { echo "error: initlab-cli deep --benchmark printed no time for $init + $activation" >&2; exit 1; }
    # The script draws from InitLab's random streams here, so the two see the same inputs and
    # weights and their statistics agree layer by layer; the timed runs below use torch's own.
    if ! python_deep --last 0 --initlab-rng --compare "$work/deep/deep.csv" > "$work/deep-python.txt"; then
        status=1
    fi
    sed -n '/^agreement/,$p' "$work/deep-python.txt" | sed 's/^/   /'
    echo "   OpenBLAS kernels: InitLab ${kernels:-?}, script $(sed -n 's/.*OpenBLAS kernels //p' "$work/deep-python.txt")"
    : > "$work/deep-initlab.times"
    : > "$work/deep-python.times"
    : > "$work/deep.ratios"
    for ((r = 1; r <= repeats; ++r)); do
        mine=$(checked "initlab-cli deep --benchmark" "$(initlab_deep)")
        theirs=$(checked "bench/deep_pytorch.py" "$(python_deep --last 0 | python_seconds)")
        echo "$mine" >> "$work/deep-initlab.times"
        echo "$theirs" >> "$work/deep-python.times"
        ratio "$mine" "$theirs" >> "$work/deep.ratios"
        echo "   run $r: InitLab $mine s, PyTorch script $theirs s, ratio $(tail -n 1 "$work/deep.ratios")"
    done
    deep_initlab=$(median < "$work/deep-initlab.times")
    deep_python=$(median < "$work/deep-python.times")
    deep_ratio=$(ratio "$deep_initlab" "$deep_python")
    echo "   median of $repeats: InitLab $deep_initlab s, PyTorch script $deep_python s:" \
        "InitLab / script = $deep_ratio (target <= 0.5): $(verdict "$deep_ratio");" \
        "median of the runs' ratios $(median < "$work/deep.ratios")"
    echo
fi

# ---- 2. the dropout training epoch ----------------------------------------------------------
# "train s" of each p from `initlab-cli dropout --benchmark` (the rows "p = 0" and "p = 0.5" of
# its table (a)), one "p seconds" line each.
initlab_dropout() {
    "$cli" dropout --benchmark --threads "$threads" --seed "$seed" 2>/dev/null |
        awk '/^\(a\)/ { a = 1; next } a && /^p = / { print $3, $6 } a && /^$/ { exit }'
}
# "p=0 1.21 s, p=0.5 1.19 s" from "p seconds" lines.
times_by_p() { awk '{ printf "%sp=%s %s s", (NR > 1) ? ", " : "", $1, $2 }'; }
python_dropout() {
    # At batch 8 InitLab trains on one thread (a second only adds synchronisation): so does the script.
    "$python" "$here/dropout_pytorch.py" --threads 1 --seed "$seed" |
        sed -n 's/^p = \([0-9.]*\): epoch seconds: \([0-9.]*\).*/\1 \2/p'
}

if [[ $run_dropout -eq 1 ]]; then
    echo "2. dropout: one training epoch, net 784-800-800-10, batch 8, 5000 Fashion-MNIST images, one thread"
    initlab_dropout > /dev/null
    python_dropout > /dev/null
    : > "$work/dropout-initlab.times"
    : > "$work/dropout-python.times"
    for ((r = 1; r <= repeats; ++r)); do
        checked "initlab-cli dropout --benchmark" "$(initlab_dropout)" >> "$work/dropout-initlab.times"
        checked "bench/dropout_pytorch.py" "$(python_dropout)" >> "$work/dropout-python.times"
        echo "   run $r: InitLab $(tail -n 2 "$work/dropout-initlab.times" | times_by_p);" \
            "PyTorch script $(tail -n 2 "$work/dropout-python.times" | times_by_p)"
    done
    for p in $(awk '{ print $1 }' "$work/dropout-initlab.times" | sort -u -g); do
        mine=$(awk -v p="$p" '$1 == p { print $2 }' "$work/dropout-initlab.times" | median)
        theirs=$(awk -v p="$p" '$1 + 0 == p + 0 { print $2 }' "$work/dropout-python.times" | median)
        r=$(ratio "$mine" "$theirs")
        echo "   p = $p, median of $repeats: InitLab $mine s, PyTorch script $theirs s: InitLab / script = $r" \
            "(target <= 0.5): $(verdict "$r")"
    done
    echo
fi

echo "load after: $(uptime | sed 's/.*load average/load average/')"
exit $status
