#!/usr/bin/env bash
# End-to-end ingest: Grove (`grove put`, a running cell from the distribution) against `restic backup`, on the
# same generated data set and the same disk, run alternately. Prints a Markdown table for docs/benchmarks.md.
#
#   benchmarks/ingest-vs-restic.sh [ROUNDS]      (default 3; needs root for apt-get when restic is missing)
#
# Data set: one 1 GiB file of random bytes, and 10,000 small files (1 to 24 KiB, ~124 MB) in 100 folders.
# Each round uses fresh stores. restic runs with its defaults and with --compression off (Grove does not compress).
# GROVE_DIST=folder runs another unpacked distribution (e.g. a copy of an older build, to compare alternately).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ROUNDS=${1:-3}
WORK=${BENCH_DIR:-/tmp/grove-bench}

if ! command -v restic >/dev/null; then
    log "installing restic"
    apt-get update -qq >&2 && apt-get install -y -qq restic >&2
fi
. benchmarks/cells.sh
use_distribution

mkdir -p "$WORK"
if [ ! -f "$WORK/data/big.bin" ] && [ -n "${BENCH_DATA:-}" ]; then
    ln -sfn "$BENCH_DATA" "$WORK/data"   # reuse a data set generated earlier
fi
if [ ! -f "$WORK/data/big.bin" ]; then
    log "generating the data set in $WORK/data"
    head -c $((1 << 30)) /dev/urandom > "$WORK/data/big.bin"
    small_files "$WORK/data/small" 10000
fi
sync

grove_round() {
    local cell="$WORK/grove-cell" pid t0 t1 t2 rss
    rm -rf "$cell"
    "$GROVE" serve --dir "$cell" --port 0 --peer-port 0 --set peer.bind=127.0.0.1 \
        > "$WORK/grove-serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do [ -f "$cell/serve.json" ] && break; sleep 0.1; done
    prime_cli_cache "$GROVE" "$cell"
    sleep 2  # let the crypto warm-up finish, as it would on a cell that has been running
    cache_input "$WORK/data/big.bin" "$WORK/data/small"
    settle_disk "$WORK"
    t0=$(now); "$GROVE" put "$WORK/data/big.bin" --dir "$cell" > /dev/null; t1=$(now)
    rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
    "$GROVE" put "$WORK/data/small" --dir "$cell" > /dev/null; t2=$(now)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2") $rss"
}

restic_round() {
    local repo="$WORK/restic-repo" t0 t1 t2
    rm -rf "$repo"
    export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$WORK/restic-cache"
    restic init --repo "$repo" -q
    cache_input "$WORK/data/big.bin" "$WORK/data/small"
    settle_disk "$WORK"
    t0=$(now); restic backup --repo "$repo" -q "$@" "$WORK/data/big.bin" > /dev/null; t1=$(now)
    restic backup --repo "$repo" -q "$@" "$WORK/data/small" > /dev/null; t2=$(now)
    echo "$(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2")"
}

echo "| round | grove 1 GiB (s) | restic 1 GiB (s) | restic --compression off 1 GiB (s) | grove 10k files (s) | restic 10k files (s) | restic off 10k files (s) | grove peak RSS (MiB) |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    read -r g_big g_small g_rss <<< "$(grove_round)"
    read -r r_big r_small <<< "$(restic_round)"
    read -r o_big o_small <<< "$(restic_round --compression off)"
    echo "| $round | $g_big | $r_big | $o_big | $g_small | $r_small | $o_small | $g_rss |"
done
echo
echo "restic $(restic version | awk '{print $2}'), Grove $("$GROVE" --version), $(nproc) cores, $(uname -r)"
