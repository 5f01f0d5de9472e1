#!/bin/sh
# install.sh BUILD — the installed library as a host meets it (TAP): `cmake --install` into a
# temporary prefix, then a tiny host built three ways (find_package(lx) with lx::lx and with
# lx::lx_static, and pkg-config --cflags --libs lx), each printing 2 from
# lx_dostring("println(1+1)") through its output callback; liblx.so's SONAME and that it exports
# only the lx_ API.  Builds the hosts, never lx itself.  LX_HOST_FLAGS: what the hosts must be
# compiled and linked with too (a sanitizer build's -fsanitize=...).
set -u
HOSTFLAGS=${LX_HOST_FLAGS:-}
BUILD=$(cd "${1:?usage: install.sh BUILD}" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lx_install_XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix
n=0
fails=0
ok() { # ok COND-STATUS NAME
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
    return "$1"
}
diag() { sed 's/^/# /' "$1"; }

cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1
ok $? "cmake --install into a temporary prefix" || diag "$TMP/install.log"
LIBDIR=$(dirname "$(find "$PREFIX" -name 'liblx.so.0' | head -n 1)")
for f in include/lx.h bin/lx; do
    [ -e "$PREFIX/$f" ]
    ok $? "installs $f"
done
for f in liblx.a liblx.so liblx.so.0 pkgconfig/lx.pc cmake/lx/lxConfig.cmake cmake/lx/lxConfigVersion.cmake; do
    [ -e "$LIBDIR/$f" ]
    ok $? "installs $(basename "$LIBDIR")/$f"
done

soname=$(readelf -d "$LIBDIR/liblx.so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[ "$soname" = "liblx.so.0" ]
ok $? "liblx.so's SONAME is liblx.so.0 (got '$soname')"
nm -D --defined-only "$LIBDIR/liblx.so" | awk '{print $NF}' >"$TMP/exports"
others=$(grep -v '^lx_' "$TMP/exports" | tr '\n' ' ')
[ -z "$others" ] && grep -qx lx_dostring "$TMP/exports"
ok $? "liblx.so exports the lx_ API and nothing else (others: '$others')"

# The host: what lx prints arrives through the writer callback, and the host prints it.
mkdir -p "$TMP/host"
cat >"$TMP/host/host.c" <<'EOF'
#include <lx.h>
#include <stdio.h>
#include <string.h>

static void writer(void *ud, int stream, const char *s, size_t n)
{
    fwrite(s, 1, n, stream == 2 ? stderr : (FILE *)ud);
}

int main(void)
{
    lx_Config cfg = {.writer = writer, .writer_ud = stdout};
    lx_State *L = lx_open(&cfg);
    if (!L || lx_openlibs(L) != LX_OK) return 1;
    const char *src = "println(1+1)";
    lx_Status st = lx_dostring(L, src, strlen(src), "host");
    if (st != LX_OK) fprintf(stderr, "%s\n", lx_errmsg(L));
    lx_close(L);
    return st == LX_OK ? 0 : 1;
}
EOF
cat >"$TMP/host/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.18)
project(host LANGUAGES C)
find_package(lx 0.1 REQUIRED)
add_executable(host host.c)
target_link_libraries(host PRIVATE lx::lx)
add_executable(host_static host.c)
target_link_libraries(host_static PRIVATE lx::lx_static)
EOF
cmake -S "$TMP/host" -B "$TMP/host/build" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS="$HOSTFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$HOSTFLAGS" >"$TMP/cmake.log" 2>&1 && cmake --build "$TMP/host/build" >>"$TMP/cmake.log" 2>&1
ok $? "a CMake host with find_package(lx) builds" || diag "$TMP/cmake.log"
out=$("$TMP/host/build/host" 2>&1)
[ "$out" = "2" ]
ok $? "it runs with lx::lx (liblx.so) and prints 2 (got '$out')"
readelf -d "$TMP/host/build/host" | grep -q 'NEEDED.*liblx\.so\.0'
ok $? "... which it loads by its SONAME"
out=$("$TMP/host/build/host_static" 2>&1)
[ "$out" = "2" ]
ok $? "it runs with lx::lx_static (liblx.a) and prints 2 (got '$out')"
! readelf -d "$TMP/host/build/host_static" | grep -q 'NEEDED.*liblx'
ok $? "... which needs no liblx.so"

export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
flags=$(pkg-config --cflags --libs lx 2>"$TMP/pc.log")
ok $? "pkg-config --cflags --libs lx: $flags" || diag "$TMP/pc.log"
# shellcheck disable=SC2086 # the flags are words
${CC:-cc} $HOSTFLAGS -o "$TMP/host/host_pc" "$TMP/host/host.c" $flags -Wl,-rpath,"$LIBDIR" >"$TMP/cc.log" 2>&1
ok $? "a host built with them links" || diag "$TMP/cc.log"
out=$("$TMP/host/host_pc" 2>&1)
[ "$out" = "2" ]
ok $? "it runs and prints 2 (got '$out')"
# liblx.a by name: -llx alone picks liblx.so where both are installed
flags=$(pkg-config --static --libs lx 2>/dev/null | sed 's/-llx\b/-l:liblx.a/')
# shellcheck disable=SC2086
${CC:-cc} $HOSTFLAGS -o "$TMP/host/host_pcs" "$TMP/host/host.c" $(pkg-config --cflags lx) $flags >"$TMP/cc.log" 2>&1
ok $? "pkg-config --static --libs lx links liblx.a: $flags" || diag "$TMP/cc.log"
out=$("$TMP/host/host_pcs" 2>&1)
[ "$out" = "2" ]
ok $? "... and that host prints 2 too (got '$out')"

echo "1..$n"
[ "$fails" -eq 0 ]
