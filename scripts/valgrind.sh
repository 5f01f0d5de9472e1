#!/bin/sh
# valgrind.sh BUILD — `make test-valgrind`: a reduced set of the C tests under valgrind's leak
# check: every C API test (tests/api/test_*.c), a few of the standard library's (a state's whole
# life, the lazily loaded library, hostile input, completion) and the example hosts
# (examples/embed/: predict on weights quickstart.lx saves first, train for 60 steps).  A definite or indirect leak or any memory error
# fails the run.  OpenBLAS is held to Haswell kernels: valgrind cannot run AVX-512 code.
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OPENBLAS_CORETYPE=Haswell LX_NUM_THREADS=2
# The nn thread pool's workers live until the process ends, so their stacks are "possibly lost":
# only definite and indirect leaks count.
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=1"

tests=""
for src in "$ROOT"/tests/api/test_*.c; do
    [ -e "$src" ] && tests="$tests $BUILD/tests/$(basename "$src" .c)"
done
for t in test_state test_deferred test_badinput test_complete; do
    tests="$tests $BUILD/tests/$t"
done
model=$(mktemp --suffix=.safetensors)
EPOCHS=1 "$BUILD/lx" "$ROOT/examples/quickstart.lx" "$model" >/dev/null 2>&1 ||
    echo "note: quickstart.lx did not save $model (embed_predict will fail)"
tests="$tests $BUILD/examples/embed/embed_predict:$model $BUILD/examples/embed/embed_train:60"

start=$(date +%s)
failed=0
log=$(mktemp)
for t in $tests; do
    arg=${t#*:}
    [ "$arg" = "$t" ] && arg=""
    t=${t%%:*}
    t0=$(date +%s)
    if [ ! -x "$t" ]; then
        echo "FAIL $t: not built"
        failed=$((failed + 1))
        continue
    fi
    if (cd "$ROOT" && $VG "$t" $arg) >"$log" 2>&1; then
        echo "ok   $(basename "$t") ($(($(date +%s) - t0)) s)"
    else
        echo "FAIL $(basename "$t") ($(($(date +%s) - t0)) s):"
        grep -E '^(not ok|==[0-9]+==)' "$log" | head -n 60
        failed=$((failed + 1))
    fi
done
rm -f "$log" "$model"
echo "test-valgrind: $(echo $tests | wc -w) programs, $failed failed, $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
