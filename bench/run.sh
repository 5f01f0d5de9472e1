#!/bin/sh
# Runs every benchmark; each prints its ratio against its peer, measured in the
# same run.  All run even if one misses its target; the exit status says so.
set -u
BUILD=${1:-build}
status=0
for b in "$BUILD"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" || status=1
done
# Benchmarks against PyTorch run under Debian's python3 (where python3-torch is installed).
for b in bench/bench_*.py; do
    echo "== $(basename "$b")"
    /usr/bin/python3 "$b" "$BUILD" || status=1
done
exit $status
