#!/usr/bin/env bash
# Erasure-coded placement against whole copies, four cells from the distribution on loopback. Cell A has two
# offloading folders: `ec` (Reed-Solomon 4+2) and `copies` (factor 2). Per round, in alternating order: the clock
# starts at `grove put` of a random file (default 256 MiB) on A and stops when `GET /api/v1/placement` shows the file
# placed in full (not at risk) and A's store holds none of its chunks (offloaded). Then one peer is killed (SIGKILL)
# and the file is read back on A with `grove get` (every chunk fetched from the fleet; EC chunks rebuilt from 4
# shards), checked byte-identical.
#
#   benchmarks/ec-placement.sh [ROUNDS]        (default 1; BENCH_SIZE in bytes, default 256 MiB)
#
# Prints Markdown table rows for docs/benchmarks.md. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ROUNDS=${1:-1}
WORK=${BENCH_DIR:-/tmp/grove-ec-bench}
SIZE=${BENCH_SIZE:-$((256 << 20))}

. benchmarks/cells.sh
use_distribution
mkdir -p "$WORK"
random_file "$WORK/big.bin" "$SIZE"
EXPECTED=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
sync

rate() { python3 -c "print(f'{$SIZE / ($2 - $1) / 1e6:.1f}')"; }

placed() { # placed CELLDIR PATH: the file is not at risk and A keeps none of its chunks
    api "$1" /api/v1/placement | python3 -c "
import json, sys
d = [f for f in json.load(sys.stdin) if f['path'] == '$2']
print('yes' if d and not d[0]['atRisk'] and d[0]['offloadedChunks'] > 0 else 'no')"
}

round() { # round FOLDER: prints put, placed, read-back seconds and MB/s
    local a="$WORK/a" t0 t1 t2 t3 t4
    for c in a b c d; do
        serve "$WORK/$c" "$c" --set healing.grace-period=60s \
            --set 'replication.folders=path=ec;erasure=4+2;offload=true,path=copies;factor=2;offload=true'
    done
    "$GROVE" fleet create --dir "$a" > /dev/null
    for c in b c d; do "$GROVE" join "$("$GROVE" invite --dir "$a" 2>/dev/null)" --dir "$WORK/$c" > /dev/null; done
    sleep 4 # routes measured, roster spread: as between cells that have been running
    t0=$(now)
    "$GROVE" put "$WORK/big.bin" --as "$1/big.bin" --dir "$a" > /dev/null
    t1=$(now)
    until [ "$(placed "$a" "$1/big.bin")" = yes ]; do sleep 0.2; done
    until [ -z "$(find "$a/chunks" -type f -regextype egrep -regex '.*/[0-9a-f]{64}' | head -n 1)" ]; do sleep 0.2; done
    t2=$(now)
    kill -9 "$(pid_of "$WORK/c")"
    t3=$(now)
    "$GROVE" get "$1/big.bin" --output "$WORK/back.bin" --dir "$a" > /dev/null
    t4=$(now)
    [ "$(sha256sum "$WORK/back.bin" | cut -d' ' -f1)" = "$EXPECTED" ] || { echo "read-back differs" >&2; exit 1; }
    rm -f "$WORK/back.bin"
    cleanup; PIDS=()
    echo "$(elapsed "$t0" "$t1") $(elapsed "$t0" "$t2") $(elapsed "$t3" "$t4") $(rate "$t3" "$t4")"
}

echo "| round | folder | grove put (s) | to full placement + offload (s) | read-back, one peer killed (s) | MB/s | load |"
echo "|---|---|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then order="ec copies"; else order="copies ec"; fi
    for folder in $order; do
        read -r put full back mbs <<< "$(round "$folder")"
        echo "| $r | $folder | $put | $full | $back | $mbs | $(cut -d' ' -f1-3 /proc/loadavg) |"
    done
done
