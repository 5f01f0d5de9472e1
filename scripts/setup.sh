#!/bin/sh
# Installs the Debian packages lx needs to build, test and benchmark.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu

PACKAGES="build-essential cmake pkg-config libopenblas-dev libreadline-dev zlib1g-dev libcjson-dev perl lua5.4 tmux"
# `setup.sh bench` adds the benchmarks' peers: PyTorch on the CPU (Debian's build).
if [ "${1:-}" = bench ]; then
    PACKAGES="$PACKAGES python3-torch"
fi
# `setup.sh valgrind` adds valgrind, for `make test-valgrind`.
if [ "${1:-}" = valgrind ]; then
    PACKAGES="$PACKAGES valgrind"
fi

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    echo "setup: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "setup: missing packages:$missing" >&2
    echo "setup: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
