#!/bin/sh
# examples.sh — runs examples/*.lx (fewer epochs where that keeps make test
# fast) and checks what each prints: the quickstart's test accuracy must reach
# the 95% that `make demo` promises. TAP, run by prove through ctest.
# Usage: examples.sh LX EXAMPLES_DIR
LX=$1
DIR=$2
n=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# check NAME EPOCHS PATTERN: runs the example, then greps its output for PATTERN (an ERE)
check() {
    n=$((n + 1))
    if EPOCHS=$2 "$LX" "$DIR/$1.lx" >"$out" 2>&1 && grep -Eq "$3" "$out"; then
        echo "ok $n - $1 (EPOCHS=$2) prints /$3/"
    else
        echo "not ok $n - $1 (EPOCHS=$2) prints /$3/"
        sed 's/^/# /' "$out" | tail -n 30
        fail=1
    fi
}

# 95.0% to 100.0%
check quickstart 40 'test (9[5-9]\.[0-9]|100\.0)%'
check quickstart 40 'Training loss'
check regression 150 'mean squared error after 150 epochs: 0\.0'
check cnn_digits 4 'test accuracy: (9[0-9]\.[0-9]|100\.0)%'
check char_rnn 15 'loss: first epoch [0-9.]+, last 0\.[0-9]+'
check custom_layer 15 'test accuracy with a rank-8 first layer: 9[0-9]\.[0-9]%'
check lux_readme 0 'output: \(10, 2\); one step of Adam\(0\.0001, \(0\.9, 0\.999\), 1\.0e-8\) taken; Float32 weights \(256, 128\)'
check neural_ode 6 'neural ODE test accuracy: 9[0-9]\.[0-9]%'
check finetune 10 'new head on frozen features: accuracy [7-9][0-9]\.[0-9]%'
check finetune 10 'frozen weights unchanged: true'
check finetune 10 '@debug_mode: NaNs detected in input of layer FrozenLayer\(Dense\(64 => 64, relu\)\) at location fmodel\.features\.layer_1\.'

echo "1..$n"
exit $fail
