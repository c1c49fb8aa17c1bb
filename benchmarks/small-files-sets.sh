#!/usr/bin/env bash
# Sets of 10,000 small files put one after another into one fresh cell from the distribution: how the time per set
# falls as the JVM compiles the per-file path, and where the cell's CPU goes per set (thread groups, from
# /proc/PID/task/*/stat; the archive-commit threads end with each put and show as "other").
#
#   benchmarks/small-files-sets.sh [SETS]      (default 4; BENCH_DATA: the data set of ingest-vs-restic.sh)
#
# The first set is small/ of that data set; further sets (small2, small3, …: other random files of the same sizes)
# are generated next to it once.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benchmarks/cells.sh
use_distribution
W=${BENCH_DIR:-/tmp/grove-small-sets}
SETS=${1:-4}
require_data small
for n in $(seq 2 "$SETS"); do
    [ -d "$DATA/small$n" ] || small_files "$DATA/small$n" $((n * 10000))
done
mkdir -p "$W"
serve "$W/cell" cell
pid=$(pid_of "$W/cell")
sleep 2
threads() { thread_cpu "$pid" | cut -d' ' -f1,2 | sort; } # thread group and CPU ticks, for join
echo "| set | grove put (s) | cell CPU (s) | of which (s) |"
echo "|---|---|---|---|"
for n in $(seq "$SETS"); do
    set_dir=small; [ "$n" = 1 ] || set_dir=small$n
    cache_input "$DATA/$set_dir"
    settle_disk "$W"
    threads > "$W/before"; c0=$(process_cpu "$pid"); t0=$(now)
    "$GROVE" put "$DATA/$set_dir" --dir "$W/cell" --as "$set_dir" > /dev/null
    t1=$(now); c1=$(process_cpu "$pid"); threads > "$W/after"
    parts=$(join -a2 -e0 -o 0,1.2,2.2 "$W/before" "$W/after" \
        | awk -v all=$((c1 - c0)) '{d = $3 - $2; s += d; if (d >= 10) printf "%s %.1f, ", $1, d / 100}
              END {printf "other %.1f", (all - s) / 100}')
    echo "| $n | $(elapsed "$t0" "$t1") | $(python3 -c "print(($c1 - $c0) / 100)") | $parts |"
done
