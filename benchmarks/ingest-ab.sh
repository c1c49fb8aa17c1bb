#!/usr/bin/env bash
# Two Grove distributions (A: before a change, B: after) and restic, alternately in each round, on the data set of
# ingest-vs-restic.sh: `grove put small/` (10,000 files) into a fresh cell, then `grove put big.bin` (1 GiB) into the
# same cell, so that the peak RSS is the worst case the issue names (the 1 GiB ingest after the small files).
# Prints a Markdown table with the load average of each round, for docs/benchmarks.md.
#
#   benchmarks/ingest-ab.sh DIST_A DIST_B [ROUNDS]     (DIST_*: unpacked distribution folders, e.g. a copy of
#                                                       distribution/target/grove-0.1.0-SNAPSHOT made before a change)
#   BENCH_DATA: the data set (default /tmp/grove-bench/data); the launcher's default JVM options apply unless
#   GROVE_JAVA_OPTS is set.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); ROUNDS=${3:-3}
DATA=${BENCH_DATA:-/tmp/grove-bench/data}
W=${BENCH_DIR:-/tmp/grove-bench-ab}
JAVA_HOME=$(find_jdk); export JAVA_HOME
[ -f "$DATA/big.bin" ] && [ -d "$DATA/small" ] || { log "no data set in $DATA; run benchmarks/ingest-vs-restic.sh first"; exit 1; }
mkdir -p "$W"
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

grove_round() {
    local grove="$1/bin/grove" cell="$W/cell" pid t0 t1 t2 rss_small rss
    rm -rf "$cell"
    "$grove" serve --dir "$cell" --port 0 --peer-port 0 --set peer.bind=127.0.0.1 > "$W/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do [ -f "$cell/serve.json" ] && break; sleep 0.1; done
    sleep 2  # let the crypto warm-up finish, as it would on a cell that has been running
    sync
    t0=$(now); "$grove" put "$DATA/small" --dir "$cell" > /dev/null; t1=$(now)
    rss_small=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
    "$grove" put "$DATA/big.bin" --dir "$cell" > /dev/null; t2=$(now)
    rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2") $rss_small $rss"
}

restic_round() {
    local repo="$W/restic-repo" t0 t1 t2
    rm -rf "$repo"
    export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$W/restic-cache"
    restic init --repo "$repo" -q
    sync
    t0=$(now); restic backup --repo "$repo" -q "$DATA/small" > /dev/null; t1=$(now)
    restic backup --repo "$repo" -q "$DATA/big.bin" > /dev/null; t2=$(now)
    echo "$(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2")"
}

echo "| round | A 10k files (s) | B 10k files (s) | restic 10k files (s) | A 1 GiB (s) | B 1 GiB (s) | restic 1 GiB (s) | A peak RSS after small / after 1 GiB (MiB) | B peak RSS (MiB) | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    read -r a_small a_big a_rss_small a_rss <<< "$(grove_round "$A")"
    read -r b_small b_big b_rss_small b_rss <<< "$(grove_round "$B")"
    read -r r_small r_big <<< "$(restic_round)"
    echo "| $round | $a_small | $b_small | $r_small | $a_big | $b_big | $r_big | $a_rss_small / $a_rss | $b_rss_small / $b_rss | $(cut -d' ' -f1-3 /proc/loadavg) |"
done
echo
echo "A: $A, B: $B; restic $(restic version | awk '{print $2}'), $(nproc) cores, $(uname -r)"
