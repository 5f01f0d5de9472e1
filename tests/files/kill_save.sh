#!/bin/sh
# kill_save.sh LX — a save killed with kill -9 in the middle of writing a 200 MB file leaves the
# previous file intact (stdlib/safetensors.c writes a temporary beside the target and renames it
# only when complete).  Prints TAP.
lx=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
target=$dir/model.safetensors
echo "1..4"

cat > "$dir/good.lx" <<LX
save("$target", (w = Float32[1, 2, 3], step = 7, rng = Xoshiro(5)))
LX
cat > "$dir/big.lx" <<LX
big = (a = ones(Float32, 25_000_000), b = fill(2.0f0, 25_000_000))   # 200 MB of data
save("$target", big)
LX
cat > "$dir/check.lx" <<LX
x = load("$target")
ok = x.w == Float32[1, 2, 3] && x.step === 7 && x.rng == Xoshiro(5)
println(ok ? "same" : "different")
LX

if "$lx" "$dir/good.lx" && [ -s "$target" ]; then
    echo "ok 1 - the first save wrote the file"
else
    echo "not ok 1 - the first save wrote the file"
fi
cp "$target" "$dir/original"

"$lx" "$dir/big.lx" &
pid=$!
# wait until the temporary beside the target holds some data, then kill the saving process
killed=no
i=0
while [ $i -lt 3000 ]; do
    tmpfile=$(ls "$dir" | grep '^model\.safetensors\..*\.tmp$' | head -1)
    if [ -n "$tmpfile" ] && [ "$(wc -c < "$dir/$tmpfile")" -gt 1000000 ]; then
        kill -9 $pid && killed=yes
        break
    fi
    if ! kill -0 $pid 2>/dev/null; then break; fi
    sleep 0.01
    i=$((i + 1))
done
wait $pid
status=$?
if [ $killed = yes ] && [ $status -eq 137 ]; then
    echo "ok 2 - the save was killed while writing its temporary file"
else
    echo "not ok 2 - the save was killed while writing its temporary file (killed: $killed, status $status)"
fi

if cmp -s "$target" "$dir/original"; then
    echo "ok 3 - the target holds the original bytes"
else
    echo "not ok 3 - the target holds the original bytes"
fi

if [ "$("$lx" "$dir/check.lx")" = same ]; then
    echo "ok 4 - the target loads and equals what was first saved"
else
    echo "not ok 4 - the target loads and equals what was first saved"
fi
