#!/bin/sh
# Runs every benchmark; each prints its ratio against its peer, measured in the same run.
set -eu
BUILD=${1:-build}
for b in "$BUILD"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
