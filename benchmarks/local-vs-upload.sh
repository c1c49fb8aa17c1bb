#!/usr/bin/env bash
# grove put with the cell reading the files itself (a local put, the default when the CLI finds the cell through its
# folder) against grove put --upload (the bytes sent over HTTP, a folder as one tar stream), alternately, each into a
# fresh cell from the distribution: wall time, the cell's CPU and the CLI's CPU (user, system).
#
#   benchmarks/local-vs-upload.sh [small|big.bin] [rounds]     (BENCH_DATA: the data set of ingest-vs-restic.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benchmarks/cells.sh
use_distribution
W=${BENCH_DIR:-/tmp/grove-local-vs-upload}
mkdir -p "$W"
what=${1:-small}
require_data "$what"
for _ in $(seq "${2:-2}"); do
    for mode in local upload; do
        flag=(); [ "$mode" = upload ] && flag=(--upload)
        serve "$W/cell" cell
        pid=$(pid_of "$W/cell")
        sleep 2; sync
        c0=$(process_cpu "$pid"); t0=$(now)
        /usr/bin/time -f "%U %S" -o "$W/cli.time" "$GROVE" put "$DATA/$what" "${flag[@]}" --dir "$W/cell" --as x > /dev/null
        t1=$(now); c1=$(process_cpu "$pid")
        echo "$mode $what: $(elapsed "$t0" "$t1") s, cell CPU $(python3 -c "print(($c1 - $c0) / 100)") s, CLI CPU (user system) $(cat "$W/cli.time")"
        kill "$pid"; wait "$pid" 2>/dev/null || true
    done
done
