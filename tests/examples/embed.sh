#!/bin/sh
# embed.sh — the C hosts of examples/embed/: quickstart.lx trains and saves its
# weights, predict.c loads them from C and classifies ten digits from a C
# array (at least 9 right, as the trained model's 95% accuracy implies for
# these images); train.c trains a model with a C function and a C layer
# (the loss falls from about log 2 to below 0.1, the accuracy reaches 95%).
# TAP, run by prove through ctest.
# Usage: embed.sh LX EXAMPLES_DIR PREDICT TRAIN
LX=$1
DIR=$2
PREDICT=$3
TRAIN=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..4"
if EPOCHS=20 "$LX" "$DIR/quickstart.lx" "$tmp/model.safetensors" >"$tmp/out" 2>&1 &&
    grep -q "saved the weights to $tmp/model.safetensors" "$tmp/out" && [ -s "$tmp/model.safetensors" ]; then
    echo "ok 1 - quickstart.lx saves its weights"
else
    echo "not ok 1 - quickstart.lx saves its weights"
    sed 's/^/# /' "$tmp/out" | tail -n 20
fi
if "$PREDICT" "$tmp/model.safetensors" >"$tmp/pred" 2>&1 && grep -Eq '^(9|10) of 10 right$' "$tmp/pred"; then
    echo "ok 2 - predict.c classifies the digits from C: $(tail -n 1 "$tmp/pred")"
else
    echo "not ok 2 - predict.c classifies the digits from C"
    sed 's/^/# /' "$tmp/pred"
fi
# a broken file is an error message and a failure status, not a crash
head -c 100 "$tmp/model.safetensors" >"$tmp/broken.safetensors"
"$PREDICT" "$tmp/broken.safetensors" >"$tmp/err" 2>&1
st=$?
if [ $st -eq 1 ] && grep -q "IOError" "$tmp/err"; then
    echo "ok 3 - a truncated model file: IOError and status 1"
else
    echo "not ok 3 - a truncated model file: IOError and status 1 (status $st)"
    sed 's/^/# /' "$tmp/err"
fi
"$TRAIN" 600 >"$tmp/train" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q "^step 1: loss 0\.6" "$tmp/train" && grep -q "^step 600: loss 0\.0" "$tmp/train" &&
    grep -Eq "training accuracy: (9[5-9]|100)\.[0-9]%" "$tmp/train"; then
    echo "ok 4 - train.c trains with a C function and a C layer: $(tail -n 1 "$tmp/train")"
else
    echo "not ok 4 - train.c trains with a C function and a C layer (status $st)"
    sed 's/^/# /' "$tmp/train"
fi
