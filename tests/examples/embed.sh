#!/bin/sh
# embed.sh — the C hosts of examples/embed/: quickstart.lx trains and saves its
# weights, predict.c loads them from C and classifies ten digits from a C
# array (at least 9 right, as the trained model's 95% accuracy implies for
# these images). TAP, run by prove through ctest.
# Usage: embed.sh LX EXAMPLES_DIR PREDICT
LX=$1
DIR=$2
PREDICT=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..3"
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
